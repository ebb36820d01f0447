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

export function embeddingLevels(text: string, dir: Direction, isolates: Isolate[] = []): Uint8Array {
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

/** The mirrored form of a paired bracket or similar character, shown in right-to-left runs. */
export function mirrored(ch: string): string | null {
  return bidi.getMirroredCharacter(ch);
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
