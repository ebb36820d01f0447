import type { Box, LayoutDoc } from '../model/layout.js';

const CUT_LINE = { hex: '#9aa5b1' };

/**
 * 2-up imposition as a layout transform: every page twice, side by side on a landscape sheet
 * of twice its width, with a dashed cut line between the copies. The second copy is marked as
 * a repeat so accessible readers get the text once.
 */
export function imposeTwoUp(doc: LayoutDoc): LayoutDoc {
  const pages = doc.pages.map((page) => {
    const copy = (dx: number, repeat: boolean): Box[] =>
      page.boxes.map((b) => {
        const moved = b.kind === 'line' ? { ...b, x1: b.x1 + dx, x2: b.x2 + dx } : { ...b, x: b.x + dx };
        return repeat ? { ...moved, repeat: true } : moved;
      });
    const cut: Box = { kind: 'line', x1: page.width, y1: 0, x2: page.width, y2: page.height, color: CUT_LINE, width: 0.5, dash: [4, 3], repeat: true };
    return { width: page.width * 2, height: page.height, boxes: [...copy(0, false), ...copy(page.width, true), cut] };
  });
  return { ...doc, pages };
}
