import { Parser } from 'htmlparser2';
import type { DocNode, ElementNode, SourcePos } from '../model/doc-tree.js';
import { HandoutError } from '../model/diagnostic.js';
import { closest } from '../config/schema-issue.js';
import { allowedAttributes, BLOCK_ELEMENTS, INLINE_ELEMENTS, isKnownElement } from './elements.js';

const ELEMENTS = [...Object.keys(BLOCK_ELEMENTS), ...Object.keys(INLINE_ELEMENTS)];

/**
 * Maps a place of rendered markup back to the template or partial line it came from: `line` is
 * its line in `file` (null: the template itself) as far as the elements before it tell, `hint`
 * the text of the tag there (`</p`), which the source has at or near that line.
 */
export type LineMapper = (line: number, hint: string, file: string | null) => SourcePos;

/**
 * The attribute the template stage gives every element it writes literally (see
 * template/source-marks.ts): the file and line of its tag, as `file:line`. Handlebars keeps no
 * source map, and a partial's <p> was named at the template's <p> nearest the markup's line.
 */
export const SOURCE_ATTR = 'handout-src';

/**
 * Parses rendered markup into a DocTree with a real XML parser, checking every element and
 * attribute against the vocabulary. Entities (Handlebars escapes & < > " ') are decoded.
 */
export function parseMarkup(markup: string, mapLine: LineMapper): ElementNode {
  const lineStarts = [0];
  for (let i = 0; i < markup.length; i++) if (markup[i] === '\n') lineStarts.push(i + 1);
  const lineAt = (index: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  // Elements marked with their source, in markup order: a closing tag or text is placed from
  // the last one before it.
  const marks: { index: number; file: string; line: number; markupLine: number }[] = [];
  const locate = (index: number, hint: string): SourcePos => {
    let lo = 0;
    let hi = marks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (marks[mid]!.index <= index) lo = mid;
      else hi = mid - 1;
    }
    const mark = marks[lo];
    if (!mark || mark.index > index) return mapLine(lineAt(index), hint, null);
    return mapLine(mark.line + lineAt(index) - mark.markupLine, hint, mark.file);
  };
  const root: ElementNode = { type: 'element', name: '#root', attrs: {}, children: [], pos: mapLine(1, '', null) };
  const stack: ElementNode[] = [root];
  let error: HandoutError | null = null;
  const closes = new Set<number>();
  const failAt = (msg: string, pos: SourcePos) => {
    error ??= new HandoutError('markup', msg, { file: pos.file, line: pos.line });
  };
  const fail = (msg: string, index: number, hint: string) => failAt(msg, locate(index, hint));
  const parser: Parser = new Parser(
    {
      onopentag(name, attrs) {
        const at = parser.startIndex;
        const src = attrs[SOURCE_ATTR];
        delete attrs[SOURCE_ATTR];
        const marked = src === undefined ? null : /^(.*):(\d+)$/.exec(src);
        if (marked) marks.push({ index: at, file: marked[1]!, line: Number(marked[2]), markupLine: lineAt(at) });
        const pos = marked ? { file: marked[1]!, line: Number(marked[2]) } : locate(at, `<${name}`);
        if (!isKnownElement(name)) {
          // <h4> to <h6> mean a small heading: h3 is the smallest there is.
          const near = /^h[4-6]$/i.test(name) ? 'h3' : closest(name, ELEMENTS);
          failAt(`unknown element <${name}>${near ? `; did you mean <${near}>?` : ''} (elements: ${ELEMENTS.join(', ')})`, pos);
        }
        const allowed = allowedAttributes(name);
        for (const a of Object.keys(attrs)) {
          if (allowed.includes(a)) continue;
          const near = closest(a, allowed);
          failAt(`unknown attribute "${a}" on <${name}>${near ? `; did you mean "${near}"?` : ''} (allowed: ${allowed.join(', ') || 'none'})`, pos);
        }
        const el: ElementNode = { type: 'element', name, attrs, children: [], pos };
        stack[stack.length - 1]!.children.push(el);
        stack.push(el);
      },
      onclosetag(name, isImplied) {
        const top = stack[stack.length - 1]!;
        if (isImplied && !markup.startsWith('/>', parser.endIndex - 1)) {
          // Named where it opens, with the closing tag that came before its own: a missing
          // </p> was reported at the file's first <p>, the line the hint "<p" found first.
          const closer = /^<\/([A-Za-z][\w-]*)/.exec(markup.slice(parser.startIndex))?.[1];
          const at = closer ? locate(parser.startIndex, `</${closer}`) : null;
          const before = closer && at ? `: </${closer}>${at.file === top.pos.file ? ` on line ${at.line}` : ` (${at.file}:${at.line})`} comes before its </${name}>` : '';
          if (top === root) fail(`<${name}> is never closed`, 0, `<${name}`);
          else failAt(`<${name}> is never closed${before}`, top.pos);
        } else if (!isImplied) closes.add(parser.startIndex);
        if (top.name === name) stack.pop();
      },
      ontext(text) {
        const at = parser.startIndex;
        const children = stack[stack.length - 1]!.children;
        const last = children[children.length - 1];
        // The parser reports text in pieces around entities; keep one node per run of text.
        if (last?.type === 'text') last.text += text;
        else children.push({ type: 'text', text, pos: locate(at, '') });
      },
    },
    { xmlMode: true, decodeEntities: true, recognizeSelfClosing: true },
  );
  parser.write(markup);
  parser.end();
  // A closing tag with no open element is dropped by the parser without a word: find it.
  for (const m of markup.matchAll(/<\/([A-Za-z][\w-]*)\s*>/g)) {
    if (!closes.has(m.index)) fail(`closing </${m[1]}> has no matching <${m[1]}>`, m.index, `</${m[1]}`);
  }
  if (error) throw error;
  if (stack.length > 1) {
    const open = stack[stack.length - 1]!;
    throw new HandoutError('markup', `<${open.name}> is never closed`, open.pos);
  }
  const doc = root.children.filter((c): c is ElementNode => c.type === 'element');
  if (doc.length !== 1 || doc[0]!.name !== 'document') {
    throw new HandoutError('markup', 'the template must produce exactly one <document> element', root.pos);
  }
  return doc[0]!;
}

export type { DocNode };
