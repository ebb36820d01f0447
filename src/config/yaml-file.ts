import { type Document, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import type { Io } from '../io/io.js';
import { dottedKey } from '../model/data-key.js';
import { type ErrorCode, HandoutError, lineAt } from '../model/diagnostic.js';
import { describeIssue, valueAt } from './schema-issue.js';

/**
 * Where a YAML text sits and how its problems are worded: a whole file, or the front matter of
 * a template, which starts some lines into its file and whose fields are "front matter fields".
 */
export interface YamlPlace {
  file: string;
  code: ErrorCode;
  /** Lines of the file before the text. */
  lineOffset?: number;
  /** What a field is called in messages. */
  field?: string;
  /** What a text of nothing but comments stands for, where that is valid (a config of defaults). */
  whenEmpty?: unknown;
}

/** A YAML text's document; a syntax error is named at its line. */
export function yamlDocument(text: string, place: YamlPlace): Document {
  // prettyErrors gives each error its line (and puts it into the message, where it is cut).
  const doc = parseDocument(text, { prettyErrors: true });
  const err = doc.errors[0];
  const line = err?.linePos?.[0]?.line;
  if (err) {
    const said = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const lines = text.split('\n');
    // A text line before the fields ("Riverside class" at the top) makes the file one text, and
    // the parser complains of the first field after it: the line without a colon is the mistake.
    const stray = err.code === 'UNEXPECTED_TOKEN' && /in YAML stream/.test(said) ? lines.findIndex((l) => /^[^\s#-][^:#]*$/.test(l)) : -1;
    const at = stray >= 0 ? stray + 1 : line;
    const message = stray >= 0 ? noColon(lines[stray]!.trim()) : inWords(err.code, said, at ? lines[at - 1]?.trim() : undefined);
    throw new HandoutError(place.code, `not valid YAML: ${message}`, { file: place.file, line: at && at + (place.lineOffset ?? 0) });
  }
  return doc;
}

const noColon = (line: string) => `"${line}" is no "key: value" line: a colon missing after the key?`;

/** The YAML parser's wording of the mistakes people make most, said with what to change. */
function inWords(code: string, said: string, line: string | undefined): string {
  if (line === undefined) return said;
  switch (code) {
    case 'BLOCK_AS_IMPLICIT_KEY':
      return /: .*: /.test(line)
        ? `a second ": " in one line: put a value with ": " in it in quotes (name: "Centro Cívico: Sala 3")`
        : 'this line is indented unlike the ones above it: the items of one list or map start in the same column';
    case 'MULTILINE_IMPLICIT_KEY':
      return noColon(line);
    case 'MISSING_CHAR':
      return /^Implicit map keys need to be followed/.test(said) ? noColon(line) : said;
    case 'TAB_AS_INDENT':
      return 'a tab indents this line: YAML indents with spaces';
    case 'DUPLICATE_KEY': {
      const key = /^\s*(?:- )?([^:]+):/.exec(line)?.[1]?.trim();
      return key ? `"${key}" is given twice in the same map` : said;
    }
    default:
      return said;
  }
}

/**
 * Plain values a " #" cut short: YAML reads "Room #2 - Riverside" as "Room" and a comment.
 * A comment meant as one has its own space after the # or two before it (`name: Ana  # host`);
 * right after one space and without one of its own, the # was part of the value.
 */
export function cutByComments(doc: Document, text: string): { key: string; value: string; rest: string; line: number }[] {
  const found: { key: string; value: string; rest: string; line: number }[] = [];
  visit(doc, {
    Pair(_, pair, path) {
      const v = pair.value;
      if (!isScalar(v) || v.type !== 'PLAIN' || !v.range || !isScalar(pair.key)) return;
      const after = text.slice(v.range[1], v.range[2]);
      if (!/^ #\S/.test(after)) return;
      // The key as messages name data values: sessions[1].start.
      let key = '';
      path.forEach((node, i) => {
        if (isPair(node)) key += `${key ? '.' : ''}${String((node.key as { value?: unknown }).value)}`;
        else if (isSeq(node)) key += `[${node.items.indexOf(path[i + 1] as never)}]`;
      });
      key += `${key ? '.' : ''}${String(pair.key.value)}`;
      found.push({ key, value: String(v.value), rest: after.slice(1).trimEnd(), line: lineAt(text, v.range[0]) });
    },
  });
  return found;
}

/**
 * Reads a YAML file and validates it against a schema. A problem is reported with the file,
 * the field path and, where YAML knows it, the line of that field.
 */
export function readYaml<T extends z.ZodTypeAny>(io: Io, path: string, schema: T, code: ErrorCode, whenEmpty?: unknown): z.infer<T> {
  return validateYaml(io.readText(path), schema, { file: io.relative(path), code, whenEmpty });
}

/** A YAML text validated against a schema, its problems named as `readYaml` names them. */
export function validateYaml<T extends z.ZodTypeAny>(text: string, schema: T, place: YamlPlace): z.infer<T> {
  const { file, code } = place;
  const doc = yamlDocument(text, place);
  const data = doc.toJS() ?? place.whenEmpty;
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = describeIssue(schema, result.error, data);
  const lineOf = (path: string[]) => {
    const found = keyLine(doc, text, path);
    return found === undefined ? place.lineOffset : found + (place.lineOffset ?? 0);
  };
  const label = place.field ?? 'field';
  if (issue.path.length === 0) throw new HandoutError(code, place.field ? `${place.field.replace(/ field$/, '')}: ${issue.message}` : issue.message, { file, line: place.lineOffset });
  const field = issue.path.join('.');
  // The file's other mistakes, each at its line, so that one run names them all (a brand file
  // with five took five runs to fix).
  const others = new Map<string, { at: number; said: string }>();
  // A field missing beside one not known is that field misspelt, said once.
  const misspeltIn = new Set(result.error.issues.filter((i) => i.code === 'unrecognized_keys').map((i) => i.path.join('.')));
  for (const one of result.error.issues) {
    const other = describeIssue(schema, { issues: [one] } as unknown as z.ZodError, data);
    const key = other.path.join('.');
    if (other.path.length === 0 || key === field || others.has(key)) continue;
    if (one.code === 'invalid_type' && valueAt(data, other.path) === undefined && misspeltIn.has(other.path.slice(0, -1).join('.'))) continue;
    const at = lineOf(other.path);
    others.set(key, { at: at ?? 0, said: `\n  also ${file}${at === undefined ? '' : `:${at}`}: ${label} "${key}": ${other.message}` });
  }
  const listed = [...others.values()].sort((a, b) => a.at - b.at).slice(0, MORE_ISSUES);
  const also = listed.map((o) => o.said).join('') + (others.size > MORE_ISSUES ? `\n  and ${others.size - MORE_ISSUES} more` : '');
  throw new HandoutError(code, `${label} "${field}": ${issue.message}${also}`, { file, line: lineOf(issue.path), key: field });
}

/** Mistakes of a file named after the first, at most. */
const MORE_ISSUES = 5;

/**
 * The line of a field's key in a YAML text (a list item's own line), or of the nearest
 * enclosing field the text has (a missing field).
 */
export function keyLine(doc: Document, text: string, path: (string | number)[]): number | undefined {
  for (let depth = path.length; depth > 0; depth--) {
    type Node = { key?: { value?: unknown; range?: number[] } | null; range?: number[] };
    const parent = doc.getIn(path.slice(0, depth - 1), true) as { items?: Node[] } | undefined;
    const name = String(path[depth - 1]);
    const item = (depth === 1 ? (doc.contents as typeof parent) : parent)?.items?.find((p, i) => String(p.key?.value ?? i) === name);
    // A map's entry is found at its key; a list's item (no key) at itself.
    const offset = item && 'key' in item ? item.key?.range?.[0] : item?.range?.[0];
    if (offset !== undefined) return lineAt(text, offset);
  }
  return undefined;
}

/**
 * An error that names a key of a data, locale or config file but no line gets the key's line,
 * so an editor can jump to it. JSON is YAML, so one parser finds keys in both. A locale file's
 * keys are named with the file's namespace first ("benefits.title" in benefits.json).
 */
export function atKeyLine(io: Io, e: unknown): unknown {
  if (!(e instanceof HandoutError) || !e.where.file || !e.where.key || e.where.line || !/\.(json|ya?ml)$/.test(e.where.file)) return e;
  const { file, key } = e.where;
  try {
    const text = io.readText(file);
    const namespace = /(?:^|\/)locales\/[^/]+\/([^/]+)\.json$/.exec(file)?.[1];
    const inFile = namespace && key.startsWith(`${namespace}.`) ? key.slice(namespace.length + 1) : key;
    const line = keyLine(yamlDocument(text, { file, code: e.code }), text, dottedKey(inFile).split('.'));
    return line ? new HandoutError(e.code, e.message, { ...e.where, line }) : e;
  } catch {
    return e; // a file that cannot be read again or parsed keeps the message as it was
  }
}
