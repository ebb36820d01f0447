import type { Box, RectBox } from '../model/layout.js';

/** How a block joins its neighbours in a flow. */
export interface Spacing {
  h: number;
  before: number;
  after: number;
  keepWithNext: boolean;
}

/** A laid-out block: boxes relative to its own top-left, and how it joins its neighbours. */
export interface Fragment extends Spacing {
  boxes: Box[];
  pageBreak?: boolean;
  /** Repeated below itself down to the foot of its page, pushing what follows there down (ruled note lines). */
  fillPage?: boolean;
  /** Its text's widest unbreakable stretch, where known: a row gives its cell at least that. */
  widest?: number;
  /**
   * A row of columns that may continue on the next page, each column breaking between its own
   * parts. The parts name their boxes by place in `boxes`, so a copy of the row in a brand's
   * colours (brand-free.ts) needs no copy of its columns.
   */
  columns?: Column[];
  /** Per column, the frame it is drawn in (a box that continues on the next page), or null. */
  frames?: (Frame | null)[];
}

/** A column's parts in order, top to bottom: each a run of `count` of the row's boxes from `first`. */
export type Column = (Spacing & { first: number; count: number })[];

/**
 * A filled or bordered box whose parts may continue on the next page: its rect is the row's
 * box at `rect` (drawn again, shorter, around each page's share of the parts), and its parts
 * sit `pad` inside it.
 */
export interface Frame {
  rect: number;
  pad: number;
}

/** Where each block starts when stacked (the larger of adjoining spacings), and the total height. */
export function stacking(frags: Pick<Spacing, 'h' | 'before' | 'after'>[]): { tops: number[]; h: number } {
  let y = 0;
  const tops = frags.map((f, i) => {
    if (i > 0) y += Math.max(frags[i - 1]!.after, f.before);
    const top = y;
    y += f.h;
    return top;
  });
  return { tops, h: y };
}

/** Copies of boxes, moved: for boxes placed more than once (on pages, in every page's footer). */
export const shift = (boxes: Box[], dx: number, dy: number): Box[] =>
  boxes.map((b) => (b.kind === 'line' ? { ...b, x1: b.x1 + dx, x2: b.x2 + dx, y1: b.y1 + dy, y2: b.y2 + dy } : { ...b, x: b.x + dx, y: b.y + dy }));

/**
 * Columns of fragments side by side as one row (each column at its x, from the row's top): the
 * boxes are copies, the columns what `splitRow` needs. A framed column's fragments are the
 * box's content, laid out `pad` narrower; its rect is drawn around them.
 */
export function sideBySide(columns: { x: number; frags: Fragment[]; frame?: { rect: RectBox; pad: number } }[]): { h: number; boxes: Box[]; columns: Column[]; frames: (Frame | null)[] } {
  const boxes: Box[] = [];
  let h = 0;
  const frames: (Frame | null)[] = [];
  const parts = columns.map(({ x, frags, frame }) => {
    const { tops, h: ch } = stacking(frags);
    const pad = frame?.pad ?? 0;
    h = Math.max(h, ch + 2 * pad);
    if (frame) boxes.push({ ...frame.rect, x, y: 0, h: ch + 2 * pad });
    frames.push(frame ? { rect: boxes.length - 1, pad } : null);
    return frags.map((f, j) => {
      const first = boxes.length;
      boxes.push(...shift(f.boxes, x + pad, pad + tops[j]!));
      return { h: f.h, before: f.before, after: f.after, keepWithNext: f.keepWithNext, first, count: f.boxes.length };
    });
  });
  return { h, boxes, columns: parts, frames };
}

/** Lines a column takes to the next page at least: one alone there reads as lost. */
const LEAST_TAIL = 2;

/**
 * Whether a column may end a page after its first `k` parts: not inside a keep chain, and not
 * carrying a single part over.
 */
function cutsAt(column: Column, k: number): boolean {
  const rest = column.length - k;
  return rest === 0 || (rest >= LEAST_TAIL && !column[k - 1]!.keepWithNext);
}

/**
 * The least a row of columns can leave on a page when it splits: in each column its first
 * keep chain (a heading with its first lines). What precedes the row and keeps with it needs
 * only this much room below it.
 */
export function leastHead(f: Fragment): number {
  if (!f.columns) return f.h;
  return Math.max(...f.columns.map((c, i) => {
    let k = 1;
    while (!cutsAt(c, k)) k++;
    return headHeight(c, stacking(c).tops, k) + 2 * padOf(f, i);
  }));
}

/** The padding of a column's frame: 0 for a column without one. */
const padOf = (f: Fragment, i: number) => f.frames?.[i]?.pad ?? 0;

/** A column's frame drawn again around `h` of its content, at the top of where it is placed. */
function reframe(f: Fragment, i: number, h: number): Box[] {
  const frame = f.frames?.[i];
  if (!frame) return [];
  return [{ ...(f.boxes[frame.rect] as RectBox), y: 0, h: h + 2 * frame.pad }];
}

/** The height of a column's first `k` parts stacked (`tops` from stacking the column). */
const headHeight = (column: Column, tops: number[], k: number) => tops[k - 1]! + column[k - 1]!.h;

/**
 * A row of columns split at a page break: each column keeps on this page what fits in `room`
 * (whole parts, never inside a keep chain, never carrying a single one over), the rest
 * continues at the top of the next. Null when a column could leave nothing here: the row then
 * moves whole.
 */
export function splitRow(f: Fragment, room: number): { head: Fragment; tail: Fragment } | null {
  if (!f.columns) return null;
  const stacks = f.columns.map((c) => stacking(c));
  const cuts = f.columns.map((c, i) => {
    let best = 0;
    for (let k = 1; k <= c.length; k++) {
      if (headHeight(c, stacks[i]!.tops, k) + 2 * padOf(f, i) > room + 0.01) break;
      if (cutsAt(c, k)) best = k;
    }
    return best;
  });
  if (cuts.some((k) => k === 0) || f.columns.every((c, i) => cuts[i] === c.length)) return null;
  const head: Box[] = [];
  const tail: Box[] = [];
  let [headH, tailH] = [0, 0];
  const rest: Column[] = [];
  const restFrames: (Frame | null)[] = [];
  f.columns.forEach((c, i) => {
    const cut = cuts[i]!;
    const pad = padOf(f, i);
    const { tops } = stacks[i]!;
    const kept = cut === c.length ? stacks[i]!.h : headHeight(c, tops, cut);
    head.push(...reframe(f, i, kept));
    for (const p of c.slice(0, cut)) head.push(...f.boxes.slice(p.first, p.first + p.count));
    headH = Math.max(headH, kept + 2 * pad);
    if (cut === c.length) return;
    // The rest moves up to the row's top, its parts as far apart as they were, in a frame of
    // its own where the column had one.
    const moved = stacking(c.slice(cut));
    tailH = Math.max(tailH, moved.h + 2 * pad);
    const frame = reframe(f, i, moved.h);
    restFrames.push(frame.length ? { rect: tail.length, pad } : null);
    tail.push(...frame);
    rest.push(c.slice(cut).map((p, j) => {
      const first = tail.length;
      tail.push(...shift(f.boxes.slice(p.first, p.first + p.count), 0, moved.tops[j]! - tops[cut + j]!));
      return { ...p, first };
    }));
  });
  return {
    head: { h: headH, boxes: head, before: f.before, after: 0, keepWithNext: false },
    tail: { h: tailH, boxes: tail, before: 0, after: f.after, keepWithNext: f.keepWithNext, columns: rest, frames: restFrames },
  };
}
