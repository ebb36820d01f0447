import type { Box } from '../model/layout.js';

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
}

/** A column's parts in order, top to bottom: each a run of `count` of the row's boxes from `first`. */
export type Column = (Spacing & { first: number; count: number })[];

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
 * boxes are copies, the columns what `splitRow` needs.
 */
export function sideBySide(columns: { x: number; frags: Fragment[] }[]): { h: number; boxes: Box[]; columns: Column[] } {
  const boxes: Box[] = [];
  let h = 0;
  const parts = columns.map(({ x, frags }) => {
    const { tops, h: ch } = stacking(frags);
    h = Math.max(h, ch);
    return frags.map((f, j) => {
      const first = boxes.length;
      boxes.push(...shift(f.boxes, x, tops[j]!));
      return { h: f.h, before: f.before, after: f.after, keepWithNext: f.keepWithNext, first, count: f.boxes.length };
    });
  });
  return { h, boxes, columns: parts };
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
  return Math.max(...f.columns.map((c) => {
    let k = 1;
    while (!cutsAt(c, k)) k++;
    return headHeight(c, stacking(c).tops, k);
  }));
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
      if (headHeight(c, stacks[i]!.tops, k) > room + 0.01) break;
      if (cutsAt(c, k)) best = k;
    }
    return best;
  });
  if (cuts.some((k) => k === 0) || f.columns.every((c, i) => cuts[i] === c.length)) return null;
  const head: Box[] = [];
  const tail: Box[] = [];
  let [headH, tailH] = [0, 0];
  const rest: Column[] = [];
  f.columns.forEach((c, i) => {
    const cut = cuts[i]!;
    for (const p of c.slice(0, cut)) head.push(...f.boxes.slice(p.first, p.first + p.count));
    const { tops } = stacks[i]!;
    headH = Math.max(headH, headHeight(c, tops, cut));
    if (cut === c.length) return;
    // The rest moves up to the row's top, its parts as far apart as they were.
    const moved = stacking(c.slice(cut));
    tailH = Math.max(tailH, moved.h);
    rest.push(c.slice(cut).map((p, j) => {
      const first = tail.length;
      tail.push(...shift(f.boxes.slice(p.first, p.first + p.count), 0, moved.tops[j]! - tops[cut + j]!));
      return { ...p, first };
    }));
  });
  return {
    head: { h: headH, boxes: head, before: f.before, after: 0, keepWithNext: false },
    tail: { h: tailH, boxes: tail, before: 0, after: f.after, keepWithNext: f.keepWithNext, columns: rest },
  };
}
