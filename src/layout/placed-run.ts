import type { GlyphRunBox } from '../model/layout.js';
import type { Color } from '../model/style.js';

/**
 * A copy of a kept run (a cached paragraph's, a kept body's), placed, coloured and tagged for
 * one document. Written out field by field: an object spread of runs was the costliest line of
 * layout.
 */
export function placedRun(r: GlyphRunBox, x: number, y: number, color: Color, tag: number | undefined): GlyphRunBox {
  const run: GlyphRunBox = {
    kind: 'glyphs',
    x,
    y,
    face: r.face,
    size: r.size,
    color,
    glyphs: r.glyphs,
    text: r.text,
    rtl: r.rtl,
    width: r.width,
    lang: r.lang,
    fakeBold: r.fakeBold,
    reordered: r.reordered,
  };
  if (tag !== undefined) run.tag = tag;
  if (r.repeat) run.repeat = r.repeat;
  return run;
}
