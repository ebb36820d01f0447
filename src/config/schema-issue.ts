import type { z } from 'zod';
import { HEX_COLOR } from '../model/style.js';

/** A schema problem as a user reads it: which field, and what to do. */
export interface SchemaIssue {
  /** Field path, for the message and for finding the field's line. */
  path: string[];
  message: string;
}

/**
 * The issue to report of a failed parse, worded for whoever edits the file. A misspelt field
 * comes first: zod would start with the field it then misses ("colors: expected object,
 * received undefined" for a brand that wrote `colours:`), which hides the cause. An unknown
 * field is named with the closest known one; a number where text belongs (a phone number YAML
 * read as 5551234) asks for quotes.
 */
export function describeIssue(schema: z.ZodType, error: z.ZodError, data: unknown): SchemaIssue {
  const issues = error.issues;
  const unknown = issues.find((i) => i.code === 'unrecognized_keys');
  if (unknown && unknown.code === 'unrecognized_keys') {
    const key = unknown.keys[0]!;
    const known = fieldsAt(schema, unknown.path.map(String));
    const near = closest(key, known);
    const hint = near ? `; did you mean "${near}"?` : known.length ? ` (known: ${known.join(', ')})` : '';
    return { path: [...unknown.path.map(String), key], message: `"${key}" is not a field here${hint}` };
  }
  const issue = issues[0]!;
  const path = issue.path.map(String);
  // The whole file is not a set of fields: empty (YAML reads it as null), or a list or a text.
  if (path.length === 0 && issue.code === 'invalid_type' && issue.expected === 'object') {
    return { path, message: `${wholeFile(data)}, where fields belong (${fieldsAt(schema, []).join(', ')})` };
  }
  if (issue.code === 'invalid_type' && issue.expected === 'string' && / number$/.test(issue.message)) {
    return { path, message: 'must be text: put the value in quotes (YAML reads digits as a number and drops leading zeros)' };
  }
  if (issue.code === 'too_small' || issue.code === 'too_big') return { path, message: boundMessage(issue) };
  if (issue.code === 'invalid_type' && issue.expected === 'number') return { path, message: 'must be a number' };
  // YAML 1.2 (as the yaml package reads it) takes yes, no, on and off as text.
  if (issue.code === 'invalid_type' && issue.expected === 'boolean') {
    const given = valueAt(data, path);
    return { path, message: `must be true or false${typeof given === 'string' ? ` (YAML reads ${given} as text)` : ''}` };
  }
  if (issue.code === 'invalid_type' && (issue.expected as string) === 'int') return { path, message: 'must be a whole number' };
  if (issue.code === 'invalid_value') return { path, message: `must be ${oneOf(issue.values.map((v) => JSON.stringify(v)))}${nearHint(valueAt(data, path), issue.values)}` };
  // A refinement's own words (one field given without the other it goes with).
  if (issue.code === 'custom') return { path, message: issue.message };
  const value = valueAt(data, path);
  if (value === undefined) return { path, message: 'missing: this field is required' };
  // YAML reads `primary: #2a6f97` as a field whose value is a comment.
  if (value === null) return { path, message: path[0] === 'colors' ? 'has no value (in YAML a # starts a comment: write a colour in quotes, "#2a6f97")' : 'has no value' };
  // A colour written as a name or with a digit too few or many: the value, and the form.
  if (path[0] === 'colors' && typeof value === 'string' && !HEX_COLOR.test(value)) {
    return { path, message: `"${value}" is not a colour here: write # and six hexadecimal digits, in quotes ("#2a6f97"; three, "#f60", also do)` };
  }
  if (issue.code === 'invalid_type' && issue.expected === 'string' && Array.isArray(value)) return { path, message: 'must be one text, not a list' };
  if (typeof value === 'string' && issue.code === 'invalid_format' && (issue as { format?: string }).format === 'email') {
    return { path, message: `"${value}" is not an e-mail address${value.includes('@') ? '' : ': it has no @'}` };
  }
  // A colour matching neither form (a cmyk of three numbers, cmyk without hex, a bare number)
  // fails zod's union as "Invalid input"; say what the two forms are.
  if (path[0] === 'colors' && issue.code === 'invalid_union') {
    // 884488 without its # is a number to YAML.
    if (typeof value === 'number' && /^\d{3}(\d{3})?$/.test(String(value))) return { path, message: `${value} is a number to YAML: write the colour with its # and in quotes, "#${value}"` };
    const cmyk = value !== null && typeof value === 'object' && 'cmyk' in value;
    return {
      path,
      message: cmyk
        ? 'a colour for print is { hex: "#2a6f97", cmyk: [72, 26, 0, 41] }: the hex and four cmyk numbers from 0 to 100'
        : 'must be a colour in quotes ("#2a6f97"), or for print { hex: "#2a6f97", cmyk: [72, 26, 0, 41] }',
    };
  }
  // A list field given one word ("templates: flyer") or a mapping: zod says "Invalid input" or
  // "expected array, received object".
  if (issue.code === 'invalid_type' && issue.expected === 'array') return { path, message: `must be a list: ${LIST_FORMS}` };
  if (issue.code === 'invalid_union') {
    const union = schemaAt(schema, path);
    const forms = unionForms(union);
    const literals = union ? (def(union).options ?? []).flatMap((o) => def(o).values ?? []) : [];
    if (forms) return { path, message: `must be ${forms}${nearHint(valueAt(data, path), literals)}` };
  }
  return { path, message: issue.message };
}

/** The value at a field path of parsed data (undefined where there is none). */
export function valueAt(data: unknown, path: string[]): unknown {
  return path.reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), data);
}

const LIST_FORMS = '[a, b] on one line, or one "- a" a line below it';

/** A union of literals and lists in words ('"all" or a list: …'), or null for other unions. */
function unionForms(schema: z.ZodType | undefined): string | null {
  const options = schema && def(schema).type === 'union' ? def(schema).options : undefined;
  if (!options) return null;
  const words: string[] = [];
  for (const o of options) {
    const d = def(o);
    if (d.type === 'literal' && d.values) words.push(...d.values.map((v) => JSON.stringify(v)));
    else if (d.type === 'array') words.push(`a list: ${LIST_FORMS}`);
    else return null;
  }
  return words.join(' or ');
}

/** '; did you mean "all"?' for a text near one of the choices, else nothing. */
function nearHint(given: unknown, choices: unknown[]): string {
  const near = typeof given === 'string' ? closest(given, choices.map(String)) : null;
  return near ? `; did you mean "${near}"?` : '';
}

/** `"a"`, `"a" or "b"`, `one of "a", "b", "c"`. */
function oneOf(values: string[]): string {
  if (values.length <= 2) return values.join(' or ');
  return `one of ${values.join(', ')}`;
}

/** What a file that should hold fields holds instead. */
function wholeFile(data: unknown): string {
  if (data === null || data === undefined) return 'the file is empty';
  if (Array.isArray(data)) return 'the file is a list';
  if (typeof data === 'string') return 'the file is one text';
  return `the file is the ${typeof data} ${JSON.stringify(data)}`;
}

/** zod's "Too small: expected number to be >=1", as a sentence about the field. */
function boundMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const bound = small ? issue.minimum : issue.maximum;
  const side = small ? (issue.inclusive ? 'at least' : 'more than') : issue.inclusive ? 'at most' : 'less than';
  const one = small && Number(bound) === 1;
  if (issue.origin === 'string') return one ? 'must not be empty' : `must have ${side} ${bound} characters`;
  if (issue.origin === 'array' || issue.origin === 'set') return one ? 'must list at least one' : `must list ${side} ${bound}`;
  return `must be ${side} ${bound}`;
}

type Def = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; element?: z.ZodType; options?: z.ZodType[]; values?: unknown[] };
const def = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/**
 * The field names an object schema allows at a path (optional, default and array layers looked
 * through; a union offers the fields of each of its forms, as a brand colour's `hex` and `cmyk`).
 */
function fieldsAt(schema: z.ZodType, path: string[]): string[] {
  const s = schemaAt(schema, path);
  if (!s) return [];
  const d = def(s);
  if (d.type === 'union' && d.options) return [...new Set(d.options.flatMap((o) => fieldsAt(o, [])))];
  return d.shape ? Object.keys(d.shape) : [];
}

/** The schema of the value at a path (optional, default and array layers looked through), if one is known. */
function schemaAt(schema: z.ZodType, path: string[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = schema;
  for (let i = 0; s; ) {
    const d = def(s);
    if (d.innerType) s = d.innerType;
    else if (i === path.length) return s;
    else if (d.type === 'union' && d.options) return d.options.map((o) => schemaAt(o, path.slice(i))).find((o) => o !== undefined);
    else if (d.type === 'array' && d.element) {
      s = d.element;
      i++; // the index
    } else if (d.shape) s = d.shape[path[i++]!];
    else return undefined;
  }
  return undefined;
}

/**
 * "unknown locale "EN"; did you mean "en"? (known: …)": a name given on the command line or in
 * the config that no folder or file has, with the one it most likely meant (a locale also by
 * its language: es-ES → es).
 */
export function unknownName(kind: string, name: string, known: string[], aliases: Record<string, string[]> = {}): string {
  // A locale is first matched by its language: "pt" means pt-BR, not Haitian "ht" one letter off.
  const language = (code: string) => code.split(/[-_]/)[0]!.toLowerCase();
  // Or by what it is called ("spanish", "Español", "span"): a person may type the language.
  const lower = name.toLowerCase();
  const called = name.length >= 2 ? known.filter((k) => (aliases[k] ?? []).some((a) => a.toLowerCase().startsWith(lower))) : [];
  const exact = known.filter((k) => k.toLowerCase() === lower);
  const sameLanguage = kind === 'locale' ? known.filter((k) => language(k) === language(name)) : [];
  if (!exact.length && !sameLanguage.length && called.length > 0 && called.length <= 3) {
    return `unknown ${kind} "${name}"; did you mean ${called.map((k) => `"${k}" (${aliases[k]![0]})`).join(' or ')}? (known: ${known.join(', ')})`;
  }
  // A name cut short ("sunrise" for "sunrise-clinic") is too far off for `closest`.
  const starting = name.length >= 3 ? known.filter((k) => k.toLowerCase().startsWith(lower)) : [];
  const near = exact.length ? exact : sameLanguage.length ? sameLanguage : [closest(name, known)].filter((k) => k !== null);
  if (near.length === 0 && starting.length > 0 && starting.length <= 2) near.push(...starting);
  const guess = near.length ? `; did you mean ${near.map((k) => `"${k}"`).join(' or ')}?` : '';
  return `unknown ${kind} "${name}"${guess} (known: ${known.join(', ')})`;
}

/** The known name a typo most likely meant: at most a third of its letters off. */
export function closest(word: string, names: string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const name of names) {
    const d = distance(word.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

/**
 * Edit distance, where two neighbouring letters swapped count as one edit ("cmky" for "cmyk"),
 * as they are one slip of the fingers (optimal string alignment).
 */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}
