import type { FontFace } from '../fonts/face.js';
import type { PlacedGlyph } from '../model/layout.js';

export interface ShapedText {
  /** Glyphs in display order (right-to-left text comes back reversed, as it is drawn). */
  glyphs: PlacedGlyph[];
  /** Sum of advances, font units. */
  advance: number;
  /** Some cluster draws its glyphs in another order than its characters (e.g. Devanagari ि). */
  reordered: boolean;
}

/**
 * Shaping is the costly step and text repeats across documents (every locale's headings, every
 * brand's copy of the same flyer), so results are kept per face, direction and text, in font
 * units, independent of size. Bounded so a long batch does not grow without limit.
 */
const cache = new Map<string, ShapedText>();
const MAX_ENTRIES = 200_000;

export function shape(face: FontFace, text: string, rtl: boolean): ShapedText {
  const key = `${face.key}\u0000${rtl ? 'r' : 'l'}\u0000${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  // fontkit keeps one glyph object per id, carrying the characters of its first use; a fresh
  // cache per call makes every glyph report the characters it stands for in this text, so
  // the result never depends on what was shaped before (and PDFs stay byte-identical).
  (face.font as unknown as { _glyphs: Record<number, unknown> })._glyphs = {};
  const run = face.font.layout(text, undefined, undefined, undefined, rtl ? 'rtl' : 'ltr');
  const glyphs: PlacedGlyph[] = [];
  let advance = 0;
  for (let i = 0; i < run.glyphs.length; i++) {
    const g = run.glyphs[i]!;
    const p = run.positions[i]!;
    glyphs.push({ id: g.id, advance: p.xAdvance, dx: p.xOffset, dy: p.yOffset, codePoints: [...g.codePoints] });
    advance += p.xAdvance;
  }
  const shaped: ShapedText = { glyphs, advance, reordered: isReordered(glyphs, text, rtl) };
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(key, shaped);
  return shaped;
}

/**
 * True when the glyphs' characters, read in logical order, do not spell the text: a cluster
 * draws its glyphs in another order than it is typed (Devanagari ि is drawn before its
 * consonant), or a default-ignorable character was hidden. The painter then adds the text
 * itself (ActualText) so copying and extraction give the typed order.
 */
function isReordered(glyphs: PlacedGlyph[], text: string, rtl: boolean): boolean {
  const order = rtl ? [...glyphs].reverse() : glyphs;
  let spelled = '';
  for (const g of order) spelled += String.fromCodePoint(...g.codePoints);
  return spelled !== text;
}
