import { type Document, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { Io } from '../io/io.js';
import { type ErrorCode, HandoutError, lineAt } from '../model/diagnostic.js';
import { describeIssue } from './schema-issue.js';

/** A YAML text's document; a syntax error is named at its line. */
export function yamlDocument(text: string, file: string, code: ErrorCode): Document {
  // prettyErrors gives each error its line (and puts it into the message, where it is cut).
  const doc = parseDocument(text, { prettyErrors: true });
  const err = doc.errors[0];
  if (err) throw new HandoutError(code, `not valid YAML: ${err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`, { file, line: err.linePos?.[0]?.line });
  return doc;
}

/**
 * Reads a YAML file and validates it against a schema. A problem is reported with the file,
 * the field path and, where YAML knows it, the line of that field. `whenEmpty` is what a file
 * with nothing but comments stands for, where that is a valid file (a project config using
 * every default).
 */
export function readYaml<T extends z.ZodTypeAny>(io: Io, path: string, schema: T, code: ErrorCode, whenEmpty?: unknown): z.infer<T> {
  const file = io.relative(path);
  const text = io.readText(path);
  const doc = yamlDocument(text, file, code);
  const data = doc.toJS() ?? whenEmpty;
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = describeIssue(schema, result.error, data);
  // The line of the field's key, or of the nearest enclosing field the file has (a missing field).
  let line: number | undefined;
  for (let depth = issue.path.length; depth > 0 && line === undefined; depth--) {
    const parent = doc.getIn(issue.path.slice(0, depth - 1), true) as { items?: { key?: { value?: unknown; range?: number[] } | null }[] } | undefined;
    const name = issue.path[depth - 1];
    const key = (depth === 1 ? (doc.contents as typeof parent) : parent)?.items?.find((p, i) => String(p.key?.value ?? i) === name)?.key;
    const offset = key?.range?.[0];
    if (offset !== undefined) line = lineAt(text, offset);
  }
  if (issue.path.length === 0) throw new HandoutError(code, issue.message, { file });
  const field = issue.path.join('.');
  throw new HandoutError(code, `field "${field}": ${issue.message}`, { file, line, key: field });
}
