import LineBreaker from 'linebreak';
import { own } from '../model/own.js';
import { hyphenationPoints } from './hyphenate.js';
import { needsDictionaryBreaks, scriptOf } from './script.js';

export interface BreakOpportunity {
  /** A line may end before this UTF-16 index. */
  pos: number;
  /** A forced break (a line feed in the text). */
  required: boolean;
  /** Inside a word: a line ending here shows a hyphen. */
  hyphen?: boolean;
}

// Things a reader must see whole: a line break inside them changes what they say. Each comes
// with a cheap test of something it cannot match without: the e-mail expression's Unicode
// letter classes cost V8 about a millisecond to prepare (three with the case-insensitive flag,
// which classes closed under case do not need), and only the odd paragraph has an @ in it.
// `isolate`: also kept left to right inside right-to-left text, as a unit.
const TIME = String.raw`(?:\S+[\u00a0\u202f])?\p{Nd}{1,2}:\p{Nd}{2}(?:[\u00a0\u202f][^\s\u2013\u2014-]+)?`;
const UNBREAKABLE: { hint: RegExp; re: RegExp; isolate: boolean }[] = [
  { hint: /https?:\/\/|www\./i, re: /\b(?:https?:\/\/|www\.)[^\s]+/giu, isolate: true }, // URLs
  { hint: /@/, re: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu, isolate: true }, // e-mail addresses
  // A web address shown without its scheme ("clinic-name.org/infant-massage", as brands write
  // it): a break after its hyphen read as a hyphenated word.
  { hint: /[\w-]\.[a-z]{2}/i, re: /(?<![\p{L}\p{N}@.\/-])[\p{L}\p{N}][\p{L}\p{N}-]*(?:\.[\p{L}\p{N}-]+)*\.[a-z]{2,24}(?:\/[^\s]*)?(?![\p{L}\p{N}@]|\.[\p{L}\p{N}])/gu, isolate: true },
  { hint: /\d/, re: /\+?\(?\d[\d\s().\u00a0\u2011-]{5,}\d/gu, isolate: true }, // phone numbers
  // A time with a Latin day period ("10:00 AM" in Urdu): split by the bidi algorithm, "AM"
  // ended up on the far side of the digits. Dates write it after a no-break space; a
  // translator types a space before AM or PM.
  { hint: /\d:\d\d/, re: /\d{1,2}:\d{2}(?:[\u00a0\u202f]\p{Script=Latin}[\p{Script=Latin}.]*| [AaPp]\.?[Mm]\b\.?)?/gu, isolate: true },
  // A time range ("10:00 AM – 11:00 AM") is read as one; it keeps its own order in each script.
  { hint: /\p{Nd}:\p{Nd}/u, re: new RegExp(`${TIME}\\s*[\u2013\u2014-]\\s*${TIME}`, 'gu'), isolate: false },
];

export interface ProtectedRange {
  start: number;
  end: number;
  isolate: boolean;
}

/** URLs, e-mail addresses, phone numbers and times in the text; isolates do not overlap. */
export function protectedRanges(text: string): ProtectedRange[] {
  const ranges: ProtectedRange[] = [];
  for (const { hint, re, isolate } of UNBREAKABLE) {
    if (!hint.test(text)) continue;
    for (const m of text.matchAll(re)) ranges.push({ start: m.index, end: m.index + m[0].length, isolate });
  }
  // The first of overlapping isolates wins (compared with the last one kept, not the last seen).
  const isolates: ProtectedRange[] = [];
  for (const r of ranges.filter((r) => r.isolate).sort((a, b) => a.start - b.start)) {
    if (isolates.length === 0 || r.start >= isolates[isolates.length - 1]!.end) isolates.push(r);
  }
  return [...isolates, ...ranges.filter((r) => !r.isolate)];
}

/**
 * Languages whose typesetting keeps a one-letter word (a preposition or conjunction: Polish
 * "w", "z", "i", Russian "с", "в") off the end of a line, so it starts the next line with its
 * word. Each expression matches such a word and the spaces after it, where UAX #14 would break.
 */
const CZECH_AND_SLOVAK = /(?<![\p{L}\p{M}\p{N}])[aiouksvz]\s+/giu;
const ONE_LETTER_WORDS: Record<string, RegExp> = {
  pl: /(?<![\p{L}\p{M}\p{N}])[aiouwz]\s+/giu,
  cs: CZECH_AND_SLOVAK,
  sk: CZECH_AND_SLOVAK,
  // Russian and Ukrainian set a no-break space after them as a rule ("с вами", "з дитиною").
  ru: /(?<![\p{L}\p{M}\p{N}])[авиксоуя]\s+/giu,
  uk: /(?<![\p{L}\p{M}\p{N}])[авзійоуя]\s+/giu,
};

/** Letters from which a paragraph's last word may still be hyphenated (a narrow column needs it). */
const LONG_WORD = 12;

const wordSegmenters = new Map<string, Intl.Segmenter>();

function wordSegmenter(lang: string): Intl.Segmenter {
  let s = wordSegmenters.get(lang);
  if (!s) {
    s = new Intl.Segmenter(lang, { granularity: 'word' });
    wordSegmenters.set(lang, s);
  }
  return s;
}

/**
 * Where lines may break: UAX #14 (which already keeps closing punctuation and small kana off
 * the start of a CJK line), plus dictionary word boundaries for scripts written without
 * spaces, hyphenation points where the language has patterns (when asked), minus breaks
 * inside URLs, e-mail addresses and phone numbers (`ranges`, when the caller has them already).
 * Korean keeps words whole (breaks only at spaces and after dashes), as Korean typesetting does.
 */
export function breakOpportunities(text: string, lang: string, hyphenate = false, ranges: ProtectedRange[] = protectedRanges(text)): BreakOpportunity[] {
  const found = new Map<number, boolean>();
  const hyphens = new Set<number>();
  const breaker = new LineBreaker(text);
  for (let bk = breaker.nextBreak(); bk; bk = breaker.nextBreak()) found.set(bk.position, bk.required);

  // Dictionary scripts: UAX #14 treats them as one long word.
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    if (needsDictionaryBreaks(scriptOf(cp))) {
      let j = i;
      while (j < text.length && (needsDictionaryBreaks(scriptOf(text.codePointAt(j)!)) || /\p{M}/u.test(text[j]!))) j++;
      for (const seg of wordSegmenter(lang).segment(text.slice(i, j))) {
        if (seg.index > 0 && !found.has(i + seg.index)) found.set(i + seg.index, false);
      }
      i = j;
    } else i += cp > 0xffff ? 2 : 1;
  }

  if (lang === 'ko' || lang.startsWith('ko-')) {
    // Not inside a word: between syllables, nor at the brackets, dots, digits and Latin
    // letters a word holds ("점액(가래·콧물)" was split after its middle dot). A line may end
    // at a space, or after a dash.
    for (const [pos, required] of found) {
      if (!required && !/[\s\u2010-\u2015-]/u.test(text[pos - 1]!)) found.delete(pos);
    }
  }

  if (hyphenate) {
    // A paragraph's last word is not hyphenated unless it is long: "Hebam-" / "me." left a
    // fragment alone on the last line.
    const last = /[\p{L}\p{M}]+[^\p{L}\p{M}]*$/u.exec(text);
    const lastWord = last && last[0].replace(/[^\p{L}\p{M}]+$/u, '').length < LONG_WORD && /\s/.test(text.slice(0, last.index)) ? last.index : text.length;
    for (const pos of hyphenationPoints(text, lang)) {
      if (pos > lastWord) continue;
      if (!found.has(pos)) {
        found.set(pos, false);
        hyphens.add(pos);
      }
    }
  }

  const lone = own(ONE_LETTER_WORDS, lang.split('-')[0]!);
  if (lone) {
    for (const m of text.matchAll(lone)) {
      const end = m.index + m[0].length;
      if (found.get(end) === false) found.delete(end);
    }
  }

  // A spaced dash ends a line, never starts one ("— вы подстраиваетесь…"): Russian sets a
  // no-break space before it, and English and French style guides ask the same.
  for (const m of text.matchAll(/\s[\u2013\u2014]/gu)) {
    const pos = m.index + 1;
    if (found.get(pos) === false) found.delete(pos);
  }

  for (const { start, end } of ranges) {
    for (const pos of [...found.keys()]) if (pos > start && pos < end && !found.get(pos)) found.delete(pos);
  }
  found.set(text.length, found.get(text.length) ?? false);
  return [...found.entries()].sort((a, b) => a[0] - b[0]).map(([pos, required]) => (hyphens.has(pos) ? { pos, required, hyphen: true } : { pos, required }));
}
