import { closest } from '../config/schema-issue.js';
import { HandoutError } from '../model/diagnostic.js';
import type { TemplateInfo } from './templates.js';

/** What a job gives a template: the data file (if any) and the `--set` values on top of it. */
interface JobData {
  data: string | null;
  set: Record<string, string>;
}

/**
 * The data a template declares in its front matter (`needs`, `optional`) against what a job
 * gives it. A needed value that is missing is named with the data file and its key, rather than
 * as "the data has no value "name"" at the template line that prints it (place.name or
 * instructor.name?). A `--set` key the template never reads, most often a typo, is an error:
 * ignored, it left the data file's value in the handout while the user thought it replaced.
 * Templates that declare nothing are not checked.
 */
export function checkDataNeeds(info: TemplateInfo, data: Record<string, unknown>, job: JobData): void {
  const declared = [...info.needs, ...info.optional];
  if (declared.length === 0) return;
  for (const key of Object.keys(job.set)) {
    const general = key.replace(/\.\d+(?=\.|$)/g, '[]');
    if (declared.includes(general)) continue;
    const near = closest(general, declared);
    const hint = near ? `; did you mean "${near}"?` : ` (it reads ${declared.join(', ')})`;
    throw new HandoutError('template-data', `--set ${key}: the ${info.name} template reads no such value${hint}`, { key: `--set ${key}` });
  }
  const missing = info.needs.flatMap((path) => missingAt(data, path.split('.'), ''));
  if (missing.length === 0) return;
  const what = missing.length === 1 ? `"${missing[0]}"` : `${missing.slice(0, 4).map((m) => `"${m}"`).join(', ')}${missing.length > 4 ? ` and ${missing.length - 4} more` : ''}`;
  const it = missing.length === 1 ? 'it' : 'them';
  const from = job.data ? `this data has no value for ${it}` : `give ${it} with --data FILE or --set`;
  throw new HandoutError('template-data', `the ${info.name} template needs ${what}; ${from}`, { file: job.data ?? undefined, key: missing[0] });
}

/** The concrete paths under `path` that have no value (`sessions[].start` is checked in every session). */
function missingAt(value: unknown, path: string[], at: string): string[] {
  if (path.length === 0) return value === undefined || value === null || value === '' ? [at] : [];
  const [head, ...rest] = path as [string, ...string[]];
  const join = (k: string) => (at ? `${at}.${k}` : k);
  const child = (k: string) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[k] : undefined);
  if (!head.endsWith('[]')) return missingAt(child(head), rest, join(head));
  const name = head.slice(0, -2);
  const list = child(name);
  if (!Array.isArray(list) || list.length === 0) return [join(name)];
  return list.flatMap((item, i) => missingAt(item, rest, `${join(name)}[${i}]`));
}
