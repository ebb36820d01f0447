import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { HandoutError } from '../model/diagnostic.js';
import type { Box, GlyphRunBox, ImageBox, LayoutDoc, LineBox, PathBox, RectBox, StructNode, SvgBox } from '../model/layout.js';
import type { Color } from '../model/style.js';
import { PdfFonts, utf16Hex } from './pdf-fonts.js';
import { greyLevel, type PreparedImage, prepareImage } from './pdf-images.js';
import { glyphTexts } from './glyph-text.js';
import { mirrored } from '../text/bidi.js';

const mirrorCp = (cp: number): number => mirrored(String.fromCodePoint(cp))?.codePointAt(0) ?? cp;

export interface RenderOptions {
  /** Fixed creation date: same inputs, same bytes. */
  date: Date;
  /** Who made the file (the tool and its version). */
  producer: string;
  /** Bleed in points: the page grows by it on every side, edge backgrounds extend into it. */
  bleed?: number;
  cropMarks?: boolean;
  grayscale?: boolean;
  pdfa?: boolean;
}

/** Crop marks stand this far outside the bleed, and are this long (points). */
const MARK_GAP = (2 * 72) / 25.4;
const MARK_LENGTH = (5 * 72) / 25.4;
const REGISTRATION: Color = { hex: '#000000', cmyk: [100, 100, 100, 100] };

const n = (v: number) => {
  const r = Math.round(v * 1000) / 1000;
  return Object.is(r, -0) ? '0' : String(r);
};

/**
 * The painter: walks the positioned boxes and drives pdfkit. It decides no position; every
 * coordinate comes from layout (top-left origin, points) and is only flipped to PDF space.
 */
export async function renderPdf(layout: LayoutDoc, opts: RenderOptions): Promise<Uint8Array> {
  const { meta } = layout;
  const doc = new PDFDocument({
    autoFirstPage: false,
    compress: true,
    lang: meta.lang,
    displayTitle: true,
    tagged: true,
    // PDF/A-2b: pdfkit adds the XMP identification and an sRGB output intent.
    ...(opts.pdfa ? { subset: 'PDF/A-2b' as const } : {}),
    // No default font: pdfkit would parse Helvetica's metrics for every document.
    font: null as unknown as string,
    pdfVersion: '1.7',
    info: {
      Title: meta.title,
      Author: meta.author,
      Subject: meta.subject,
      Keywords: meta.keywords.join(', '),
      Creator: opts.producer,
      Producer: opts.producer,
      CreationDate: opts.date,
      ModDate: opts.date,
    },
  });
  const chunks: Uint8Array[] = [];
  doc.on('data', (c: Uint8Array) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const fonts = new PdfFonts(doc as never);
  const images = new Map<PreparedImage, { ref: PdfRef; name: string }>();
  const bleed = opts.bleed ?? 0;
  // The trim sits inside the media box, offset by the bleed and, with crop marks, their room.
  const offset = bleed + (opts.cropMarks ? MARK_GAP + MARK_LENGTH + 2 : 0);
  const ctx: PaintContext = { doc, fonts, images, grayscale: opts.grayscale ?? false, pageHeight: 0, lang: meta.lang };
  const structure = buildStructure(doc, layout.structure);
  for (const page of layout.pages) {
    doc.addPage({ size: [page.width + 2 * offset, page.height + 2 * offset], margin: 0 });
    const pageDict = (doc as unknown as { page: { dictionary: { data: Record<string, unknown> } } }).page.dictionary.data;
    if (offset > 0) {
      pageDict.TrimBox = [offset, offset, offset + page.width, offset + page.height];
      pageDict.BleedBox = [offset - bleed, offset - bleed, offset + page.width + bleed, offset + page.height + bleed];
    }
    ctx.pageHeight = page.height;
    doc.save();
    if (offset > 0) doc.translate(offset, offset);
    paintTagged(ctx, structure, page.boxes.map((box) => (bleed > 0 ? bleedOut(box, page.width, page.height, bleed) : box)));
    doc.restore();
    if (opts.cropMarks) cropMarks(ctx, page.width, page.height, offset, bleed);
  }
  structure.root?.end();
  fonts.finalize();
  doc.end();
  await done;
  const total = chunks.reduce((s, c) => s + c.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

function setFill(doc: PDFKit.PDFDocument, c: Color): void {
  doc.fillColor(c.cmyk ?? c.hex);
}

function setStroke(doc: PDFKit.PDFDocument, c: Color): void {
  doc.strokeColor(c.cmyk ?? c.hex);
}

type PdfRef = PDFKit.PDFKitReference & { end(data?: Uint8Array): void };

type StructElement = ReturnType<PDFKit.PDFDocument['struct']> & { add(child: unknown): void; end(): void };

/** The PDF structure tree: one element per layout structure node, in reading order. */
function buildStructure(doc: PDFKit.PDFDocument, nodes: StructNode[]): { root: StructElement | null; elements: StructElement[] } {
  if (nodes.length === 0) return { root: null, elements: [] };
  const d = doc as unknown as { struct(type: string, options?: object): StructElement; addStructure(e: StructElement): void };
  const root = d.struct('Document');
  d.addStructure(root);
  const elements: StructElement[] = [];
  for (const node of nodes) {
    const el = d.struct(node.role, node.alt ? { alt: node.alt } : {});
    elements[node.id] = el;
    (node.parent === null ? root : elements[node.parent]!).add(el);
  }
  return { root, elements };
}

/**
 * Boxes of one structure node (consecutive on the page) go into one marked-content sequence
 * of that node; untagged boxes and repeated copies are artifacts; text in another language
 * than the document's is marked with its own /Lang.
 */
function paintTagged(ctx: PaintContext, structure: { elements: StructElement[] }, boxes: Box[]): void {
  const d = ctx.doc as unknown as {
    markStructureContent(tag: string, options?: object): unknown;
    markContent(tag: string, options?: object | null): void;
    endMarkedContent(): void;
  };
  let i = 0;
  while (i < boxes.length) {
    const first = boxes[i]!;
    const id = first.repeat ? undefined : first.tag;
    let j = i + 1;
    while (j < boxes.length && (boxes[j]!.repeat ? undefined : boxes[j]!.tag) === id) j++;
    const el = id === undefined ? undefined : structure.elements[id];
    if (el) {
      const content = d.markStructureContent(String((el as unknown as { dictionary: { data: { S: string } } }).dictionary.data.S));
      for (const b of boxes.slice(i, j)) paintWithLang(ctx, d, b);
      d.endMarkedContent();
      el.add(content);
    } else {
      d.markContent('Artifact', { type: 'Layout' });
      for (const b of boxes.slice(i, j)) paint(ctx, b);
      d.endMarkedContent();
    }
    i = j;
  }
}

function paintWithLang(ctx: PaintContext, d: { markContent(tag: string, options?: object | null): void; endMarkedContent(): void }, b: Box): void {
  if (b.kind === 'glyphs' && b.lang !== ctx.lang) {
    d.markContent('Span', { lang: b.lang });
    paint(ctx, b);
    d.endMarkedContent();
  } else paint(ctx, b);
}

interface PaintContext {
  /** The document's language: text in any other is marked as such. */
  lang: string;
  doc: PDFKit.PDFDocument;
  fonts: PdfFonts;
  images: Map<PreparedImage, { ref: PdfRef; name: string }>;
  grayscale: boolean;
  /** Trim height of the current page: text is drawn in PDF's y-up space. */
  pageHeight: number;
}

function paint(ctx: PaintContext, box: Box): void {
  const { doc } = ctx;
  const b = ctx.grayscale ? greyBox(box) : box;
  switch (b.kind) {
    case 'rect':
      return paintRect(doc, b);
    case 'line':
      return paintLine(doc, b);
    case 'path':
      return paintPath(doc, b);
    case 'image':
      return paintImage(doc, ctx.images, b, ctx.grayscale);
    case 'svg':
      return paintSvg(doc, b, ctx.grayscale);
    case 'glyphs':
      return paintGlyphs(doc, ctx.fonts, b, ctx.pageHeight);
  }
}

/** A background that touches the trim is extended past it by the bleed, as print shops need. */
function bleedOut(box: Box, w: number, h: number, bleed: number): Box {
  if (box.kind !== 'rect' || !box.fill) return box;
  const e = 0.5;
  const left = box.x <= e ? bleed : 0;
  const top = box.y <= e ? bleed : 0;
  const right = box.x + box.w >= w - e ? bleed : 0;
  const bottom = box.y + box.h >= h - e ? bleed : 0;
  if (!left && !top && !right && !bottom) return box;
  return { ...box, x: box.x - left, y: box.y - top, w: box.w + left + right, h: box.h + top + bottom };
}

/** Marks at the four corners of the trim, outside the bleed, in registration colour. */
function cropMarks(ctx: PaintContext, w: number, h: number, offset: number, bleed: number): void {
  const { doc } = ctx;
  const from = bleed + MARK_GAP;
  const to = from + MARK_LENGTH;
  doc.save();
  doc.lineWidth(0.25);
  setStroke(doc, REGISTRATION);
  for (const [cx, sx] of [[offset, -1], [offset + w, 1]] as const) {
    for (const [cy, sy] of [[offset, -1], [offset + h, 1]] as const) {
      doc.moveTo(cx + sx * from, cy).lineTo(cx + sx * to, cy);
      doc.moveTo(cx, cy + sy * from).lineTo(cx, cy + sy * to);
    }
  }
  doc.stroke();
  doc.restore();
}

/** Ink saver: every colour becomes the grey of its luminance, so contrast is kept. */
function grey(c: Color): Color {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(c.hex.slice(i, i + 2), 16)) as [number, number, number];
  const hex = greyLevel(r, g, b).toString(16).padStart(2, '0');
  return { hex: `#${hex}${hex}${hex}` };
}

function greyBox(box: Box): Box {
  switch (box.kind) {
    case 'rect':
      return { ...box, fill: box.fill && grey(box.fill), stroke: box.stroke && grey(box.stroke) };
    case 'line':
      return { ...box, color: grey(box.color) };
    case 'path':
      return { ...box, paths: box.paths.map((p) => ({ ...p, fill: p.fill && grey(p.fill), stroke: p.stroke && grey(p.stroke) })) };
    case 'glyphs':
      return { ...box, color: grey(box.color) };
    default:
      return box;
  }
}

function paintRect(doc: PDFKit.PDFDocument, b: RectBox): void {
  doc.save();
  if (b.radius) doc.roundedRect(b.x, b.y, b.w, b.h, b.radius);
  else doc.rect(b.x, b.y, b.w, b.h);
  if (b.fill) setFill(doc, b.fill);
  if (b.stroke) {
    setStroke(doc, b.stroke);
    doc.lineWidth(b.lineWidth ?? 1);
  }
  if (b.fill && b.stroke) doc.fillAndStroke();
  else if (b.fill) doc.fill();
  else if (b.stroke) doc.stroke();
  doc.restore();
}

function paintLine(doc: PDFKit.PDFDocument, b: LineBox): void {
  doc.save();
  doc.moveTo(b.x1, b.y1).lineTo(b.x2, b.y2).lineWidth(b.width);
  if (b.dash) doc.dash(b.dash[0]!, { space: b.dash[1] ?? b.dash[0]! });
  setStroke(doc, b.color);
  doc.stroke();
  doc.restore();
}

function paintPath(doc: PDFKit.PDFDocument, b: PathBox): void {
  const [vx, vy, vw, vh] = b.viewBox;
  const sx = b.w / vw;
  const sy = b.h / vh;
  doc.save();
  if (b.mirror) doc.transform(-1, 0, 0, 1, 2 * b.x + b.w, 0);
  doc.translate(b.x, b.y).scale(sx, sy).translate(-vx, -vy);
  for (const p of b.paths) {
    doc.path(p.d);
    if (p.fill) setFill(doc, p.fill);
    if (p.stroke) {
      setStroke(doc, p.stroke);
      doc.lineWidth(p.strokeWidth ?? 1);
      doc.lineCap('round').lineJoin('round');
    }
    const rule = p.fillRule === 'evenodd' ? 'even-odd' : 'non-zero';
    if (p.fill && p.stroke) doc.fillAndStroke(undefined, undefined, rule);
    else if (p.fill) doc.fill(rule);
    else if (p.stroke) doc.stroke();
  }
  doc.restore();
}

/** SVG logos through svg-to-pdfkit; anything it cannot draw is an error naming the file. */
function paintSvg(doc: PDFKit.PDFDocument, b: SvgBox, grayscale: boolean): void {
  const problems: string[] = [];
  SVGtoPDF(doc, b.svg, b.x, b.y, {
    width: b.w,
    height: b.h,
    preserveAspectRatio: 'xMidYMid meet',
    assumePt: false,
    warningCallback: (w: string) => problems.push(w),
    colorCallback: grayscale
      ? (c: [[number, number, number], number]) => {
          const v = greyLevel(...c[0]);
          return [[v, v, v], c[1]];
        }
      : undefined,
  });
  if (problems.length) throw new HandoutError('image', `cannot draw SVG: ${problems[0]}`, { file: b.src });
}

/** One XObject per image per document, from data prepared once per process. */
function paintImage(doc: PDFKit.PDFDocument, images: Map<PreparedImage, { ref: PdfRef; name: string }>, b: ImageBox, grayscale: boolean): void {
  const img = prepareImage(b.data, b.src, grayscale);
  const d = doc as unknown as { ref(data: object): PdfRef; page: { xobjects: Record<string, PdfRef> } };
  let xobject = images.get(img);
  if (!xobject) {
    const dict: Record<string, unknown> = {
      Type: 'XObject',
      Subtype: 'Image',
      Width: img.width,
      Height: img.height,
      BitsPerComponent: 8,
      ColorSpace: img.colorSpace,
      Filter: img.filter,
    };
    if (img.invert) dict.Decode = [1, 0, 1, 0, 1, 0, 1, 0];
    if (img.alpha) {
      const mask = d.ref({ Type: 'XObject', Subtype: 'Image', Width: img.width, Height: img.height, BitsPerComponent: 8, ColorSpace: 'DeviceGray', Filter: 'FlateDecode' });
      mask.end(img.alpha);
      dict.SMask = mask;
    }
    const ref = d.ref(dict);
    ref.end(img.data);
    xobject = { ref, name: `Im${images.size + 1}` };
    images.set(img, xobject);
  }
  const { ref, name } = xobject;
  d.page.xobjects[name] = ref;
  doc.save();
  doc.transform(b.w, 0, 0, -b.h, b.x, b.y + b.h);
  doc.addContent(`/${name} Do`);
  doc.restore();
}

/**
 * A glyph run as one text object. Glyphs are shown in display order with TJ; kerning and
 * shaping adjustments become TJ offsets, mark offsets an explicit text matrix. Where the
 * glyph order differs from the typed order (Indic vowel signs), an ActualText span carries
 * the logical text for copy and extraction.
 */
function paintGlyphs(doc: PDFKit.PDFDocument, fonts: PdfFonts, run: GlyphRunBox, pageHeight: number): void {
  const e = fonts.use(run.face);
  const texts = glyphTexts(run.glyphs, run.text, run.rtl, mirrorCp);
  // Outline-painted glyphs lend their advance to the text glyph before them, so extractors
  // see no gap (and invent no space) inside the word.
  const extra = run.glyphs.map(() => 0);
  let owner = -1;
  run.glyphs.forEach((g, i) => {
    if (texts[i] !== '') owner = i;
    else if (owner >= 0) extra[owner]! += g.advance;
  });
  const codes = fonts.encode(e, run.glyphs, texts, extra);
  const upem = run.face.unitsPerEm;
  const scale = run.size / upem;
  const font = run.face.font;
  const y = pageHeight - run.y;
  const out: string[] = [];
  doc.save();
  // pdfkit draws in a flipped (top-left) space; text wants PDF's own, y up.
  doc.transform(1, 0, 0, -1, 0, pageHeight);
  setFill(doc, run.color);
  if (run.fakeBold) {
    setStroke(doc, run.color);
    doc.lineWidth(run.size * 0.04);
  }
  // Poppler-style extractors read the logical text of a span from ActualText; pdf.js reads
  // the glyphs' own text. Both are given, for clusters drawn out of typed order and for runs
  // with raised marks (which poppler would otherwise attach to the wrong letter).
  const actual = run.reordered || run.glyphs.some((g) => g.dy !== 0);
  // Poppler reverses right-to-left text as it reads it, ActualText included: give it in drawing order.
  const actualChars = run.rtl ? [...run.text].reverse() : [...run.text];
  if (actual) out.push(`/Span << /ActualText <FEFF${utf16Hex(actualChars.map((c) => c.codePointAt(0)!))}> >> BDC`);
  out.push('BT', `/${e.name} ${n(run.size)} Tf`);
  if (run.fakeBold) out.push('2 Tr');
  let x = run.x;
  let tj: string[] = [];
  let penAt = x; // where the PDF's own advance leaves the pen
  const flush = () => {
    if (tj.length) out.push(`[${tj.join(' ')}] TJ`);
    tj = [];
  };
  out.push(`1 0 0 1 ${n(x)} ${n(y)} Tm`);
  const outlines: { gid: number; x: number; y: number }[] = [];
  const fillMode = run.fakeBold ? 2 : 0;
  run.glyphs.forEach((g, i) => {
    const gx = x + g.dx * scale;
    x += g.advance * scale;
    if (texts[i] === '' || g.dy !== 0) outlines.push({ gid: g.id, x: gx, y: run.y - g.dy * scale });
    if (texts[i] === '') return;
    const drift = ((gx - penAt) * 1000) / run.size;
    if (Math.abs(drift) > 0.01) tj.push(n(-drift));
    if (g.dy !== 0) {
      // Drawn as an outline above, and shown here as invisible text on the baseline: a
      // text-rise change would make extractors start a new item and scramble the word.
      flush();
      out.push('3 Tr', `[<${codes[i]}>] TJ`, `${fillMode} Tr`);
    } else tj.push(`<${codes[i]}>`);
    penAt = gx + (fonts.width(e, codes[i]!) * run.size) / 1000;
  });
  flush();
  out.push('ET');
  if (actual) out.push('EMC');
  doc.addContent(out.join('\n'));
  doc.restore();
  for (const o of outlines) {
    doc.save();
    doc.transform(scale, 0, 0, -scale, o.x, o.y);
    setFill(doc, run.color);
    doc.path(font.getGlyph(o.gid).path.toSVG()).fill();
    doc.restore();
  }
}
