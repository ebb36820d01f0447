import { createHash } from 'node:crypto';
import type { Font } from 'fontkit';
import type { FontFace } from '../fonts/face.js';
import { sfntTable } from '../fonts/sfnt-table.js';
import type { PlacedGlyph } from '../model/layout.js';
import { trueTypeSource, TrueTypeSubset } from './truetype-subset.js';
import { deflateKept } from './deflate-kept.js';
import type { HandoutDocument, PdfRef } from './pdf-document.js';

interface Subset {
  includeGlyph(gid: number): number;
  encode(): Uint8Array;
}

/** A run's glyphs as a face sees them, computed once per run and reused by every document. */
export interface CidPlan {
  gids: number[];
  texts: string[];
  /** Advance per glyph in 1/1000 em: the PDF's own advance after showing it. */
  widths: number[];
  keys: string[];
}

type FontkitInternals = { stream: { buffer: Uint8Array }; directory: { tables: Record<string, { offset: number; length: number }> }; createSubset(): Subset };
const internals = (font: Font) => font as unknown as FontkitInternals;

/** The face as our TrueType subsetter reads it; null for CFF faces (fontkit subsets those). */
const trueTypeOf = (font: Font) => trueTypeSource(internals(font).stream.buffer, internals(font).directory.tables);

const advanceTables = new Map<string, { hmtx: DataView; count: number } | null>();

/** Natural advance of a glyph in 1/1000 em. */
function naturalAdvance(face: FontFace, gid: number): number {
  let t = advanceTables.get(face.key);
  if (t === undefined) {
    const hhea = sfntTable(face.font, 'hhea');
    const hmtx = sfntTable(face.font, 'hmtx');
    advanceTables.set(face.key, (t = hhea && hmtx ? { hmtx, count: hhea.getUint16(34) } : null));
  }
  // Glyphs past the last full metric share its advance (the table's monospaced tail).
  const advance = t ? t.hmtx.getUint16(Math.min(gid, t.count - 1) * 4) : face.font.getGlyph(gid).advanceWidth;
  return Math.round((advance * 1000) / face.unitsPerEm);
}

/** `post`'s italic angle (16.16 fixed) and fixed-pitch flag. */
function postInfo(font: Font): { italicAngle: number; fixedPitch: boolean } {
  const post = sfntTable(font, 'post');
  return post ? { italicAngle: post.getInt32(4) / 65536, fixedPitch: post.getUint32(12) !== 0 } : { italicAngle: 0, fixedPitch: false };
}

interface EmbeddedFace {
  name: string;
  face: FontFace;
  ref: PdfRef;
  subset: Subset;
  /** Per CID: advance in 1/1000 em, the text it copies out as, and its subset glyph. */
  widths: number[];
  unicode: string[];
  cidToGid: number[];
  /** Original glyph id → subset glyph id. */
  gids: Map<number, number>;
  /** `glyph id + text` → CID: one glyph may copy out differently in different clusters. */
  cids: Map<string, number>;
  /** CFF fonts address glyphs by CID directly, so CID must equal the subset glyph id. */
  cff: boolean;
}

/** A glyph as a document shows it: glyph id, the text it copies out as, its advance (1/1000 em). */
interface GlyphUse {
  gid: number;
  text: string;
  width: number;
}

/**
 * Embeds the faces a document uses as subsetted CID fonts (Type0, Identity-H) with a ToUnicode
 * map, and turns shaped glyphs into the hex codes a TJ operator shows. pdfkit's own font code
 * re-shapes text and parses each font per document; layout has already shaped, and the
 * registry parses each font once per process.
 *
 * Every run is declared before painting, and CIDs are then numbered in glyph order: the font
 * objects depend only on which glyphs a document uses, not on where they first appear, so
 * documents that use the same glyphs of a face share them (see `fontObjects`).
 */
export class PdfFonts {
  private readonly declared = new Map<string, { face: FontFace; uses: Map<string, GlyphUse> }>();
  private readonly faces = new Map<string, EmbeddedFace>();

  constructor(private readonly doc: HandoutDocument) {}

  /** Announces the glyphs of a run that will be painted; call for every run, then `number`. */
  declare(face: FontFace, plan: CidPlan): void {
    let d = this.declared.get(face.key);
    if (!d) this.declared.set(face.key, (d = { face, uses: new Map() }));
    for (let i = 0; i < plan.keys.length; i++) {
      const key = plan.keys[i]!;
      if (!d.uses.has(key)) d.uses.set(key, { gid: plan.gids[i]!, text: plan.texts[i] ?? '', width: plan.widths[i]! });
    }
  }

  /** Numbers the declared glyphs of each face (faces in order of first use, glyphs by id). */
  number(): void {
    for (const { face, uses } of this.declared.values()) {
      const e = this.embedded(face);
      const ordered = [...uses].sort(([ka, a], [kb, b]) => a.gid - b.gid || (ka < kb ? -1 : ka > kb ? 1 : 0));
      for (const [key, use] of ordered) if (!e.cids.has(key)) this.register(e, key, use);
    }
    this.declared.clear();
  }

  /** The page resource name for a face (registers it on the current page). */
  use(face: FontFace): EmbeddedFace {
    const e = this.embedded(face);
    this.doc.page.fonts[e.name] = e.ref;
    return e;
  }

  private embedded(face: FontFace): EmbeddedFace {
    return this.faces.get(face.key) ?? this.create(face);
  }

  private create(face: FontFace): EmbeddedFace {
    const source = trueTypeOf(face.font);
    const subset = source ? new TrueTypeSubset(source) : internals(face.font).createSubset();
    const e: EmbeddedFace = {
      name: `F${this.faces.size + 1}`,
      face,
      ref: this.doc.ref(),
      subset,
      widths: [naturalAdvance(face, 0)],
      unicode: [''],
      cidToGid: [0],
      gids: new Map([[0, 0]]),
      cids: new Map([['0\u0000', 0]]),
      cff: source === null,
    };
    this.faces.set(face.key, e);
    return e;
  }

  /**
   * What a glyph run needs from a face, independent of any document: per glyph its width in
   * 1/1000 em and the key of its CID. TrueType CIDs carry the shaped advance (kerning, GPOS,
   * outline-painted followers) and the text they copy out as, so glyphs sit edge to edge in
   * PDF terms and extractors see words, not gaps.
   */
  static plan(face: FontFace, glyphs: PlacedGlyph[], texts: string[], extra: number[]): CidPlan {
    const cff = trueTypeOf(face.font) === null;
    const upem = face.unitsPerEm;
    const widths = glyphs.map((g, i) => (cff ? naturalAdvance(face, g.id) : Math.round(((g.advance + (extra[i] ?? 0)) * 1000) / upem)));
    const keys = glyphs.map((g, i) => (cff ? `${g.id}` : `${g.id}\u0000${texts[i]}\u0000${widths[i]}`));
    return { gids: glyphs.map((g) => g.id), texts, widths, keys };
  }

  private register(e: EmbeddedFace, key: string, use: GlyphUse): number {
    let gid = e.gids.get(use.gid);
    if (gid === undefined) {
      gid = e.subset.includeGlyph(use.gid);
      e.gids.set(use.gid, gid);
    }
    const cid = e.cff ? gid : e.cidToGid.length;
    e.cids.set(key, cid);
    e.cidToGid[cid] = gid;
    e.widths[cid] = use.width;
    e.unicode[cid] = use.text;
    return cid;
  }

  /** The CIDs of a planned run in this document, as 4-digit hex (numbered by `number`). */
  encode(e: EmbeddedFace, plan: CidPlan): string[] {
    const out = new Array<string>(plan.keys.length);
    for (let i = 0; i < out.length; i++) {
      const key = plan.keys[i]!;
      // An undeclared glyph still prints right; it only takes the next free CID.
      const cid = e.cids.get(key) ?? this.register(e, key, { gid: plan.gids[i]!, text: plan.texts[i] ?? '', width: plan.widths[i]! });
      out[i] = HEX4[cid] ?? hex4(cid);
    }
    return out;
  }

  /** Writes every used face; call once, before the document ends. */
  finalize(): void {
    for (const e of this.faces.values()) this.embed(e);
  }

  private stream(data: Uint8Array, dict: Record<string, unknown> = {}): PdfRef {
    const ref = this.doc.ref({ ...dict, Filter: 'FlateDecode' });
    ref.end(data);
    return ref;
  }

  private embed(e: EmbeddedFace): void {
    const font = e.face.font as Font & Record<string, any>;
    const scale = 1000 / font.unitsPerEm;
    const isCFF = e.cff;
    const objects = fontObjects(e);
    const fontFile = this.stream(objects.fontFile, isCFF ? { Subtype: 'CIDFontType0C' } : { Length1: objects.length1 });
    const name = `${objects.tag}+${(font.postscriptName ?? 'Font').replace(/[\s()<>[\]{}/%]/g, '_')}`;
    const bbox = font.bbox;
    const familyClass = ((font['OS/2']?.sFamilyClass as number | undefined) ?? 0) >> 8;
    const post = postInfo(font);
    let flags = 1 << 2; // symbolic: glyphs addressed by id, not by a standard encoding
    if (post.fixedPitch) flags |= 1;
    if (familyClass >= 1 && familyClass <= 7) flags |= 1 << 1;
    if (font.head?.macStyle?.italic) flags |= 1 << 6;
    const descriptor = this.doc.ref({
      Type: 'FontDescriptor',
      FontName: name,
      Flags: flags,
      FontBBox: [bbox.minX * scale, bbox.minY * scale, bbox.maxX * scale, bbox.maxY * scale].map(Math.round),
      ItalicAngle: post.italicAngle,
      Ascent: Math.round(font.ascent * scale),
      Descent: Math.round(font.descent * scale),
      CapHeight: Math.round((font.capHeight || font.ascent) * scale),
      XHeight: Math.round((font.xHeight || 0) * scale),
      StemV: 80,
      [isCFF ? 'FontFile3' : 'FontFile2']: fontFile,
    });
    descriptor.end();
    const cidFont = this.doc.ref({
      Type: 'Font',
      Subtype: isCFF ? 'CIDFontType0' : 'CIDFontType2',
      BaseFont: name,
      CIDSystemInfo: { Registry: new String('Adobe'), Ordering: new String('Identity'), Supplement: 0 },
      FontDescriptor: descriptor,
      W: objects.widths,
      ...(isCFF ? {} : { CIDToGIDMap: objects.cidToGid ? this.stream(objects.cidToGid) : 'Identity' }),
    });
    cidFont.end();
    (e.ref as { data: Record<string, unknown> }).data = {
      Type: 'Font',
      Subtype: 'Type0',
      BaseFont: name,
      Encoding: 'Identity-H',
      DescendantFonts: [cidFont],
      ToUnicode: this.stream(objects.toUnicode),
    };
    e.ref.end();
  }
}

/** A face's font program and tables for one set of CIDs, compressed, as a document embeds them. */
interface FontObjects {
  fontFile: Uint8Array;
  length1: number;
  /** Subset tag from the content, so identical inputs give identical files. */
  tag: string;
  widths: unknown[];
  /** CID → glyph map, or null for the identity. */
  cidToGid: Uint8Array | null;
  toUnicode: Uint8Array;
  bytes: number;
}

/**
 * Subsetting and compressing a font is the costliest part of writing a PDF. Documents of one
 * locale often use the same glyphs of a face (the body face, when only a brand name in bold
 * differs), and CIDs are numbered by glyph, so the objects are kept per face and CID table,
 * most recently used first, within a memory budget.
 */
const fontObjectCache = new Map<string, FontObjects>();
let fontObjectBytes = 0;
const FONT_OBJECT_BUDGET = 24 * 1024 * 1024;

function fontObjects(e: EmbeddedFace): FontObjects {
  const key = `${e.face.key}\n${[...e.gids.keys()].join(',')}\n${e.cidToGid.join(',')}\n${e.widths.join(',')}\n${e.unicode.join('\u0001')}`;
  let hit = fontObjectCache.get(key);
  if (hit) {
    fontObjectCache.delete(key);
    fontObjectCache.set(key, hit);
    return hit;
  }
  const raw = e.subset.encode();
  const digest = createHash('sha256').update(e.face.key).update(raw).digest();
  const identity = e.cidToGid.every((gid, cid) => gid === cid);
  const fontFile = deflateKept(raw);
  const toUnicode = deflateKept(toUnicodeCMap(e.unicode));
  const cidToGid = identity ? null : deflateKept(cidToGidBytes(e.cidToGid));
  hit = {
    fontFile,
    length1: raw.length,
    tag: [...digest.subarray(0, 6)].map((b) => String.fromCharCode(65 + (b % 26))).join(''),
    widths: [0, Array.from(e.widths, (w) => w ?? 0)],
    cidToGid,
    toUnicode,
    bytes: fontFile.length + toUnicode.length + (cidToGid?.length ?? 0) + key.length * 2 + e.widths.length * 8,
  };
  fontObjectCache.set(key, hit);
  fontObjectBytes += hit.bytes;
  for (const [k, v] of fontObjectCache) {
    if (fontObjectBytes <= FONT_OBJECT_BUDGET) break;
    fontObjectCache.delete(k);
    fontObjectBytes -= v.bytes;
  }
  return hit;
}

function cidToGidBytes(cidToGid: number[]): Uint8Array {
  const map = new Uint8Array(cidToGid.length * 2);
  cidToGid.forEach((gid, cid) => {
    map[cid * 2] = gid >> 8;
    map[cid * 2 + 1] = gid & 0xff;
  });
  return map;
}

function utf16Hex(codePoints: number[]): string {
  let out = '';
  for (const cp of codePoints) {
    if (cp > 0xffff) {
      const v = cp - 0x10000;
      out += hex4(0xd800 | (v >>> 10)) + hex4(0xdc00 | (v & 0x3ff));
    } else out += hex4(cp);
  }
  return out;
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');
/** Most documents use a few hundred CIDs: their codes are made once. */
const HEX4 = Array.from({ length: 4096 }, (_, i) => hex4(i));

function toUnicodeCMap(unicode: string[]): string {
  const lines: string[] = [];
  const entries = unicode
    .map((text, cid) => [cid, [...(text ?? '')].map((c) => c.codePointAt(0)!)] as const)
    .filter(([cid]) => cid > 0);
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    lines.push(`${chunk.length} beginbfchar`);
    for (const [gid, cps] of chunk) lines.push(`<${hex4(gid)}> <${utf16Hex(cps)}>`);
    lines.push('endbfchar');
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <ffff>',
    'endcodespacerange',
    ...lines,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}

export { utf16Hex };
