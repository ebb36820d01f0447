/**
 * Every error the tool reports to a user is a HandoutError: it names where the problem is
 * (file, and line, key or field when known) so one message is enough to fix the input.
 */
export interface SourceRef {
  /** Project-relative path of the file the problem is in. */
  file?: string;
  line?: number;
  /** Translation key, config field path or template value involved. */
  key?: string;
}

/** The 1-based line of a character offset in a file's text, for a SourceRef. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

export type ErrorCode =
  | 'usage'
  | 'unknown-template'
  | 'unknown-locale'
  | 'unknown-brand'
  | 'template-syntax'
  | 'template-data'
  | 'markup'
  | 'missing-translation'
  | 'invalid-config'
  | 'invalid-brand'
  | 'invalid-locale'
  | 'image'
  | 'font'
  | 'coverage'
  | 'overflow'
  | 'io'
  | 'worker'
  | 'internal';

export class HandoutError extends Error {
  readonly code: ErrorCode;
  readonly where: SourceRef;

  constructor(code: ErrorCode, message: string, where: SourceRef = {}) {
    super(message);
    this.name = 'HandoutError';
    this.code = code;
    this.where = where;
  }

  /** One line for a terminal: `file:line: message`. */
  format(): string {
    const loc = this.where.file
      ? `${this.where.file}${this.where.line ? `:${this.where.line}` : ''}: `
      : '';
    return `${loc}${this.message}`;
  }
}

/** Content too tall for the pages a template allows, with the heights to fit it by. */
export class OverflowError extends HandoutError {
  constructor(
    message: string,
    where: SourceRef,
    /** Points of content beyond the allowed pages. */
    readonly excess: number,
    /** Points of content room the allowed pages have. */
    readonly available: number,
  ) {
    super('overflow', message, where);
  }
}

export function isHandoutError(e: unknown): e is HandoutError {
  return e instanceof HandoutError;
}

/** Turns anything thrown into a user-facing line; unexpected errors keep their stack hint. */
export function describeError(e: unknown): string {
  if (isHandoutError(e)) return e.format();
  if (e instanceof Error) return `internal error: ${e.message}`;
  return `internal error: ${String(e)}`;
}
