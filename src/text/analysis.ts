import type { Direction } from '../model/style.js';
import { embeddingLevels, type Isolate } from './bidi.js';
import { type BreakOpportunity, breakOpportunities, protectedRanges } from './breaks.js';
import { isEuropeanDigit, isNeutralScript, scriptOf } from './script.js';

/** A grapheme cluster and the script it is set in. */
export interface Cluster {
  start: number;
  end: number;
  /** Its own script, or for neutral clusters (spaces, digits, punctuation) the script around it. */
  script: string;
  /** Its first character has a script of its own (is not a space, digit, punctuation or mark). */
  own: boolean;
}

/**
 * What a paragraph's text says regardless of type size, width and colour: bidi levels,
 * grapheme clusters with their scripts, and where lines may break. Shared, never changed.
 */
export interface TextAnalysis {
  levels: Uint8Array;
  clusters: Cluster[];
  breaks: BreakOpportunity[];
}

/**
 * A paragraph is laid out again at every fit step and in every column width it meets, and
 * these steps cost more than the line filling itself; they depend on the text alone. Only
 * layouts the paragraph cache misses ask, mostly within one document, so a few thousand
 * entries are plenty (each holds an object per character).
 */
const analyses = new Map<string, TextAnalysis>();
const MAX_ENTRIES = 4096;

export function analyseText(text: string, dir: Direction, isolates: Isolate[], lang: string, hyphenate: boolean): TextAnalysis {
  const key = `${dir}|${lang}|${hyphenate ? 1 : 0}|${isolates.map((r) => `${r.start}-${r.end}${r.dir}`).join(',')}|${text}`;
  let a = analyses.get(key);
  if (!a) {
    const unbreakable = protectedRanges(text);
    const ranges = [...isolates, ...unbreakable.filter((r) => r.isolate).map(({ start, end }) => ({ start, end, dir: 'ltr' as const }))];
    a = { levels: embeddingLevels(text, dir, ranges), clusters: clusters(text), breaks: breakOpportunities(text, lang, hyphenate, unbreakable) };
    if (analyses.size >= MAX_ENTRIES) analyses.clear();
    analyses.set(key, a);
  }
  return a;
}

/**
 * Characters that always form a cluster of one UTF-16 unit, whatever surrounds them: no
 * combining marks, joiners, surrogates, Hangul jamo or carriage return (CR LF is one cluster).
 * Latin, Greek, Cyrillic and Vietnamese running text is made of these, and asking
 * Intl.Segmenter about it was the costliest line of paragraph layout.
 */
const SINGLE_UNITS = /^[\n\t\u0020-\u02ff\u0370-\u0482\u048a-\u052f\u1e00-\u1eff\u2010-\u2027\u2030-\u205e\u20a0-\u20bf\u2100-\u214f\u2190-\u21ff]*$/;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Whether every UTF-16 unit of the text is a grapheme cluster of its own, whatever surrounds it. */
export function oneUnitClusters(text: string): boolean {
  return SINGLE_UNITS.test(text);
}

/** Grapheme clusters as [start, end) pairs. */
export function graphemeBounds(text: string): [number, number][] {
  if (oneUnitClusters(text)) return Array.from({ length: text.length }, (_, i) => [i, i + 1]);
  return Array.from(graphemes.segment(text), (g) => [g.index, g.index + g.segment.length]);
}

function clusters(text: string): Cluster[] {
  const out = graphemeBounds(text).map(([start, end]): Cluster => {
    let script = 'Common';
    let own = false;
    for (let i = start; i < end; ) {
      const cp = text.codePointAt(i)!;
      const sc = scriptOf(cp);
      if (!isNeutralScript(sc)) {
        script = sc;
        own = i === start;
        break;
      }
      i += cp > 0xffff ? 2 : 1;
    }
    return { start, end, script, own };
  });
  // European digits are set in the font of the paragraph's main script, wherever they stand:
  // in Arabic or Urdu text with a Latin "AM", "10:00" after the Arabic took the Arabic face
  // (drawn 1.2 times larger) and "11:00" after "AM" the Latin one, two sizes in one line.
  const main = mainScript(out);
  if (main) {
    for (const c of out) {
      const cp = text.charCodeAt(c.start);
      if (isEuropeanDigit(cp)) [c.script, c.own] = [main, true];
    }
  }
  // Neutrals take the script before them, or at the start the one after.
  let prev = '';
  for (const c of out) {
    if (isNeutralScript(c.script)) c.script = prev;
    else prev = c.script;
  }
  let next = 'Common';
  for (let i = out.length - 1; i >= 0; i--) {
    const c = out[i]!;
    if (c.script === '') c.script = next;
    else next = c.script;
  }
  return out;
}

/** The script most of a paragraph's own (not neutral) clusters are in; the first seen on a tie. */
function mainScript(clusters: Cluster[]): string | null {
  const counts = new Map<string, number>();
  let best: string | null = null;
  for (const c of clusters) {
    if (isNeutralScript(c.script)) continue;
    const n = (counts.get(c.script) ?? 0) + 1;
    counts.set(c.script, n);
    if (best === null || n > counts.get(best)!) best = c.script;
  }
  return best;
}
