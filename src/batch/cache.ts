import { createHash } from 'node:crypto';
import type { Io } from '../io/io.js';
import { combined, Fingerprints, hashBytes } from './fingerprint.js';
import { type JobOptions, optionsDiff } from './options-diff.js';
import type { Job } from './workspace.js';

export const CACHE_DIR = '.handout-cache';

/** What the last successful build of one output recorded. */
export interface CacheEntry {
  output: string;
  inputs: string;
  /** Hash of the PDF as written: a different file on disk was edited by hand. */
  pdf: string;
  /** Files the document was made from beyond those hashed whole (fonts it embeds, images from elsewhere). */
  files: string[];
  /** Each input's own hash, by name, so that a stale output can say what changed. */
  parts?: Record<string, string>;
}

/**
 * `unrecorded`: a PDF no record describes (a fresh clone with committed outputs, a cache
 * restored from another commit); only building it again can tell whether it is up to date.
 */
export type Freshness = 'fresh' | 'missing' | 'stale' | 'edited' | 'unrecorded';

/**
 * One small file per output, written (atomically) right after that output: an interrupted run
 * leaves every entry consistent with the file it describes.
 */
export class BuildCache {
  readonly fingerprints: Fingerprints;

  constructor(
    private readonly io: Io,
    date: Date,
  ) {
    this.fingerprints = new Fingerprints(io, date);
  }

  private path(output: string): string {
    return `${CACHE_DIR}/${createHash('sha1').update(output).digest('hex')}.json`;
  }

  read(output: string): CacheEntry | null {
    const p = this.path(output);
    if (!this.io.exists(p)) return null;
    try {
      const e = JSON.parse(this.io.readText(p)) as CacheEntry;
      return e.output === output ? e : null;
    } catch {
      return null;
    }
  }

  write(job: Job, pdfHash: string, files: string[]): Promise<void> {
    const inputs = this.fingerprints.parts(job, files);
    const parts = Object.fromEntries(inputs.map(([, name, hash]) => [name, hash]));
    const entry: CacheEntry = { output: job.output, inputs: combined(inputs), pdf: pdfHash, files, parts };
    return this.io.writeAtomicAsync(this.path(job.output), `${JSON.stringify(entry)}\n`);
  }

  forget(output: string): void {
    this.io.remove(this.path(output));
  }

  /**
   * Of a stale output, what its record tells (nothing when the record predates these names):
   * the inputs that changed since it was built, those of them it was not built from at all
   * (`added`), and what it was built from that the job does not read now (`former`: the data
   * file an instructor's own handout was built from, at the path of the sample's).
   */
  changedInputs(job: Job): { changed: string[]; added: string[]; former: string[] } {
    const entry = this.read(job.output);
    if (!entry?.parts) return { changed: [], added: [], former: [] };
    const recorded = entry.parts;
    const now = this.fingerprints.parts(job, entry.files ?? []);
    const names = new Set(now.map(([, name]) => name));
    // An English job reads its locale as its reference too: one folder, named once.
    const changed = [...new Set(now.filter(([, name, hash]) => recorded[name] !== hash).map(([, name]) => name))];
    const added = changed.filter((name) => !(name in recorded));
    const former = Object.keys(recorded).filter((name) => !names.has(name));
    // The job's options are recorded as they were (not hashed): say which of them differ.
    const [, jobName, jobNow] = now.find(([key]) => key === 'job')!;
    const said = changed.map((name) => (name === jobName && name in recorded ? withDiff(name, recorded[name]!, jobNow) : name));
    return { changed: said, added, former };
  }

  /** Whether a job's output is up to date with everything it reads. */
  freshness(job: Job): Freshness {
    if (!this.io.exists(job.output)) return 'missing';
    const entry = this.read(job.output);
    if (!entry) return 'unrecorded';
    const asRecorded = hashBytes(this.io.readBytes(job.output)) === entry.pdf;
    if (entry.inputs === this.fingerprints.job(job, entry.files ?? [])) return asRecorded ? 'fresh' : 'edited';
    // Inputs changed since the record; if the file is not the one recorded either, the record
    // says nothing about it.
    return asRecorded ? 'stale' : 'unrecorded';
  }
}

/** "the job's options (--size Letter when built, not now)"; the bare name when the record cannot tell. */
function withDiff(name: string, recorded: string, now: string): string {
  try {
    const diff = optionsDiff(JSON.parse(recorded) as JobOptions, JSON.parse(now) as JobOptions);
    return diff ? `${name} (${diff})` : name;
  } catch {
    return name;
  }
}
