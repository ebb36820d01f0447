import type { Font } from 'fontkit';

/**
 * fontkit works out a glyph's advance together with its vertical metrics, and for those it
 * decodes the glyph's outline box (a TrueType glyph header, or a whole CFF charstring). Shaping
 * throws fontkit's glyph objects away before every text (see text/shape.ts), so every word
 * decoded the boxes of all its glyphs again: a fifth of a locale's first flyer. A glyph's
 * metrics depend on the font and the glyph id alone, so they are kept here per font and glyph
 * and handed to each new glyph object.
 *
 * The mend goes on the prototypes of fontkit's glyph classes (which it does not export) the
 * first time a font is seen. Fonts with variations are left alone: their metrics depend on the
 * instance, and fontkit adjusts them in place.
 */
const kept = new WeakMap<object, Map<number, object>>();
const mended = new WeakSet<object>();
const seen = new WeakSet<Font>();

interface GlyphObject {
  id: number;
  _font: { _variationProcessor?: unknown };
  _metrics?: object;
  _getMetrics(this: GlyphObject, cbox?: unknown): object;
}

/** Call before the font's glyph objects are thrown away: it makes one (glyph 0) to reach its class. */
export function keepGlyphMetrics(font: Font): void {
  if (seen.has(font)) return;
  seen.add(font);
  const glyph = font.getGlyph(0) as unknown as GlyphObject;
  for (let proto = Object.getPrototypeOf(glyph); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    if (mended.has(proto) || !Object.hasOwn(proto, '_getMetrics')) continue;
    mended.add(proto);
    const own = proto._getMetrics as GlyphObject['_getMetrics'];
    proto._getMetrics = function (this: GlyphObject, cbox?: unknown) {
      if (this._metrics || this._font._variationProcessor) return own.call(this, cbox);
      let byId = kept.get(this._font);
      if (!byId) kept.set(this._font, (byId = new Map()));
      let metrics = byId.get(this.id);
      if (!metrics) byId.set(this.id, (metrics = own.call(this, cbox)));
      return (this._metrics = metrics);
    };
  }
}
