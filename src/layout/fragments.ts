import type { Box } from '../model/layout.js';

/** A laid-out block: boxes relative to its own top-left, and how it joins its neighbours. */
export interface Fragment {
  h: number;
  boxes: Box[];
  before: number;
  after: number;
  keepWithNext: boolean;
  pageBreak?: boolean;
  /** Repeated below itself down to the foot of its page, pushing what follows there down (ruled note lines). */
  fillPage?: boolean;
  /**
   * A row of columns that may continue on the next page, each column breaking between its own
   * fragments (x from the row's left, fragments from the row's top); `boxes` is the whole row.
   */
  columns?: Column[];
}

export interface Column {
  x: number;
  frags: Fragment[];
}

/** Where each fragment starts when stacked (the larger of adjoining spacings), and the total height. */
export function stacking(frags: Fragment[]): { tops: number[]; h: number } {
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

/** Lines a column takes to the next page at least: one alone there reads as lost. */
const LEAST_TAIL = 2;

/**
 * Whether a column may end a page after its first `k` fragments: not inside a keep chain,
 * and not carrying a single fragment over.
 */
function cutsAt(frags: Fragment[], k: number): boolean {
  const rest = frags.length - k;
  return rest === 0 || (rest >= LEAST_TAIL && !frags[k - 1]!.keepWithNext);
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
    while (!cutsAt(c.frags, k)) k++;
    return stacking(c.frags.slice(0, k)).h;
  }));
}

/**
 * A row of columns split at a page break: each column keeps on this page what fits in `room`
 * (whole fragments, never inside a keep chain, never carrying a single one over), the rest
 * continues at the top of the next. Null when a column could leave nothing here: the row then
 * moves whole.
 */
export function splitRow(f: Fragment, room: number): { head: Fragment; tail: Fragment } | null {
  if (!f.columns) return null;
  const cuts = f.columns.map((c) => {
    let best = 0;
    for (let k = 1; k <= c.frags.length; k++) {
      if (stacking(c.frags.slice(0, k)).h > room + 0.01) break;
      if (cutsAt(c.frags, k)) best = k;
    }
    return best;
  });
  if (cuts.some((k) => k === 0) || f.columns.every((c, i) => cuts[i] === c.frags.length)) return null;
  const head = sideBySide(f.columns.map((c, i) => ({ x: c.x, frags: c.frags.slice(0, cuts[i]) })));
  const tail = sideBySide(f.columns.map((c, i) => ({ x: c.x, frags: c.frags.slice(cuts[i]) })).filter((c) => c.frags.length > 0));
  return {
    head: { ...head, before: f.before, after: 0, keepWithNext: false },
    tail: { ...tail, before: 0, after: f.after, keepWithNext: f.keepWithNext, columns: tail.columns },
  };
}

/** Columns stacked each at its x, as one block: copies of their boxes, and the tallest column's height. */
export function sideBySide(columns: Column[]): { h: number; boxes: Box[]; columns: Column[] } {
  const boxes: Box[] = [];
  let h = 0;
  for (const c of columns) {
    const { tops, h: ch } = stacking(c.frags);
    c.frags.forEach((g, j) => boxes.push(...shift(g.boxes, c.x, tops[j]!)));
    h = Math.max(h, ch);
  }
  return { h, boxes, columns };
}
