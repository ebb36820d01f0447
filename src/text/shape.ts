import type { FontFace } from '../fonts/face.js';
import { fixFontkit } from '../fonts/fontkit-fixes.js';
import { keepGlyphMetrics } from '../fonts/glyph-metrics.js';
import { languageSystems } from '../fonts/sfnt-table.js';
import type { PlacedGlyph } from '../model/layout.js';
import { hasMyanmar, MYANMAR_FEATURES, myanmarDrawingOrder } from './myanmar.js';
import { openTypeLanguage } from './ot-language.js';

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

/**
 * Shaping results kept between runs (a project's cache folder, see batch/text-memory.ts): a
 * cold start then parses no GSUB/GPOS table for text it has shaped before. Keys are per face:
 * direction and text.
 */
export interface ShapeMemory {
  recall(face: FontFace, key: string): ShapedText | undefined;
  remember(face: FontFace, key: string, shaped: ShapedText): void;
}

/**
 * Changes when handout's own part of shaping changes (fontkit fixes, Myanmar order, language
 * systems), so a memory of results made the old way is not used.
 */
export const SHAPING_REVISION = 2;

let memory: ShapeMemory | null = null;

/** Registers the memory of this process (null: none). */
export function useShapeMemory(m: ShapeMemory | null): void {
  memory = m;
}

/**
 * `lang` (BCP 47) picks the font's forms for that language where it has them; `script` (a
 * Unicode script name) is the one to shape in when the text has none of its own.
 */
export function shape(face: FontFace, text: string, rtl: boolean, lang = '', script?: string): ShapedText {
  const language = shapingLanguage(face, lang);
  const tags = script === undefined ? undefined : OPENTYPE_SCRIPTS[script];
  const faceKey = `${rtl ? 'r' : 'l'}${language ?? ''}${tags ? `|${tags}` : ''}\u0000${text}`;
  const key = `${face.key}\u0000${faceKey}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const recalled = memory?.recall(face, faceKey);
  if (recalled) {
    cache.set(key, recalled);
    return recalled;
  }
  keepGlyphMetrics(face.font);
  // fontkit keeps one glyph object per id, carrying the characters of its first use; a fresh
  // cache per call makes every glyph report the characters it stands for in this text, so
  // the result never depends on what was shaped before (and PDFs stay byte-identical).
  (face.font as unknown as { _glyphs: Record<number, unknown> })._glyphs = {};
  fixFontkit(face.font);
  const myanmar = hasMyanmar(text);
  const run = face.font.layout(myanmar ? myanmarDrawingOrder(text) : text, myanmar ? MYANMAR_FEATURES : undefined, tags as string | undefined, language, rtl ? 'rtl' : 'ltr');
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
  memory?.remember(face, faceKey, shaped);
  return shaped;
}

/** OpenType script tags (newer shaping model first) by Unicode script name, for `shape`'s `script`. */
const OPENTYPE_SCRIPTS: Record<string, string | string[]> = {
  Latin: 'latn', Cyrillic: 'cyrl', Greek: 'grek', Armenian: 'armn', Georgian: 'geor', Hebrew: 'hebr', Arabic: 'arab',
  Devanagari: ['dev2', 'deva'], Bengali: ['bng2', 'beng'], Gurmukhi: ['gur2', 'guru'], Gujarati: ['gjr2', 'gujr'],
  Oriya: ['ory2', 'orya'], Tamil: ['tml2', 'taml'], Telugu: ['tel2', 'telu'], Kannada: ['knd2', 'knda'],
  Malayalam: ['mlm2', 'mlym'], Sinhala: 'sinh', Thai: 'thai', Lao: 'lao ', Myanmar: ['mym2', 'mymr'], Khmer: 'khmr',
  Ethiopic: 'ethi', Han: 'hani', Hiragana: 'kana', Katakana: 'kana', Hangul: 'hang',
};

const systems = new WeakMap<FontFace, Set<string>>();

/**
 * The language system to shape in: the language's own when the face has forms for it, else
 * none. Most Latin fonts have none for most languages, so a brand name or a phone number
 * shaped for one locale is the same shaping for the next. (fontkit would also rebuild its
 * feature table at every run asking for a language it did not find.)
 */
function shapingLanguage(face: FontFace, lang: string): string | undefined {
  const tag = openTypeLanguage(lang);
  if (tag === undefined) return undefined;
  let known = systems.get(face);
  if (!known) systems.set(face, (known = languageSystems(face.font)));
  return known.has(tag) ? tag : undefined;
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
