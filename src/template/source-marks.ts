import { SOURCE_ATTR } from '../markup/parse.js';

type Node = { type?: string; value?: unknown; original?: unknown; loc?: { start: { line: number } } | null };

/**
 * Gives every element tag a template or partial writes literally an attribute with its file and
 * line (markup/parse.ts reads and drops it), so that a message about an element names where it
 * is written, whatever partials, loops and stripped lines came before it in the output.
 */
export function markSources(ast: hbs.AST.Program, file: string): hbs.AST.Program {
  visit(ast, file);
  return ast;
}

function visit(value: unknown, file: string): void {
  if (Array.isArray(value)) {
    for (const v of value) visit(v, file);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const node = value as Node;
  if (node.type === 'ContentStatement') {
    mark(node, file);
    return;
  }
  for (const [k, v] of Object.entries(node)) if (k !== 'loc') visit(v, file);
}

function mark(node: Node, file: string): void {
  const value = node.value as string;
  const original = typeof node.original === 'string' ? node.original : value;
  if (!node.loc || !value.includes('<')) return;
  // Handlebars trims a standalone line's whitespace from `value`; lines count in `original`,
  // where `loc` points.
  const offset = Math.max(0, original.indexOf(value));
  let line = node.loc.start.line;
  let counted = 0;
  node.value = value.replace(/<([A-Za-z][\w-]*)/g, (tag: string, _name: string, at: number) => {
    for (let i = counted; i < offset + at; i++) if (original[i] === '\n') line++;
    counted = offset + at;
    return `${tag} ${SOURCE_ATTR}="${file}:${line}"`;
  });
}
