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
  const at = (paths: string[]) => paths.flatMap((path) => valuesAt(data, path.split('.'), ''));
  const missing = at(info.needs)
    .filter((e) => e.value === undefined || e.value === null || e.value === '')
    .map((e) => e.key);
  if (missing.length > 0) {
    const what = missing.length === 1 ? `"${missing[0]}"` : `${missing.slice(0, 4).map((m) => `"${m}"`).join(', ')}${missing.length > 4 ? ` and ${missing.length - 4} more` : ''}`;
    const it = missing.length === 1 ? 'it' : 'them';
    const from = job.data ? `this data has no value for ${it}` : `give ${it} with --data FILE or --set`;
    throw new HandoutError('template-data', `the ${info.name} template needs ${what}; ${from}`, { file: job.data ?? undefined, key: missing[0] });
  }
  // A map or list where the template prints one value came out as "[object Object]" or
  // "Maria,Lopez" (YAML read an indented block or [Maria, Lopez] as one).
  const nested = at(declared).find((e) => e.value !== null && typeof e.value === 'object');
  if (nested) {
    const v = nested.value as object;
    const shape = Array.isArray(v) ? `a list of ${v.length}` : `a map (${Object.keys(v).join(', ')})`;
    throw new HandoutError('template-data', `"${nested.key}" is ${shape}, where the ${info.name} template prints one value`, { file: job.data ?? undefined, key: nested.key });
  }
}

/**
 * The values under `path`, each with its concrete key: `sessions[].start` gives one per
 * session, and a list that is missing or empty gives its own key without a value.
 */
function valuesAt(value: unknown, path: string[], at: string): { key: string; value: unknown }[] {
  if (path.length === 0) return [{ key: at, value }];
  const [head, ...rest] = path as [string, ...string[]];
  const join = (k: string) => (at ? `${at}.${k}` : k);
  const child = (k: string) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[k] : undefined);
  if (!head.endsWith('[]')) return valuesAt(child(head), rest, join(head));
  const name = head.slice(0, -2);
  const list = child(name);
  if (!Array.isArray(list) || list.length === 0) return [{ key: join(name), value: undefined }];
  return list.flatMap((item, i) => valuesAt(item, rest, `${join(name)}[${i}]`));
}
