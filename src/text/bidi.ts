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
  const kept = byLine(nested(isolates), text);
  if (kept.length === 0) return bidi.getEmbeddingLevels(text, dir).levels;
  // The text with an isolate mark at each range's start and end (closing before opening where
  // one ends as the next begins), and for each of its units the text's unit it stands for.
  const opens = new Map<number, Isolate[]>();
  const closes = new Map<number, number>();
  for (const r of kept) {
    opens.set(r.start, [...(opens.get(r.start) ?? []), r]);
    closes.set(r.end, (closes.get(r.end) ?? 0) + 1);
  }
  let marked = '';
  const origin: number[] = [];
  for (let i = 0; i <= text.length; i++) {
    for (let k = closes.get(i) ?? 0; k > 0; k--) {
      marked += '\u2069';
      origin.push(-1);
    }
    for (const r of opens.get(i) ?? []) {
      marked += OPEN[r.dir];
      origin.push(-1);
    }
    if (i < text.length) {
      marked += text[i];
      origin.push(i);
    }
  }
  const levels = bidi.getEmbeddingLevels(marked, dir).levels;
  const out = new Uint8Array(text.length);
  origin.forEach((o, i) => {
    if (o >= 0) out[o] = levels[i]!;
  });
  return out;
}

/**
 * The ranges that nest: a range inside another is kept (a phone number inside a `<span
 * dir="ltr">`), one that overlaps another without lying inside it is dropped, the outer or
 * earlier one winning. Outer ranges come first.
 */
function nested(isolates: Isolate[]): Isolate[] {
  const sorted = isolates.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Isolate[] = [];
  const open: Isolate[] = [];
  for (const r of sorted) {
    while (open.length > 0 && open[open.length - 1]!.end <= r.start) open.pop();
    const outer = open[open.length - 1];
    if (outer && r.end > outer.end) continue;
    kept.push(r);
    open.push(r);
  }
  return kept;
}

/** Characters that end a paragraph for UAX #9, and with it every isolate open in it. */
const PARAGRAPH_END = /[\n\r\u001c-\u001e\u0085\u2029]/g;

/**
 * Isolates cut at the line breaks inside them, one per line: a line break ends a paragraph,
 * and the isolate open in it, so the lines after the first of a value written on several
 * lines (an address) took the paragraph's direction, and "14 Mill Lane" in an Arabic handout
 * read "Mill Lane 14". Each line of a `dir="auto"` value takes the direction of its own
 * first letter.
 */
function byLine(isolates: Isolate[], text: string): Isolate[] {
  const ends = [...text.matchAll(PARAGRAPH_END)].map((m) => m.index);
  if (ends.length === 0) return isolates;
  return isolates.flatMap((r) => {
    const inside = ends.filter((e) => e >= r.start && e < r.end);
    if (inside.length === 0) return [r];
    const starts = [r.start, ...inside.map((e) => e + 1)];
    return starts.map((start, i) => ({ start, end: inside[i] ?? r.end, dir: r.dir })).filter((p) => p.end > p.start);
  });
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
