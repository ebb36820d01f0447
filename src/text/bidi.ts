import { createRequire } from 'node:module';
import type { Bidi } from 'bidi-js';
import type { Direction } from '../model/style.js';

// bidi-js is a UMD bundle whose module.exports is the factory; its typings say `export default`.
const bidiFactory = createRequire(import.meta.url)('bidi-js') as () => Bidi;
const bidi = bidiFactory();

/** Resolved embedding level per UTF-16 code unit (odd = right-to-left), UAX #9. */
export function embeddingLevels(text: string, dir: Direction): Uint8Array {
  return bidi.getEmbeddingLevels(text, dir).levels;
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
