import { HandoutError, type SourceRef } from '../model/diagnostic.js';

const PER_UNIT: Record<string, number> = { pt: 1, mm: 72 / 25.4, cm: 72 / 2.54, in: 72, px: 0.75 };

/** A length attribute ("12", "12pt", "4mm", "50%") in points; percentages of `relativeTo`. */
export function length(value: string, where: SourceRef, relativeTo?: number): number {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*(pt|mm|cm|in|px|%)?\s*$/.exec(value);
  if (!m) throw new HandoutError('markup', `"${value}" is not a length (like 12, 4mm, 1in or 50%)`, where);
  const n = Number(m[1]);
  if (n < 0) throw new HandoutError('markup', `"${value}": a length cannot be negative`, where);
  if (m[2] === '%') {
    if (relativeTo === undefined) throw new HandoutError('markup', `"${value}": a percentage is not allowed here`, where);
    return (n / 100) * relativeTo;
  }
  return n * PER_UNIT[m[2] ?? 'pt']!;
}

export const PAGE_SIZES: Record<string, [number, number]> = {
  A4: [595.28, 841.89],
  Letter: [612, 792],
  A5: [419.53, 595.28],
  HalfLetter: [396, 612],
  Legal: [612, 1008],
};

/** The page that fits twice on a sheet, side by side, for 2-up printing. */
export const HALF_OF: Record<string, string> = { A4: 'A5', Letter: 'HalfLetter' };

export const mm = (pt: number) => (pt * 25.4) / 72;
