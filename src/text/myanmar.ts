/**
 * Myanmar (Burmese, Shan, Mon, Karen …) for fontkit, which has no shaper for it: it would
 * draw the vowel sign E (ေ) and medial Ra (ြ) after their consonant, where they belong before
 * it, and leave stacked and medial forms unsubstituted. Here each syllable's characters are put
 * in the order HarfBuzz's Myanmar shaper puts their glyphs before the font's substitutions
 * (its "initial reordering"), and the run is shaped with the features that shaper applies.
 * Tests compare the glyphs with HarfBuzz's on Burmese text.
 */

/** The features HarfBuzz's Myanmar shaper applies besides the common ones fontkit always does. */
export const MYANMAR_FEATURES = ['rphf', 'pref', 'blwf', 'pstf', 'pres', 'abvs', 'blws', 'psts'];

/** Myanmar, Myanmar Extended-A and Extended-B. */
export function hasMyanmar(text: string): boolean {
  return /[\u1000-\u109f\uaa60-\uaa7f\ua9e0-\ua9ff]/.test(text);
}

type Cat = 'C' | 'Ra' | 'H' | 'As' | 'MR' | 'VPre' | 'VBlw' | 'A' | 'VS' | 'X';

/** The categories of HarfBuzz's Myanmar table that the reordering looks at (the rest: X). */
function category(cp: number): Cat {
  if (cp === 0x1004 || cp === 0x101b || cp === 0x105a) return 'Ra';
  if (cp === 0x1039) return 'H';
  if (cp === 0x103a) return 'As';
  if (cp === 0x103c) return 'MR';
  if (cp === 0x1031 || cp === 0x1084) return 'VPre';
  if (cp === 0x102f || cp === 0x1030 || cp === 0x1058 || cp === 0x1059) return 'VBlw';
  if (cp === 0x1036) return 'A';
  if (cp >= 0xfe00 && cp <= 0xfe0f) return 'VS';
  if (isBase(cp)) return 'C';
  return 'X';
}

/** Consonants, independent vowels, digits and placeholders: what a syllable is built on. */
function isBase(cp: number): boolean {
  return (
    (cp >= 0x1000 && cp <= 0x102a) || // consonants and independent vowels
    cp === 0x103f ||
    (cp >= 0x1040 && cp <= 0x1049) ||
    (cp >= 0x104e && cp <= 0x1055) ||
    (cp >= 0x105a && cp <= 0x105d) ||
    cp === 0x1061 ||
    cp === 0x1065 ||
    cp === 0x1066 ||
    (cp >= 0x106e && cp <= 0x1070) ||
    (cp >= 0x1075 && cp <= 0x1081) ||
    cp === 0x108e ||
    (cp >= 0x1090 && cp <= 0x1099) ||
    (cp >= 0xa9e0 && cp <= 0xa9e4) ||
    (cp >= 0xa9e7 && cp <= 0xa9ef) ||
    (cp >= 0xa9fa && cp <= 0xa9fe) ||
    (cp >= 0xaa60 && cp <= 0xaa6f) ||
    (cp >= 0xaa71 && cp <= 0xaa7a) ||
    cp === 0xaa7e ||
    cp === 0xaa7f ||
    cp === 0x25cc || // dotted circle
    cp === 0x00a0
  );
}

// Positions a syllable's characters are sorted by (HarfBuzz's indic/myanmar position order).
const PRE_M = 2;
const PRE_C = 3;
const BASE_C = 4;
const AFTER_MAIN = 5;
const BEFORE_SUB = 7;
const BELOW_C = 8;
const AFTER_SUB = 9;

/**
 * The text with each syllable in drawing order. A syllable starts at a base character that
 * does not follow the invisible stacker (U+1039): a consonant after it is stacked below the
 * one before, and a kinzi (Nga, asat, stacker) opens the syllable of the consonant it sits on.
 */
export function myanmarDrawingOrder(text: string): string {
  const cps = Array.from(text, (c) => c.codePointAt(0)!);
  const out: number[] = [];
  let start = 0;
  for (let i = 1; i <= cps.length; i++) {
    if (i < cps.length && inSyllable(cps[i]!) && inSyllable(cps[i - 1]!)) {
      const c = category(cps[i]!);
      if ((c !== 'C' && c !== 'Ra') || cps[i - 1] === 0x1039) continue;
    }
    out.push(...reorderSyllable(cps.slice(start, i)));
    start = i;
  }
  return String.fromCodePoint(...out);
}

/** Characters a syllable may hold: Myanmar, joiners, variation selectors, placeholders. */
function inSyllable(cp: number): boolean {
  return hasMyanmar(String.fromCodePoint(cp)) || cp === 0x200c || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0x25cc || cp === 0xa0;
}

/** HarfBuzz's initial_reordering_consonant_syllable, for one syllable. */
function reorderSyllable(s: number[]): number[] {
  const cats = s.map(category);
  if (cats[0] !== 'C' && cats[0] !== 'Ra') return s;
  const kinzi = s.length >= 3 && cats[0] === 'Ra' && cats[1] === 'As' && cats[2] === 'H';
  const limit = kinzi ? 3 : 0;
  let base = 0;
  for (let i = limit; i < s.length; i++) {
    if (cats[i] === 'C' || cats[i] === 'Ra') {
      base = i;
      break;
    }
  }
  const pos = new Array<number>(s.length);
  let i = 0;
  for (; i < limit; i++) pos[i] = AFTER_MAIN;
  for (; i < base; i++) pos[i] = PRE_C;
  if (i < s.length) pos[i++] = BASE_C;
  let p = AFTER_MAIN;
  for (; i < s.length; i++) {
    const c = cats[i];
    if (c === 'MR') pos[i] = PRE_C;
    else if (c === 'VPre') pos[i] = PRE_M;
    else if (c === 'VS') pos[i] = pos[i - 1]!;
    else if (p === AFTER_MAIN && c === 'VBlw') pos[i] = p = BELOW_C;
    else if (p === BELOW_C && c === 'A') pos[i] = BEFORE_SUB;
    else if (p === BELOW_C && c === 'VBlw') pos[i] = p;
    else if (p === BELOW_C) pos[i] = p = AFTER_SUB;
    else pos[i] = p;
  }
  return s.map((cp, k) => ({ cp, k, at: pos[k]! })).sort((a, b) => a.at - b.at || a.k - b.k).map((e) => e.cp);
}
