/**
 * A TrueType (glyf) subsetter working on the font file's bytes. fontkit's subsetter decodes and
 * re-encodes every table through its generic structures, which made it the costliest step of
 * writing a PDF; here glyph programs are copied as they are (composite glyphs get their
 * component ids renumbered) and the few tables a PDF font program needs are patched.
 *
 * The output keeps the tables fontkit's subsetter keeps (head, hhea, maxp, hmtx, loca, glyf and
 * the hinting tables cvt, fpgm, prep): a CIDFontType2 program addressed through CIDToGIDMap
 * needs no cmap, name or post.
 */

interface TableRecord {
  offset: number;
  length: number;
}

/** The parts of a font file the subsetter reads, located once per face. */
export interface TrueTypeSource {
  bytes: Uint8Array;
  tables: Record<string, TableRecord>;
}

/** Offset of checkSumAdjustment in the head table. */
const CHECKSUM_ADJUSTMENT = 8;

const COMPOSITE = {
  ARG_1_AND_2_ARE_WORDS: 0x0001,
  WE_HAVE_A_SCALE: 0x0008,
  MORE_COMPONENTS: 0x0020,
  WE_HAVE_AN_X_AND_Y_SCALE: 0x0040,
  WE_HAVE_A_TWO_BY_TWO: 0x0080,
};

/**
 * The source of a glyf-based face, from the table directory fontkit already read (a TTC
 * member's offsets point into the whole collection file); null for CFF faces.
 */
export function trueTypeSource(bytes: Uint8Array, tables: Record<string, TableRecord>): TrueTypeSource | null {
  for (const required of ['head', 'hhea', 'maxp', 'hmtx', 'loca', 'glyf']) if (!tables[required]) return null;
  return { bytes, tables };
}

/**
 * Glyphs are numbered in the order they are included (0, .notdef, first); components of
 * composite glyphs are added when the subset is encoded, after the glyphs that use them.
 */
export class TrueTypeSubset {
  private readonly order: number[] = [];
  private readonly index = new Map<number, number>();
  private readonly view: DataView;

  constructor(private readonly src: TrueTypeSource) {
    this.view = new DataView(src.bytes.buffer, src.bytes.byteOffset, src.bytes.byteLength);
    this.includeGlyph(0);
  }

  includeGlyph(gid: number): number {
    let id = this.index.get(gid);
    if (id === undefined) {
      id = this.order.length;
      this.order.push(gid);
      this.index.set(gid, id);
    }
    return id;
  }

  encode(): Uint8Array {
    const { bytes, tables } = this.src;
    const v = this.view;
    const head = tables.head!;
    const longLoca = v.getInt16(head.offset + 50) === 1;
    const locaAt = tables.loca!.offset;
    const glyfAt = tables.glyf!.offset;
    const glyphRange = (gid: number): [number, number] =>
      longLoca
        ? [v.getUint32(locaAt + gid * 4), v.getUint32(locaAt + gid * 4 + 4)]
        : [v.getUint16(locaAt + gid * 2) * 2, v.getUint16(locaAt + gid * 2 + 2) * 2];

    // Glyph programs, in subset order; the list grows as composites name their components.
    const programs: Uint8Array[] = [];
    for (let i = 0; i < this.order.length; i++) {
      const [from, to] = glyphRange(this.order[i]!);
      let glyph = bytes.subarray(glyfAt + from, glyfAt + to);
      if (glyph.length >= 10 && v.getInt16(glyfAt + from) < 0) glyph = this.renumberComponents(glyph);
      programs.push(glyph);
    }
    const numGlyphs = programs.length;

    const loca = new Uint8Array((numGlyphs + 1) * 4);
    const locaView = new DataView(loca.buffer);
    let glyfLength = 0;
    programs.forEach((p, i) => {
      locaView.setUint32(i * 4, glyfLength);
      glyfLength += (p.length + 3) & ~3;
    });
    locaView.setUint32(numGlyphs * 4, glyfLength);
    const glyf = new Uint8Array(glyfLength);
    let at = 0;
    for (const p of programs) {
      glyf.set(p, at);
      at += (p.length + 3) & ~3;
    }

    // Every glyph gets a full metric: simpler than finding the shared trailing advance.
    const hhea = tables.hhea!;
    const numberOfHMetrics = v.getUint16(hhea.offset + 34);
    const hmtxAt = tables.hmtx!.offset;
    const hmtx = new Uint8Array(numGlyphs * 4);
    const hmtxView = new DataView(hmtx.buffer);
    this.order.forEach((gid, i) => {
      const metric = Math.min(gid, numberOfHMetrics - 1);
      hmtxView.setUint16(i * 4, v.getUint16(hmtxAt + metric * 4));
      const lsb = gid < numberOfHMetrics ? v.getInt16(hmtxAt + gid * 4 + 2) : v.getInt16(hmtxAt + numberOfHMetrics * 4 + (gid - numberOfHMetrics) * 2);
      hmtxView.setInt16(i * 4 + 2, lsb);
    });

    const copy = (tag: string): Uint8Array => {
      const t = tables[tag]!;
      return new Uint8Array(bytes.subarray(t.offset, t.offset + t.length)); // a copy, patched below
    };
    const headOut = copy('head');
    const headView = new DataView(headOut.buffer);
    headView.setUint32(CHECKSUM_ADJUSTMENT, 0); // set by writeSfnt
    headView.setInt16(50, 1); // long loca offsets
    const hheaOut = copy('hhea');
    new DataView(hheaOut.buffer).setUint16(34, numGlyphs);
    const maxpOut = copy('maxp');
    new DataView(maxpOut.buffer).setUint16(4, numGlyphs);

    const out: Record<string, Uint8Array> = { glyf, head: headOut, hhea: hheaOut, hmtx, loca, maxp: maxpOut };
    for (const tag of ['cvt ', 'fpgm', 'prep']) if (tables[tag]) out[tag] = copy(tag);
    return writeSfnt(out);
  }

  /** A copy of a composite glyph with its component glyph ids mapped into the subset. */
  private renumberComponents(glyph: Uint8Array): Uint8Array {
    const copy = new Uint8Array(glyph); // a copy (Buffer#slice would share the font's bytes)
    const v = new DataView(copy.buffer);
    let pos = 10;
    for (;;) {
      const flags = v.getUint16(pos);
      v.setUint16(pos + 2, this.includeGlyph(v.getUint16(pos + 2)));
      pos += 4 + (flags & COMPOSITE.ARG_1_AND_2_ARE_WORDS ? 4 : 2);
      if (flags & COMPOSITE.WE_HAVE_A_SCALE) pos += 2;
      else if (flags & COMPOSITE.WE_HAVE_AN_X_AND_Y_SCALE) pos += 4;
      else if (flags & COMPOSITE.WE_HAVE_A_TWO_BY_TWO) pos += 8;
      if (!(flags & COMPOSITE.MORE_COMPONENTS)) return copy;
    }
  }
}

/** An sfnt file from its tables: directory sorted by tag, checksums, head's checkSumAdjustment. */
function writeSfnt(tables: Record<string, Uint8Array>): Uint8Array {
  const tags = Object.keys(tables).sort();
  const headerLength = 12 + tags.length * 16;
  let length = headerLength;
  for (const t of tags) length += (tables[t]!.length + 3) & ~3;
  const file = new Uint8Array(length);
  const v = new DataView(file.buffer);
  const entrySelector = Math.floor(Math.log2(tags.length));
  v.setUint32(0, 0x00010000);
  v.setUint16(4, tags.length);
  v.setUint16(6, 16 << entrySelector);
  v.setUint16(8, entrySelector);
  v.setUint16(10, tags.length * 16 - (16 << entrySelector));
  let at = headerLength;
  let headAt = 0;
  tags.forEach((tag, i) => {
    const data = tables[tag]!;
    const rec = 12 + i * 16;
    for (let k = 0; k < 4; k++) file[rec + k] = tag.charCodeAt(k);
    file.set(data, at);
    v.setUint32(rec + 4, checksum(file, at, data.length));
    v.setUint32(rec + 8, at);
    v.setUint32(rec + 12, data.length);
    if (tag === 'head') headAt = at;
    at += (data.length + 3) & ~3;
  });
  v.setUint32(headAt + CHECKSUM_ADJUSTMENT, (0xb1b0afba - checksum(file, 0, file.length)) >>> 0);
  return file;
}

function checksum(bytes: Uint8Array, from: number, length: number): number {
  let sum = 0;
  const end = from + length;
  for (let i = from; i < end; i += 4) {
    sum = (sum + (((bytes[i]! << 24) | ((bytes[i + 1] ?? 0) << 16) | ((bytes[i + 2] ?? 0) << 8) | (bytes[i + 3] ?? 0)) >>> 0)) >>> 0;
  }
  return sum;
}
