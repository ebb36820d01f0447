import type { Box, LayoutDoc, LayoutPage, RectBox } from '../model/layout.js';
import { HALF_OF, PAGE_SIZES } from './units.js';

const CUT_LINE = { hex: '#9aa5b1' };

/**
 * 2-up imposition as a layout transform: every page twice on the sheet it is half of (A5 on A4,
 * half-letter on Letter), side by side for upright pages and one above the other for landscape
 * ones, with a dashed cut line between the copies. The sheet is the paper's own size: two A5
 * pages are 1 mm narrower than A4, and a printer given an 839 × 595 pt page scales it or picks
 * another tray; each copy is centred in its half. The second copy is marked as a repeat so
 * accessible readers get the text once.
 */
export function imposeTwoUp(doc: LayoutDoc): LayoutDoc {
  const pages = doc.pages.map((page) => {
    const upright = page.width <= page.height;
    const [sw, sh] = sheetFor(page, upright);
    const halfW = upright ? sw / 2 : sw;
    const halfH = upright ? sh : sh / 2;
    const dx = (halfW - page.width) / 2;
    const dy = (halfH - page.height) / 2;
    const copy = (x: number, y: number, repeat: boolean): Box[] =>
      page.boxes.map((b) => {
        const moved = b.kind === 'line' ? { ...b, x1: b.x1 + x, x2: b.x2 + x, y1: b.y1 + y, y2: b.y2 + y } : b.kind === 'rect' ? toHalfEdges(b, page, x, y, dx, dy) : { ...b, x: b.x + x, y: b.y + y };
        return repeat ? { ...moved, repeat: true } : moved;
      });
    const second = upright ? copy(halfW + dx, dy, true) : copy(dx, halfH + dy, true);
    const cut: Box = upright
      ? { kind: 'line', x1: halfW, y1: 0, x2: halfW, y2: sh, color: CUT_LINE, width: 0.5, dash: [4, 3], repeat: true }
      : { kind: 'line', x1: 0, y1: halfH, x2: sw, y2: halfH, color: CUT_LINE, width: 0.5, dash: [4, 3], repeat: true };
    return { width: sw, height: sh, boxes: [...copy(dx, dy, false), ...second, cut] };
  });
  return { ...doc, pages };
}

/**
 * A background reaching a page's edge (the header band) reaches its half's edge: the margin
 * centring leaves would otherwise show as a white sliver, and the painter extends into the bleed
 * only what touches the sheet's edge.
 */
function toHalfEdges(b: RectBox, page: LayoutPage, x: number, y: number, dx: number, dy: number): RectBox {
  const EDGE = 0.01;
  const left = b.x <= EDGE ? dx : 0;
  const right = b.x + b.w >= page.width - EDGE ? dx : 0;
  const top = b.y <= EDGE ? dy : 0;
  const bottom = b.y + b.h >= page.height - EDGE ? dy : 0;
  return { ...b, x: b.x + x - left, y: b.y + y - top, w: b.w + left + right, h: b.h + top + bottom };
}

/** The sheet a page is half of, turned to hold two; a page of no known half size gets a sheet of exactly two. */
function sheetFor(page: LayoutPage, upright: boolean): [number, number] {
  const [short, long] = [Math.min(page.width, page.height), Math.max(page.width, page.height)];
  for (const [sheet, half] of Object.entries(HALF_OF)) {
    const [hw, hh] = PAGE_SIZES[half]!;
    if (Math.abs(hw - short) < 0.01 && Math.abs(hh - long) < 0.01) {
      const [w, h] = PAGE_SIZES[sheet]!;
      return upright ? [h, w] : [w, h];
    }
  }
  return upright ? [page.width * 2, page.height] : [page.width, page.height * 2];
}
