import { createHash } from 'node:crypto';
import type { Io } from '../io/io.js';
import { REFERENCE_LOCALE } from '../i18n/locales.js';
import { TOOL_BUILD, TOOL_VERSION, type Job } from './workspace.js';

/**
 * What a job's output depends on, as one hash: its template, the partials, the images it shows, the
 * locale and the reference locale it is checked against, the brand folder (file and logo),
 * the data, the font manifest and the font files the last build embedded, the page size,
 * the creation date and the tool version. File hashes and the font folder's listing are read once per run.
 */
export class Fingerprints {
  private readonly files = new Map<string, string>();
  private readonly trees = new Map<string, string>();
  private fontFiles: string | undefined;

  constructor(
    private readonly io: Io,
    private readonly date: Date,
  ) {}

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

  job(job: Job, files: string[]): string {
    return combined(this.parts(job, files));
  }

  /**
   * The inputs one by one, as [key, what a user knows it as, hash]: the build cache keeps them
   * so that `check` can say which one changed.
   */
  parts(job: Job, files: string[]): [key: string, name: string, hash: string][] {
    return [
      ['tool', 'handout itself (its version or build)', `${TOOL_VERSION} ${TOOL_BUILD}`],
      ['date', 'the creation date (SOURCE_DATE_EPOCH)', this.date.toISOString()],
      ['job', "the job's options", JSON.stringify({ template: job.template, locale: job.locale, brand: job.brand, print: job.print, set: job.set })],
      // The job's template and the partials; icons and images under templates/ are among `files`
      // (an edit to another template is no reason to rebuild this one's outputs).
      ['template', `templates/${job.template}.hbs`, this.file(`templates/${job.template}.hbs`)],
      ['partials', 'templates/partials/', this.tree('templates/partials')],
      ['locale', `locales/${job.locale}/`, this.tree(`locales/${job.locale}`)],
      ['reference', `locales/${REFERENCE_LOCALE}/`, this.tree(`locales/${REFERENCE_LOCALE}`)],
      ['brand', `brands/${job.brand}/`, this.tree(`brands/${job.brand}`)],
      ['data', job.data ?? 'the data', job.data ? this.file(job.data) : 'none'],
      ['fonts.yaml', 'fonts/fonts.yaml', this.file('fonts/fonts.yaml')],
      // Which fonts exist decides fallback; the embedded ones decide the bytes, as images read
      // from outside the folders hashed whole do (a logo shared by a network's brands).
      ['fonts/', 'the font files in fonts/', (this.fontFiles ??= this.io.list('fonts').join(','))],
      ...files.map((f): [string, string, string] => [f, f, this.file(f)]),
    ];
  }
}

/** The inputs' hash as one: what a cache record is checked against. */
export function combined(parts: [key: string, name: string, hash: string][]): string {
  const hash = createHash('sha256');
  for (const [key, , value] of parts) hash.update(`${key}=${value}\n`);
  return hash.digest('hex');
}

export function hashBytes(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
