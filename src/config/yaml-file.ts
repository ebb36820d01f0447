import { parseDocument } from 'yaml';
import type { z } from 'zod';
import type { Io } from '../io/io.js';
import { type ErrorCode, HandoutError } from '../model/diagnostic.js';

/**
 * Reads a YAML file and validates it against a schema. A problem is reported with the file,
 * the field path and, where YAML knows it, the line of that field.
 */
export function readYaml<T extends z.ZodTypeAny>(io: Io, path: string, schema: T, code: ErrorCode): z.infer<T> {
  const file = io.relative(path);
  const text = io.readText(path);
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const line = err.linePos?.[0]?.line;
    throw new HandoutError(code, `not valid YAML: ${err.message.split('\n')[0]}`, { file, line });
  }
  const result = schema.safeParse(doc.toJS());
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const fieldPath = issue.path.map(String);
  let line: number | undefined;
  const node = doc.getIn(fieldPath, true) as { range?: [number, number, number] } | undefined;
  const offset = node?.range?.[0];
  if (offset !== undefined) line = text.slice(0, offset).split('\n').length;
  const field = fieldPath.join('.') || '(top level)';
  throw new HandoutError(code, `field "${field}": ${issue.message}`, { file, line, key: field });
}
