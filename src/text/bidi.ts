import { createRequire } from 'node:module';
import type { Bidi } from 'bidi-js';
import type { Direction } from '../model/style.js';

// bidi-js is a UMD bundle whose module.exports is the factory; its typings say `export default`.
const bidiFactory = createRequire(import.meta.url)('bidi-js') as () => Bidi;
const bidi = bidiFactory();

/**
 * Resolved embedding level per UTF-16 code unit (odd = right-to-left), UAX #9. Isolate
 * ranges are treated as if wrapped in LRI/RLI/FSI…PDI: a phone number keeps its groups in
 * order inside Arabic text, a Latin address keeps its house number in front. The isolate
 * marks exist only for the algorithm, never in the text that is drawn or copied.
 */
export interface Isolate {
  start: number;
  end: number;
  dir: Direction | 'auto';
}

const OPEN = { ltr: '\u2066', rtl: '\u2067', auto: '\u2068' } as const;

/**
 * Every character whose bidi class can raise a level above 0 in a left-to-right paragraph
 * (R, AL, AN and the explicit embedding, override and isolate controls) lies in these ranges;
 * surrogates are included whole rather than decoded. Text with none of them is level 0
 * throughout, which most paragraphs of most locales are.
 */
const MAY_GO_RTL = /[\u0590-\u08ff\u200f\u202a-\u202e\u2066-\u2069\ufb1d-\ufdff\ufe70-\ufeff\ud800-\udfff]/;

/** Whether the text has a character that could raise a level in a left-to-right paragraph. */
export function mayGoRtl(text: string): boolean {
  return MAY_GO_RTL.test(text);
}

export function embeddingLevels(text: string, dir: Direction, isolates: Isolate[] = []): Uint8Array {
  if (dir === 'ltr' && isolates.length === 0 && !mayGoRtl(text)) return new Uint8Array(text.length);
  // Nested or overlapping ranges: the first (outermost) wins.
  const isolate = [...isolates].sort((a, b) => a.start - b.start).filter((r, i, all) => i === 0 || r.start >= all[i - 1]!.end);
  if (isolate.length === 0) return bidi.getEmbeddingLevels(text, dir).levels;
  let marked = '';
  const origin: number[] = [];
  let pos = 0;
  for (const { start, end, dir: d } of isolate) {
    marked += text.slice(pos, start);
    for (let i = pos; i < start; i++) origin.push(i);
    marked += OPEN[d] + text.slice(start, end) + '\u2069';
    origin.push(-1);
    for (let i = start; i < end; i++) origin.push(i);
    origin.push(-1);
    pos = end;
  }
  marked += text.slice(pos);
  for (let i = pos; i < text.length; i++) origin.push(i);
  const levels = bidi.getEmbeddingLevels(marked, dir).levels;
  const out = new Uint8Array(text.length);
  origin.forEach((o, i) => {
    if (o >= 0) out[o] = levels[i]!;
  });
  return out;
}

/** The bidi class of a character (L, R, AL, EN, AN, LRI …), for tests of the shortcut above. */
export function bidiClass(ch: string): string {
  return bidi.getBidiCharTypeName(ch);
}

/** The mirrored form of a paired bracket or similar character, shown in right-to-left runs. */
export function mirrored(ch: string): string | null {
  return bidi.getMirroredCharacter(ch);
}

/** `mirrored` by code point: the character itself when it has no mirrored form. */
export function mirroredCodePoint(cp: number): number {
  return mirrored(String.fromCodePoint(cp))?.codePointAt(0) ?? cp;
}

/**
 * UAX #9 rule L2: the display order of items with the given levels. Reverses every maximal
 * sequence at or above each level, from the highest level down to the lowest odd one.
 */
export function visualOrder(levels: number[]): number[] {
  const order = levels.map((_, i) => i);
  if (levels.length === 0) return order;
  const max = Math.max(...levels);
  const minOdd = Math.min(...levels.map((l) => (l % 2 === 1 ? l : Infinity)));
  if (!Number.isFinite(minOdd)) return order;
  for (let level = max; level >= minOdd; level--) {
    let i = 0;
    while (i < order.length) {
      if (levels[order[i]!]! >= level) {
        let j = i;
        while (j + 1 < order.length && levels[order[j + 1]!]! >= level) j++;
        const slice = order.slice(i, j + 1).reverse();
        order.splice(i, slice.length, ...slice);
        i = j + 1;
      } else i++;
    }
  }
  return order;
}
