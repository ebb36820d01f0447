import { Parser } from 'htmlparser2';
import type { DocNode, ElementNode, SourcePos } from '../model/doc-tree.js';
import { HandoutError } from '../model/diagnostic.js';
import { closest } from '../config/schema-issue.js';
import { allowedAttributes, BLOCK_ELEMENTS, INLINE_ELEMENTS, isKnownElement } from './elements.js';

const ELEMENTS = [...Object.keys(BLOCK_ELEMENTS), ...Object.keys(INLINE_ELEMENTS)];

/** Maps a line of rendered markup back to the template file and line it came from. */
export type LineMapper = (markupLine: number, hint: string) => SourcePos;

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
  const root: ElementNode = { type: 'element', name: '#root', attrs: {}, children: [], pos: mapLine(1, '') };
  const stack: ElementNode[] = [root];
  let error: HandoutError | null = null;
  const closes = new Set<number>();
  const failAt = (msg: string, pos: SourcePos) => {
    error ??= new HandoutError('markup', msg, { file: pos.file, line: pos.line });
  };
  const fail = (msg: string, index: number, hint: string) => failAt(msg, mapLine(lineAt(index), hint));
  const parser: Parser = new Parser(
    {
      onopentag(name, attrs) {
        const at = parser.startIndex;
        const pos = mapLine(lineAt(at), `<${name}`);
        if (!isKnownElement(name)) {
          // <h4> to <h6> mean a small heading: h3 is the smallest there is.
          const near = /^h[4-6]$/i.test(name) ? 'h3' : closest(name, ELEMENTS);
          fail(`unknown element <${name}>${near ? `; did you mean <${near}>?` : ''} (elements: ${ELEMENTS.join(', ')})`, at, `<${name}`);
        }
        const allowed = allowedAttributes(name);
        for (const a of Object.keys(attrs)) {
          if (allowed.includes(a)) continue;
          const near = closest(a, allowed);
          fail(`unknown attribute "${a}" on <${name}>${near ? `; did you mean "${near}"?` : ''} (allowed: ${allowed.join(', ') || 'none'})`, at, `<${name}`);
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
          const at = closer ? mapLine(lineAt(parser.startIndex), `</${closer}`) : null;
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
        else children.push({ type: 'text', text, pos: mapLine(lineAt(at), '') });
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
