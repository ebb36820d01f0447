import { closest } from '../config/schema-issue.js';
import { dottedKey } from '../model/data-key.js';
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
export function checkDataNeeds(info: TemplateInfo, data: Record<string, unknown>, job: JobData): HandoutError[] {
  const declared = [...info.needs, ...info.optional];
  if (declared.length === 0) return [];
  for (const key of Object.keys(job.set)) {
    const general = key.replace(/\.\d+(?=\.|$)/g, '[]');
    if (declared.includes(general)) continue;
    const near = closest(general, declared);
    const hint = near ? `; did you mean "${near}"?` : ` (it reads ${declared.join(', ')})`;
    throw new HandoutError('template-data', `--set ${key}: the ${info.name} template reads no such value${hint}`, { key: `--set ${key}` });
  }
  const at = (paths: string[]) => paths.flatMap((path) => valuesAt(data, path.split('.'), ''));
  // A text where a list of sessions belongs ("sessions: 2026-12-01T10:00") is there, but wrong.
  const misshapen = at(declared).find((e) => e.wants);
  if (misshapen) {
    // The whole file a list or a text: no key to name.
    const what = misshapen.key ? `"${misshapen.key}"` : 'the file';
    throw new HandoutError('template-data', `${what} is ${shapeOf(misshapen.value)}, where the ${info.name} template needs ${misshapen.wants}`, { file: job.data ?? undefined, key: misshapen.key || undefined });
  }
  const needed = at(info.needs);
  const empty = needed.find((e) => Array.isArray(e.value) && e.value.length === 0);
  if (empty) throw new HandoutError('template-data', `"${empty.key}" is an empty list, where the ${info.name} template needs at least one item`, { file: job.data ?? undefined, key: empty.key });
  const missing = needed.filter((e) => e.value === undefined || e.value === null || e.value === '');
  // A --set that emptied a value the data file gives: the --set is what to change.
  const emptied = missing.map((e) => dottedKey(e.key)).find((k) => job.set[k] === '');
  if (emptied !== undefined) {
    throw new HandoutError('template-data', `--set ${emptied}=: the ${info.name} template needs a value for "${emptied}"`, { key: `--set ${emptied}` });
  }
  const unread = unreadValues(data, declared);
  if (missing.length > 0) {
    const named = missing.map((e) => `"${e.key}"`);
    const what = named.slice(0, 4).join(', ') + (named.length > 4 ? ` and ${named.length - 4} more` : '');
    const it = missing.length === 1 ? 'it' : 'them';
    const from = job.data ? `this data has no value for ${it}` : `give ${it} with --data FILE or --set`;
    // A misspelt key is the likeliest reason a value the file has is missing: one beside it
    // ("nombre" for "name") or one spelt nearly the same ("plac.name", "instrutor.name"),
    // whose line the message then points at, as the missing one has none.
    // A list misspelt ("sesions:") is named once, not by each of its items' values.
    const general = (key: string) => key.replace(/\[\d+\]/g, '[]');
    const rootOf = (key: string) => key.split(/[.[]/)[0]!;
    const misspeltRoot = (u: { general: string }) => missing.some((m) => rootOf(u.general) !== rootOf(m.key) && closest(rootOf(u.general), [rootOf(m.key)]) !== null);
    const beside = [
      ...new Set(
        unread
          .filter((u) => misspeltRoot(u) || missing.some((m) => parentOf(u.key) === parentOf(m.key) || closest(u.general, [general(m.key)]) !== null))
          .map((u) => (misspeltRoot(u) && u.key.startsWith(`${rootOf(u.key)}[`) ? rootOf(u.key) : u.key)),
      ),
    ];
    const hint = beside.length > 0 ? `, though it has ${beside.slice(0, 3).map((k) => `"${k}"`).join(', ')}, which the template does not read` : '';
    throw new HandoutError('template-data', `the ${info.name} template needs ${what}; ${from}${hint}`, { file: job.data ?? undefined, key: beside[0] ?? missing[0]!.key });
  }
  for (const [path, bound] of Object.entries(info.numbers)) {
    for (const e of at([path])) {
      if (e.list || e.value === undefined || e.value === null || e.value === '') continue;
      const n = typeof e.value === 'number' ? e.value : typeof e.value === 'string' && e.value.trim() !== '' ? Number(e.value) : NaN;
      if (Number.isFinite(n) && n >= (bound.min ?? -Infinity) && n <= (bound.max ?? Infinity)) continue;
      const range = bound.min !== undefined && bound.max !== undefined ? ` from ${bound.min} to ${bound.max}` : bound.min !== undefined ? ` of at least ${bound.min}` : bound.max !== undefined ? ` of at most ${bound.max}` : '';
      const setKey = dottedKey(e.key);
      if (setKey in job.set) throw new HandoutError('template-data', `--set ${setKey}=${job.set[setKey]}: the ${info.name} template needs a number${range}`, { key: `--set ${setKey}` });
      throw new HandoutError('template-data', `"${e.key}" is ${shapeOf(e.value)}, where the ${info.name} template needs a number${range}`, { file: job.data ?? undefined, key: e.key });
    }
  }
  // A map or list where the template prints one value came out as "[object Object]" or
  // "Maria,Lopez" (YAML read an indented block or [Maria, Lopez] as one).
  const nested = at(declared).find((e) => !e.list && e.value !== null && typeof e.value === 'object');
  if (nested) {
    throw new HandoutError('template-data', `"${nested.key}" is ${shapeOf(nested.value)}, where the ${info.name} template prints one value`, { file: job.data ?? undefined, key: nested.key });
  }
  // A value the template never reads is most often a misspelt optional one ("phon:"): the
  // handout is built without it, so it is a warning, once per key however many sessions have it.
  const said = new Set<string>();
  return [...outOfOrder(declared.filter((d) => d.includes('[]')).map((d) => at([d])), info.name, job), ...unread.flatMap(({ key, general }) => {
    if (said.has(general)) return [];
    said.add(general);
    const near = closest(general, declared);
    const hint = near ? `; did you mean "${near}"?` : ` (it reads ${declared.join(', ')})`;
    return [new HandoutError('template-data', `"${key}" is read by no part of the ${info.name} template${hint}`, { file: job.data ?? undefined, key })];
  })];
}

const DATE = /^\d{4}-\d{2}-\d{2}/;

/**
 * A list of dates out of order (a course's sessions) is most often a year left unchanged
 * across New Year: "2026-01-05" after "2026-12-29" printed a session ten months before the
 * first. The same date twice is a line copied and not changed. Each is a warning, at the
 * later date's line (or its --set): the handout prints the dates as given.
 */
function outOfOrder(lists: { key: string; value: unknown }[][], template: string, job: JobData): HandoutError[] {
  return lists.flatMap((items) => {
    const dates = items.filter((e) => typeof e.value === 'string' && DATE.test(e.value)) as { key: string; value: string }[];
    if (dates.length !== items.length) return [];
    return dates.flatMap((after, k) => {
      const before = dates[k - 1];
      if (!before || after.value > before.value) return [];
      const setKey = dottedKey(after.key);
      const named = setKey in job.set ? `--set ${setKey}=${after.value}` : `"${after.key}" ${after.value}`;
      const where = setKey in job.set ? { key: `--set ${setKey}` } : { file: job.data ?? undefined, key: after.key };
      if (after.value === before.value) return [new HandoutError('template-data', `${named} is the same as "${before.key}", the one above it in the list: is the date right? The ${template} template prints both`, where)];
      const year = before.value.slice(0, 4) !== after.value.slice(0, 4) ? ' (its year?)' : '';
      return [new HandoutError('template-data', `${named} comes before "${before.key}" ${before.value}, the one above it in the list: is the date right${year}? The ${template} template prints them in the order given`, where)];
    });
  });
}

/**
 * The data's values that no declared path covers, each with its concrete key (`sessions[2].strat`)
 * and its key with list positions left out (`sessions[].strat`). A declared path covers what is
 * under it (`place` covers `place.name`), and what is above it (an empty `sessions` list).
 */
function unreadValues(data: unknown, declared: string[]): { key: string; general: string }[] {
  const out: { key: string; general: string }[] = [];
  const under = (general: string) => declared.some((d) => d === general || general.startsWith(`${d}.`) || general.startsWith(`${d}[]`));
  const above = (general: string) => declared.some((d) => d.startsWith(`${general}.`) || d.startsWith(`${general}[]`));
  const walk = (value: unknown, key: string, general: string): void => {
    if (key !== '' && under(general)) return;
    if (Array.isArray(value) && key !== '') value.forEach((item, i) => walk(item, `${key}[${i}]`, `${general}[]`));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, key ? `${key}.${k}` : k, general ? `${general}.${k}` : k);
    else if (key !== '' && !above(general)) out.push({ key, general });
  };
  walk(data, '', '');
  return out;
}

/** `instructor` of `instructor.name`, `sessions[0]` of `sessions[0].start`, '' at the top. */
const parentOf = (key: string) => key.replace(/(?:^|\.)[^.[\]]+$/, '');

/** A data value as a message describes what it is. */
function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value !== null && typeof value === 'object') return `a map (${Object.keys(value).join(', ')})`;
  if (typeof value === 'string') return `the text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return `the ${typeof value} ${String(value)}`;
}

/**
 * The values under `path`, each with its concrete key: `sessions[].start` gives one per
 * session, and a list that is missing or empty gives its own key (`list`) without a value.
 */
function valuesAt(value: unknown, path: string[], at: string): { key: string; value: unknown; wants?: string; list?: boolean }[] {
  if (path.length === 0) return [{ key: at, value }];
  const [head, ...rest] = path as [string, ...string[]];
  // A value where a map of fields belongs (a session written as its start alone).
  if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value))) {
    return [{ key: at, value, wants: `a map with ${head.replace(/\[\]$/, '')}${rest.length ? '' : ':'} …` }];
  }
  const join = (k: string) => (at ? `${at}.${k}` : k);
  const child = (k: string) => (value as Record<string, unknown> | undefined)?.[k];
  if (!head.endsWith('[]')) return valuesAt(child(head), rest, join(head));
  const name = head.slice(0, -2);
  const list = child(name);
  if (list !== undefined && list !== null && !Array.isArray(list)) return [{ key: join(name), value: list, wants: `a list (each item on a line of its own, starting with "- ")` }];
  if (!Array.isArray(list) || list.length === 0) return [{ key: join(name), value: list, list: true }];
  return list.flatMap((item, i) => valuesAt(item, rest, `${join(name)}[${i}]`));
}
