import { type ErrorCode, HandoutError, lineAt } from '../model/diagnostic.js';

/**
 * JSON a person edits (translations, class data), parsed with its mistake named at its line.
 * Node 20's JSON.parse says "Unexpected token ']', ..."T10:00"}, ]," is not valid JSON" for a
 * comma after the last item, the commonest slip, with no position; so on failure the text is
 * walked again to find where and what.
 */
export function parseJsonText(text: string, file: string, code: ErrorCode): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    // A mistake the walk below does not know is still placed by JSON.parse's "at position N".
    const position = /at position (\d+)/.exec((e as Error).message);
    const found = jsonProblem(text) ?? (position ? { offset: Number(position[1]), problem: (e as Error).message.replace(/ in JSON at position \d+.*$/s, '') } : null);
    const problem = found?.problem ?? (e as Error).message;
    throw new HandoutError(code, `not valid JSON: ${problem}`, { file, line: found ? lineAt(text, found.offset) : undefined });
  }
}

interface JsonProblem {
  offset: number;
  problem: string;
}

class Stop {
  constructor(readonly found: JsonProblem) {}
}

/** Where and what the first mistake of a JSON text is, or null when it has none. */
export function jsonProblem(t: string): JsonProblem | null {
  let i = 0;
  const fail = (problem: string, offset = i): never => {
    throw new Stop({ offset, problem });
  };
  const space = () => {
    for (;;) {
      const c = t[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
      else if (c === '/' && (t[i + 1] === '/' || t[i + 1] === '*')) fail('a comment, which JSON does not allow');
      else return;
    }
  };
  const text = () => {
    const start = i++;
    while (t[i] !== '"') {
      if (i >= t.length) fail('a text with no closing "', start);
      if (t[i] === '\n') fail('a line break inside a text: end the text with " or write \\n');
      if (t[i]! < ' ') fail(t[i] === '\t' ? 'a tab inside a text: write \\t' : `the control character U+${t.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')} inside a text`);
      if (t[i] === '\\' && !/^(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})/.test(t.slice(i + 1, i + 6))) {
        fail(`"\\${t[i + 1] ?? ''}" is no escape JSON knows: write \\\\ for a backslash, \\n for a new line, \\" for a quote`);
      }
      i += t[i] === '\\' ? 2 : 1;
    }
    i++;
  };
  const ends = (inside: string) => `the file ends inside ${inside}: a closing ${inside[inside.length - 1]} is missing`;
  // A list or an object: items separated by commas, none after the last.
  const items = (open: string, close: string, item: () => void) => {
    const inside = `${open} … ${close}`;
    i++;
    space();
    if (t[i] === close) return void i++;
    for (;;) {
      space();
      if (t[i] === close) fail(`a comma before "${close}": JSON allows none after the last item`, t.lastIndexOf(',', i));
      item();
      // A comma left out is missing at the end of the item, not where the next one starts.
      const end = i;
      space();
      if (t[i] === ',') i++;
      else if (t[i] === close) return void i++;
      else if (i >= t.length) fail(ends(inside));
      // A quote inside a text ends it there: "Sitio "web"" reads as "Sitio " and then a word.
      else if (t[end - 1] === '"' && /[\p{L}\p{N}]/u.test(t[i] ?? '')) fail('a text ends at a " that is part of it: write \\" inside a text, or typographic quotes (“web”)', end - 1);
      else fail(`"," or "${close}" expected after an item (a comma missing?)`, end);
    }
  };
  const quoted = (what: string) => {
    if (t[i] === "'") fail(`${what} in single quotes: JSON takes double quotes`);
    if (t[i] === '"') return text();
    fail(i >= t.length ? 'the file ends where a value belongs' : `${what} in double quotes expected, not "${t[i]}"`);
  };
  const value = (): void => {
    space();
    const c = t[i];
    if (c === '{') {
      return items('{', '}', () => {
        quoted('a name');
        space();
        if (t[i] !== ':') fail('":" expected after the name');
        i++;
        value();
      });
    }
    if (c === '[') return items('[', ']', value);
    if (c === '"' || c === "'") return quoted('a text');
    const word = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.])|true\b|false\b|null\b/y;
    word.lastIndex = i;
    if (word.test(t)) return void (i = word.lastIndex);
    fail(i >= t.length ? 'the file ends where a value belongs' : `a value (text in double quotes, number, true, false or null) expected, not "${/^\S{1,12}/.exec(t.slice(i))?.[0]}"`);
  };
  if (t.trim() === '') return { offset: 0, problem: 'the file is empty' };
  try {
    value();
    space();
    if (i < t.length) fail('more after the end of the JSON value (a missing "[" or "{" at the start, or a stray character)');
    return null;
  } catch (e) {
    if (e instanceof Stop) return e.found;
    throw e;
  }
}
