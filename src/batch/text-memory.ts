import { createHash } from 'node:crypto';
import type { FontFace } from '../fonts/face.js';
import type { Io } from '../io/io.js';
import type { PlacedGlyph } from '../model/layout.js';
import { type HyphenMemory, useHyphenMemory } from '../text/hyphenate.js';
import { SHAPING_REVISION, type ShapedText, type ShapeMemory, useShapeMemory } from '../text/shape.js';
import { type Codec, DiskMemory, type MemoTable, packageVersion } from './disk-memory.js';

const FONTKIT = packageVersion('fontkit');
const HYPHEN = packageVersion('hyphen');

/**
 * Registers the project's text memory (shaping and hyphenation kept between runs) for this
 * process; `done` saves it (main thread) and unregisters it.
 */
export function useTextMemory(io: Io, writable: boolean): { done(): void } {
  const disk = new DiskMemory(io, writable);
  useShapeMemory(shapeMemory(disk));
  useHyphenMemory(hyphenMemory(disk));
  return {
    done() {
      useShapeMemory(null);
      useHyphenMemory(null);
      disk.save();
    },
  };
}

/** Shaping results per face: named by the font file's content, the face and fontkit's version. */
function shapeMemory(disk: DiskMemory): ShapeMemory {
  const tables = new Map<FontFace, MemoTable<ShapedText> | null>();
  // The faces of a collection share a file: each file is hashed once.
  const digests = new Map<string, string>();
  const digest = (face: FontFace) => {
    let d = digests.get(face.file);
    if (d === undefined) digests.set(face.file, (d = createHash('sha1').update(face.bytes).digest('hex')));
    return d;
  };
  const table = (face: FontFace) => {
    let t = tables.get(face);
    if (t === undefined) tables.set(face, (t = disk.table(['shape', FONTKIT, `r${SHAPING_REVISION}`, face.key, digest(face)], SHAPED)));
    return t;
  };
  return {
    recall: (face, key) => table(face)?.get(key),
    remember: (face, key, shaped) => table(face)?.set(key, shaped),
  };
}

/** Hyphenation points per word, per pattern set and the hyphen package's version. */
function hyphenMemory(disk: DiskMemory): HyphenMemory {
  return {
    table: (patterns) => disk.table(['hyphen', HYPHEN, patterns], POINTS),
  };
}

const POINTS: Codec<number[]> = { encode: (v) => v, decode: (v) => v as number[] };

/** `[reordered, then per glyph: id, advance, dx, dy, count of code points, code points…]` */
const SHAPED: Codec<ShapedText> = {
  encode(s) {
    const out = [s.reordered ? 1 : 0];
    for (const g of s.glyphs) out.push(g.id, g.advance, g.dx, g.dy, g.codePoints.length, ...g.codePoints);
    return out;
  },
  decode(stored) {
    const a = stored as number[];
    const glyphs: PlacedGlyph[] = [];
    let advance = 0;
    let i = 1;
    while (i < a.length) {
      const n = a[i + 4]!;
      glyphs.push({ id: a[i]!, advance: a[i + 1]!, dx: a[i + 2]!, dy: a[i + 3]!, codePoints: a.slice(i + 5, i + 5 + n) });
      advance += a[i + 1]!;
      i += 5 + n;
    }
    return { glyphs, advance, reordered: a[0] === 1 };
  },
};
