import type { Io } from '../io/io.js';
import type { DocNode } from '../model/doc-tree.js';
import type { Box, StructNode } from '../model/layout.js';
import type { Color } from '../model/style.js';
import type { Fragment } from './fragments.js';
import { placedRun } from './placed-run.js';

export type ThemeSlot = 'primary' | 'secondary' | 'accent' | 'text' | 'muted' | 'background' | 'onPrimary';
export type Theme = Record<ThemeSlot, Color>;

const SLOTS: ThemeSlot[] = ['primary', 'secondary', 'accent', 'text', 'muted', 'background', 'onPrimary'];

/**
 * Stands for a brand's colours while a document's body is laid out: each slot its own colour,
 * so the layout can be kept and given any brand's colours after. Colour takes no part in
 * where anything goes; the slots stay apart even where a brand gives two the same value.
 */
export const PLACEHOLDER_THEME: Theme = Object.fromEntries(SLOTS.map((slot) => [slot, { hex: `#theme-${slot}` }])) as Theme;
const slotOf = new Map<Color, ThemeSlot>(SLOTS.map((slot) => [PLACEHOLDER_THEME[slot], slot]));

/** A body as laid out with the placeholder colours: its fragments and the structure nodes it made (numbered from 0). */
export interface BrandFreeBody {
  fragments: Fragment[];
  structure: StructNode[];
}

/**
 * Laid-out bodies, per project files (a workspace's, with its fonts): the body of a flyer is
 * the same for every brand of a locale (its texts, type size and width), and the brand only
 * colours it. Kept by everything the layout reads but the colours.
 */
const bodies = new WeakMap<Io, Map<string, BrandFreeBody>>();
/** Bodies of one-off data (a class handout per data file) are not met again; the memory stays bounded. */
const MAX_BODIES = 500;

export function brandFreeBody(io: Io, key: string, layOut: () => BrandFreeBody): BrandFreeBody {
  let perProject = bodies.get(io);
  let body = perProject?.get(key);
  if (!body) {
    body = layOut();
    if (!perProject) bodies.set(io, (perProject = new Map()));
    if (perProject.size >= MAX_BODIES) perProject.clear();
    perProject.set(key, body);
  }
  return body;
}

/** What a body's layout depends on besides the layout settings: its elements, attributes and text (not where they came from). */
export function contentKey(nodes: DocNode[]): string {
  let key = '';
  const walk = (n: DocNode) => {
    if (n.type === 'text') {
      key += `\u0002${n.text}`;
      return;
    }
    key += `\u0003${n.name}`;
    for (const [a, v] of Object.entries(n.attrs)) key += `\u0004${a}=${v}`;
    for (const c of n.children) walk(c);
    key += '\u0005';
  };
  nodes.forEach(walk);
  return key;
}

/**
 * A kept body for one document: every box copied (pagination moves boxes in place), the
 * placeholder colours replaced by the brand's, and structure tags moved past the `offset`
 * nodes the document made before its body (the header's).
 */
export function instantiate(body: BrandFreeBody, theme: Theme, offset: number): { fragments: Fragment[]; structure: StructNode[] } {
  const color = (c: Color): Color => {
    const slot = slotOf.get(c);
    return slot ? theme[slot] : c;
  };
  // Copies keep exactly the fields the originals have.
  const copy = (b: Box): Box => {
    if (b.kind === 'glyphs') return placedRun(b, b.x, b.y, color(b.color), b.tag === undefined ? undefined : b.tag + offset);
    const c = { ...b };
    if (c.tag !== undefined) c.tag += offset;
    if (c.kind === 'rect') {
      if (c.fill) c.fill = color(c.fill);
      if (c.stroke) c.stroke = color(c.stroke);
    } else if (c.kind === 'line') c.color = color(c.color);
    else if (c.kind === 'path') {
      c.paths = c.paths.map((p) => {
        const q = { ...p };
        if (q.fill) q.fill = color(q.fill);
        if (q.stroke) q.stroke = color(q.stroke);
        return q;
      });
    }
    return c;
  };
  return {
    fragments: body.fragments.map((f) => ({ ...f, boxes: f.boxes.map(copy) })),
    structure: body.structure.map((n) => ({ ...n, id: n.id + offset, parent: n.parent === null ? null : n.parent + offset })),
  };
}
