import { createHash } from 'node:crypto';
import type { Io } from '../io/io.js';
import { REFERENCE_LOCALE } from '../i18n/locales.js';
import { TOOL_VERSION, type Job } from './workspace.js';

/**
 * What a job's output depends on, as one hash: the templates (with partials and icons), the
 * locale and the reference locale it is checked against, the brand folder (file and logo),
 * the data, the font manifest and the font files the last build embedded, the page size and
 * the tool version. File hashes are computed once per run.
 */
export class Fingerprints {
  private readonly files = new Map<string, string>();
  private readonly trees = new Map<string, string>();

  constructor(private readonly io: Io) {}

  file(path: string): string {
    let h = this.files.get(path);
    if (h === undefined) {
      h = this.io.exists(path) && !this.io.isDirectory(path) ? createHash('sha256').update(this.io.readBytes(path)).digest('hex') : 'missing';
      this.files.set(path, h);
    }
    return h;
  }

  /** Every file below a folder, by relative path and content. */
  tree(dir: string): string {
    let h = this.trees.get(dir);
    if (h === undefined) {
      const hash = createHash('sha256');
      const walk = (d: string) => {
        for (const name of this.io.list(d)) {
          const p = `${d}/${name}`;
          if (this.io.isDirectory(p)) walk(p);
          else hash.update(`${p}\u0000${this.file(p)}\u0000`);
        }
      };
      walk(dir);
      h = hash.digest('hex');
      this.trees.set(dir, h);
    }
    return h;
  }

  job(job: Job, fonts: string[]): string {
    const hash = createHash('sha256');
    const part = (k: string, v: string) => hash.update(`${k}=${v}\n`);
    part('tool', TOOL_VERSION);
    part('job', JSON.stringify({ template: job.template, locale: job.locale, brand: job.brand, print: job.print, set: job.set }));
    part('templates', this.tree('templates'));
    part('locale', this.tree(`locales/${job.locale}`));
    part('reference', this.tree(`locales/${REFERENCE_LOCALE}`));
    part('brand', this.tree(`brands/${job.brand}`));
    part('data', job.data ? this.file(job.data) : 'none');
    part('fonts.yaml', this.file('fonts/fonts.yaml'));
    // Which fonts exist decides fallback; the embedded ones decide the bytes.
    part('fonts/', this.io.list('fonts').join(','));
    for (const f of fonts) part(f, this.file(f));
    return hash.digest('hex');
  }
}

export function hashBytes(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
