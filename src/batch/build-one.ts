import type { Io } from '../io/io.js';
import { describeError } from '../model/diagnostic.js';
import { hashBytes } from './fingerprint.js';
import type { BuiltDocument, Job, Workspace } from './workspace.js';

/** What building one job produced, as it crosses from a worker to the main thread. */
export interface BuildOutcome {
  ok: boolean;
  pages: number;
  scale: number;
  bytes: number;
  pdfHash: string;
  files: string[];
  /** The output already held these bytes (its inputs changed, not the document): left as it was. */
  unchanged: boolean;
  ms: number;
  /** Besides a fit below full size, which `scale` tells. */
  warnings: string[];
  error?: string;
}

/** A job that built nothing: the error says why. */
export function failedOutcome(error: string, ms = 0): BuildOutcome {
  return { ok: false, pages: 0, scale: 1, bytes: 0, pdfHash: '', files: [], unchanged: false, ms, warnings: [], error };
}

/**
 * A job built in memory, not yet written, and how long building took: writing overlaps the
 * next job, so the time a job reports is its building alone.
 */
export type Rendered = { ms: number; doc: BuiltDocument } | { ms: number; error: unknown };

/** Builds a job's PDF in memory; never throws (a failure is part of the result). */
export async function renderJob(ws: Workspace, job: Job, date: Date): Promise<Rendered> {
  const t0 = performance.now();
  try {
    const doc = await ws.build(job, date);
    return { ms: performance.now() - t0, doc };
  } catch (error) {
    return { ms: performance.now() - t0, error };
  }
}

/**
 * Writes a built job's PDF atomically and tells how the job went; never rejects. The write
 * runs on the I/O threads, so a caller that does not wait for it can build the next job.
 */
export async function writeJob(io: Io, job: Job, r: Rendered): Promise<BuildOutcome> {
  try {
    if ('error' in r) throw r.error;
    const { pdf, layout, files, warnings } = r.doc;
    // An edit that changes no byte of a document (a comment in a template, a text another
    // template prints) leaves its file, and the file's time, alone.
    const unchanged = io.exists(job.output) && Buffer.from(io.readBytes(job.output)).equals(pdf);
    if (!unchanged) await io.writeAtomicAsync(job.output, pdf);
    return { ok: true, pages: layout.pages.length, scale: layout.fit.scale, bytes: pdf.length, pdfHash: hashBytes(pdf), files, unchanged, ms: r.ms, warnings };
  } catch (e) {
    if (process.env.HANDOUT_DEBUG && e instanceof Error) console.error(e.stack);
    return failedOutcome(describeError(e), r.ms);
  }
}

/** Builds a job and writes its PDF atomically; never throws. */
export async function buildOne(ws: Workspace, io: Io, job: Job, date: Date): Promise<BuildOutcome> {
  return writeJob(io, job, await renderJob(ws, job, date));
}
