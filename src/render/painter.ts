import { deflateSync } from 'node:zlib';
import SVGtoPDF from 'svg-to-pdfkit';
import { HandoutError } from '../model/diagnostic.js';
import type { Box, GlyphRunBox, PlacedGlyph, ImageBox, LayoutDoc, LineBox, PathBox, RectBox, StructNode, SvgBox } from '../model/layout.js';
import { type Color, rgbOf } from '../model/style.js';
import { type CidPlan, PdfFonts, utf16Hex } from './pdf-fonts.js';
import { greyLevel, type PreparedImage, prepareImage } from './pdf-images.js';
import { glyphTexts } from './glyph-text.js';
import { HandoutDocument, type OpacityCall, type PdfRef } from './pdf-document.js';
import { mirroredCodePoint } from '../text/bidi.js';

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
  const doc = new HandoutDocument({
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
  const output = doc.collectOutput();
  const fonts = new PdfFonts(doc);
  const images = new Map<PreparedImage, { ref: PdfRef; name: string }>();
  const bleed = opts.bleed ?? 0;
  // The trim sits inside the media box, offset by the bleed and, with crop marks, their room.
  const offset = bleed + (opts.cropMarks ? MARK_GAP + MARK_LENGTH + 2 : 0);
  const ctx: PaintContext = { doc, fonts, images, grayscale: opts.grayscale ?? false, pdfa: opts.pdfa ?? false, pageHeight: 0, lang: meta.lang };
  const structure = buildStructure(doc, layout.structure);
  // CIDs are numbered once every glyph of the document is known (see PdfFonts).
  for (const page of layout.pages) for (const b of page.boxes) if (b.kind === 'glyphs') fonts.declare(b.face, glyphPlan(b).cids);
  fonts.number();
  for (const page of layout.pages) {
    doc.addPage({ size: [page.width + 2 * offset, page.height + 2 * offset], margin: 0 });
    const pageDict = doc.page.dictionary.data;
    if (offset > 0) {
      pageDict.TrimBox = [offset, offset, offset + page.width, offset + page.height];
      pageDict.BleedBox = [offset - bleed, offset - bleed, offset + page.width + bleed, offset + page.height + bleed];
    }
    ctx.pageHeight = page.height;
    collectingContent(doc, () => {
      doc.save();
      if (offset > 0) doc.translate(offset, offset);
      paintTagged(ctx, structure, page.boxes.map((box) => (bleed > 0 ? bleedOut(box, page.width, page.height, bleed) : box)));
      doc.restore();
      if (opts.cropMarks) cropMarks(ctx, page.width, page.height, offset, bleed);
    });
  }
  structure.root?.end();
  fonts.finalize();
  doc.end();
  return await output;
}

/**
 * zlib level of page content streams. Level 4 takes half the time of the default 6 (about
 * 0.3 ms a page) for a content stream about 9% larger (half a kilobyte on a flyer).
 */
const CONTENT_LEVEL = 4;

/**
 * Runs `paint` with the page's content operators gathered into one string, then writes the
 * page's stream compressed, once: pdfkit converts every operator it is given into a buffer of
 * its own, and compresses at zlib's default level. Nothing is written to the page after this.
 */
function collectingContent(doc: HandoutDocument, paint: () => void): void {
  const ops = doc.capture(paint);
  const content = doc.page.content;
  const raw = Buffer.concat([...content.buffer, Buffer.from(`${ops.join('\n')}\n`, 'latin1')]);
  content.buffer = [deflateSync(raw, { level: CONTENT_LEVEL })];
  content.compress = false;
  content.data.Filter = 'FlateDecode';
  content.write = contentSealed;
}

// One function for every page (see HandoutDocument on functions stored per document).
function contentSealed(): never {
  throw new Error('internal: page content written after it was compressed');
}

function setFill(doc: PDFKit.PDFDocument, c: Color): void {
  doc.fillColor(c.cmyk ?? c.hex);
}

function setStroke(doc: PDFKit.PDFDocument, c: Color): void {
  doc.strokeColor(c.cmyk ?? c.hex);
}

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
  doc: HandoutDocument;
  fonts: PdfFonts;
  images: Map<PreparedImage, { ref: PdfRef; name: string }>;
  grayscale: boolean;
  /** PDF/A-2b with an sRGB output intent: no device CMYK may be painted. */
  pdfa: boolean;
  /** Trim height of the current page: text is drawn in PDF's y-up space. */
  pageHeight: number;
}

function paint(ctx: PaintContext, box: Box): void {
  const { doc } = ctx;
  const b = ctx.grayscale ? recolored(box, grey) : ctx.pdfa ? recolored(box, rgbOnly) : box;
  switch (b.kind) {
    case 'rect':
      return paintRect(doc, b);
    case 'line':
      return paintLine(doc, b);
    case 'path':
      return paintPath(doc, b);
    case 'image':
      return paintImage(doc, ctx.images, b, ctx.grayscale, ctx.pdfa);
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
  setStroke(doc, ctx.pdfa ? rgbOnly(REGISTRATION) : REGISTRATION);
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
  const hex = greyLevel(...rgbOf(c)).toString(16).padStart(2, '0');
  return { hex: `#${hex}${hex}${hex}` };
}

/**
 * A brand's CMYK colour painted as its hex in PDF/A: the file's only output intent is sRGB, and
 * PDF/A-2b forbids device CMYK without one of its own (validators reject the file).
 */
function rgbOnly(c: Color): Color {
  return c.cmyk ? { hex: c.hex } : c;
}

/** The box with each of its colours changed by `to`. */
function recolored(box: Box, to: (c: Color) => Color): Box {
  switch (box.kind) {
    case 'rect':
      return { ...box, fill: box.fill && to(box.fill), stroke: box.stroke && to(box.stroke) };
    case 'line':
      return { ...box, color: to(box.color) };
    case 'path':
      return { ...box, paths: box.paths.map((p) => ({ ...p, fill: p.fill && to(p.fill), stroke: p.stroke && to(p.stroke) })) };
    case 'glyphs':
      return { ...box, color: to(box.color) };
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

function paintPath(doc: HandoutDocument, b: PathBox): void {
  const [vx, vy, vw, vh] = b.viewBox;
  const sx = b.w / vw;
  const sy = b.h / vh;
  doc.save();
  if (b.mirror) doc.transform(-1, 0, 0, 1, 2 * b.x + b.w, 0);
  doc.translate(b.x, b.y).scale(sx, sy).translate(-vx, -vy);
  for (const p of b.paths) {
    doc.addContent(pathOps(doc, p.d));
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

const pathOpsCache = new Map<string, string>();

/**
 * SVG path data as PDF path operators, converted by pdfkit once per path (icons and QR codes
 * recur in every document). Closed axis-aligned rectangles, which QR modules are, become `re`.
 */
function pathOps(doc: HandoutDocument, d: string): string {
  let ops = pathOpsCache.get(d);
  if (ops === undefined) {
    const parts = doc.capture(() => doc.path(d));
    // Same precision as pdfkit's own numbers (6 decimals), so a rectangle loses nothing.
    const size = (from: string, to: string) => String(Math.round((Number(to) - Number(from)) * 1e6) / 1e6);
    ops = parts.join('\n').replace(RECTANGLE, (_all, x: string, y: string, x2: string, y2: string) => `${x} ${y} ${size(x, x2)} ${size(y, y2)} re`);
    if (pathOpsCache.size > 1000) pathOpsCache.clear();
    pathOpsCache.set(d, ops);
  }
  return ops;
}

/** `x y m, x2 y l, x2 y2 l, x y2 l, h`: the subpath `re` appends. */
const RECTANGLE = /^(\S+) (\S+) m\n(\S+) \2 l\n\3 (\S+) l\n\1 \4 l\nh$/gm;

/**
 * What svg-to-pdfkit drew for a logo at a place, to copy into the next document instead of
 * interpreting the SVG again. Kept only when the drawing made no object but pdfkit's opacity
 * states (svg-to-pdfkit sets one even for opaque shapes) and started from a document with none:
 * replaying then registers the same states under the same names and object numbers, so a
 * replayed document is byte-identical to one drawn afresh.
 */
interface SvgRecording {
  content: string;
  /** `_doOpacity` arguments of the states the drawing created, in order. */
  opacities: OpacityCall[];
}

const svgRecordings = new Map<string, Map<string, SvgRecording>>();

/** SVG logos through svg-to-pdfkit; anything it cannot draw is an error naming the file. */
function paintSvg(doc: HandoutDocument, b: SvgBox, grayscale: boolean): void {
  const where = `${b.x},${b.y},${b.w},${b.h},${grayscale ? 'g' : 'c'}`;
  // Keyed by the SVG text itself: it is read once per process, so its hash is computed once.
  const fresh = doc._opacityCount === 0;
  const known = svgRecordings.get(b.svg)?.get(where);
  if (known && fresh) return replaySvg(doc, known);
  const before = resourceCounts(doc);
  const recording: SvgRecording = { content: '', opacities: [] };
  const problems: string[] = [];
  const ops = doc.recordOpacities(recording.opacities, () =>
    doc.capture(() => SVGtoPDF(doc, b.svg, b.x, b.y, {
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
    })),
  );
  if (problems.length) throw new HandoutError('image', `cannot draw SVG: ${problems[0]}`, { file: b.src });
  const content = ops.join('\n');
  if (content) doc.addContent(content);
  const after = resourceCounts(doc);
  const created = recording.opacities.length;
  const selfContained =
    fresh && after.objects === before.objects + created && after.gstates === before.gstates + created && after.others === before.others;
  if (!selfContained) return;
  recording.content = content;
  let perSvg = svgRecordings.get(b.svg);
  if (!perSvg) {
    if (svgRecordings.size > 100) svgRecordings.clear();
    svgRecordings.set(b.svg, (perSvg = new Map()));
  }
  perSvg.set(where, recording);
}

function replaySvg(doc: HandoutDocument, r: SvgRecording): void {
  // pdfkit's own registration (objects, names, page resources); its content operators are
  // already in the recording, so the captured ones are dropped.
  doc.capture(() => {
    for (const [fill, stroke] of r.opacities) doc._doOpacity(fill, stroke);
  });
  if (r.content) doc.addContent(r.content);
}

function resourceCounts(d: HandoutDocument): { objects: number; gstates: number; others: number } {
  // Read the resource dictionary itself: pdfkit's page getters would create empty entries.
  const r = d.page.resources.data;
  const count = (k: string) => Object.keys((r[k] as object | undefined) ?? {}).length;
  return { objects: d._offsets.length, gstates: count('ExtGState'), others: count('Font') + count('XObject') + count('Pattern') };
}

/** One XObject per image per document, from data prepared once per process. */
function paintImage(doc: HandoutDocument, images: Map<PreparedImage, { ref: PdfRef; name: string }>, b: ImageBox, grayscale: boolean, pdfa: boolean): void {
  // Stored pixels run across the shown height when an EXIF orientation turns the picture.
  const turned = (b.orientation ?? 1) >= 5;
  const img = prepareImage(b.data, b.src, grayscale, turned ? { width: b.h, height: b.w } : { width: b.w, height: b.h });
  // Its inks cannot be turned into sRGB without the printer's profile (see prepareJpeg).
  if (pdfa && img.colorSpace === 'DeviceCMYK') throw new HandoutError('image', 'a CMYK JPEG cannot go into a PDF/A file, whose colours are sRGB: save the image as RGB, or build without --pdfa', { file: b.src });
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
      const mask = doc.ref({ Type: 'XObject', Subtype: 'Image', Width: img.width, Height: img.height, BitsPerComponent: 8, ColorSpace: 'DeviceGray', Filter: 'FlateDecode' });
      mask.end(img.alpha);
      dict.SMask = mask;
    }
    const ref = doc.ref(dict);
    ref.end(img.data);
    xobject = { ref, name: `Im${images.size + 1}` };
    images.set(img, xobject);
  }
  const { ref, name } = xobject;
  doc.page.xobjects[name] = ref;
  doc.save();
  doc.transform(...imageMatrix(b));
  doc.addContent(`/${name} Do`);
  doc.restore();
}

/**
 * Where an image's unit square goes in the box, in the painter's top-left space: a photo's
 * EXIF orientation turns or mirrors the stored pixels into the picture as shown (w and h are
 * already the shown size). Rows of the stored image run top to bottom, the unit square's v
 * bottom to top; each case maps (u, 1 − v) to the shown position.
 */
export function imageMatrix(b: Pick<ImageBox, 'x' | 'y' | 'w' | 'h' | 'orientation'>): [number, number, number, number, number, number] {
  const { x, y, w, h } = b;
  switch (b.orientation ?? 1) {
    case 2: return [-w, 0, 0, -h, x + w, y + h]; // mirrored left to right
    case 3: return [-w, 0, 0, h, x + w, y]; // half a turn
    case 4: return [w, 0, 0, h, x, y]; // mirrored top to bottom
    case 5: return [0, h, -w, 0, x + w, y]; // mirrored along the diagonal
    case 6: return [0, h, w, 0, x, y]; // a quarter turn clockwise
    case 7: return [0, -h, w, 0, x, y + h];
    case 8: return [0, -h, -w, 0, x + w, y + h]; // a quarter turn anticlockwise
    default: return [w, 0, 0, -h, x, y + h];
  }
}

/**
 * How a run is shown, worked out once per run (layouts are cached, so the same run recurs in
 * every document of a locale): the text each glyph copies out as, its CID key and width, and
 * the TJ operands between the glyph codes, with the pen tracked from the run's start.
 */
interface GlyphPlan {
  face: GlyphRunBox['face'];
  size: number;
  text: string;
  cids: CidPlan;
  /** TJ content: `between[0] code between[1] code …`, one code per shown glyph (`shown`). */
  between: string[];
  shown: number[];
  /** Glyphs drawn as outlines (empty text, or raised marks), relative to the run's origin. */
  outlines: { gid: number; dx: number; dy: number }[];
  /** The ActualText span opener, when the glyph order differs from the typed order. */
  actual: string | null;
}

const plans = new WeakMap<PlacedGlyph[], GlyphPlan>();

function glyphPlan(run: GlyphRunBox): GlyphPlan {
  const known = plans.get(run.glyphs);
  if (known && known.face === run.face && known.size === run.size && known.text === run.text) return known;
  const texts = glyphTexts(run.glyphs, run.text, run.rtl, mirroredCodePoint);
  // Outline-painted glyphs lend their advance to the text glyph before them, so extractors
  // see no gap (and invent no space) inside the word.
  const extra = run.glyphs.map(() => 0);
  let owner = -1;
  run.glyphs.forEach((g, i) => {
    if (texts[i] !== '') owner = i;
    else if (owner >= 0) extra[owner]! += g.advance;
  });
  const cids = PdfFonts.plan(run.face, run.glyphs, texts, extra);
  const scale = run.size / run.face.unitsPerEm;
  const between: string[] = [];
  const shown: number[] = [];
  const outlines: GlyphPlan['outlines'] = [];
  let pending = '[';
  let open = true; // inside a TJ array
  let inString = false; // inside a <…> glyph string: glyphs with no offset between share one
  let x = 0;
  let penAt = 0; // where the PDF's own advance leaves the pen
  run.glyphs.forEach((g, i) => {
    const gx = x + g.dx * scale;
    x += g.advance * scale;
    if (texts[i] === '' || g.dy !== 0) outlines.push({ gid: g.id, dx: gx, dy: g.dy * scale });
    if (texts[i] === '') return;
    if (!open) {
      pending += '[';
      open = true;
    }
    const drift = ((gx - penAt) * 1000) / run.size;
    if (Math.abs(drift) > 0.01) {
      if (inString) pending += '> ';
      inString = false;
      pending += `${n(-drift)} `;
    }
    if (g.dy !== 0) {
      // Drawn as an outline, and shown here as invisible text on the baseline: a text-rise
      // change would make extractors start a new item and scramble the word.
      if (inString) pending += '>';
      pending = `${pending.endsWith('[') ? pending.slice(0, -1) : `${pending.trimEnd()}] TJ\n`}3 Tr\n[<`;
      between.push(pending);
      shown.push(i);
      pending = `>] TJ\n${run.fakeBold ? 2 : 0} Tr\n`;
      open = false;
      inString = false;
    } else {
      between.push(inString ? pending : `${pending}<`);
      shown.push(i);
      pending = '';
      inString = true;
    }
    penAt = gx + (cids.widths[i]! * run.size) / 1000;
  });
  if (inString) pending += '>';
  between.push(open ? (pending === '[' ? '' : `${pending.trimEnd()}] TJ\n`) : pending);
  // Poppler-style extractors read the logical text of a span from ActualText; pdf.js reads
  // the glyphs' own text. Both are given, for clusters drawn out of typed order and for runs
  // with raised marks (which poppler would otherwise attach to the wrong letter). Poppler
  // reverses right-to-left text as it reads it, ActualText included: give it in drawing order.
  const actualChars = run.rtl ? [...run.text].reverse() : [...run.text];
  const actual =
    run.reordered || run.glyphs.some((g) => g.dy !== 0)
      ? `/Span << /ActualText <FEFF${utf16Hex(actualChars.map((c) => c.codePointAt(0)!))}> >> BDC\n`
      : null;
  const plan: GlyphPlan = { face: run.face, size: run.size, text: run.text, cids, between, shown, outlines, actual };
  plans.set(run.glyphs, plan);
  return plan;
}

/**
 * A glyph run as one text object. Glyphs are shown in display order with TJ; kerning and
 * shaping adjustments become TJ offsets; raised marks and glyphs without text of their own are
 * drawn as outlines after it. Where the glyph order differs from the typed order (Indic vowel
 * signs) or marks are raised, an ActualText span carries the logical text for copy and
 * extraction.
 */
function paintGlyphs(doc: PDFKit.PDFDocument, fonts: PdfFonts, run: GlyphRunBox, pageHeight: number): void {
  const plan = glyphPlan(run);
  const e = fonts.use(run.face);
  const codes = fonts.encode(e, plan.cids);
  const fill = fillOp(run.color);
  // pdfkit draws in a flipped (top-left) space; text wants PDF's own, y up.
  let out = `q\n1 0 0 -1 0 ${n(pageHeight)} cm\n${fill}\n`;
  if (run.fakeBold) out += `${strokeOp(run.color)}\n${n(run.size * 0.04)} w\n`;
  if (plan.actual) out += plan.actual;
  out += `BT\n/${e.name} ${n(run.size)} Tf\n${run.fakeBold ? '2 Tr\n' : ''}1 0 0 1 ${n(run.x)} ${n(pageHeight - run.y)} Tm\n`;
  const { between, shown } = plan;
  for (let k = 0; k < shown.length; k++) out += between[k]! + codes[shown[k]!]!;
  out += `${between[shown.length]}ET\n`;
  if (plan.actual) out += 'EMC\n';
  if (plan.outlines.length) {
    const scale = run.size / run.face.unitsPerEm;
    // Simulated bold strokes the outlines as the text around them is stroked (2 Tr), with the
    // same width, given here in the glyph's own units: a Tamil vowel sign drawn apart from its
    // word stayed thin in a bold heading.
    const bold = run.fakeBold ? `${n(0.04 * run.face.unitsPerEm)} w\n` : '';
    for (const o of plan.outlines) {
      out += `q\n${n(scale)} 0 0 ${n(scale)} ${n(run.x + o.dx)} ${n(pageHeight - run.y + o.dy)} cm\n${bold}${glyphOutline(run.face, o.gid)}${bold ? 'B' : 'f'}\nQ\n`;
    }
  }
  doc.addContent(`${out}Q`);
}

const outlineOps = new WeakMap<GlyphRunBox['face'], Map<number, string>>();

/** A glyph's outline as PDF path operators in font units (y up); quadratic curves become cubic. */
function glyphOutline(face: GlyphRunBox['face'], gid: number): string {
  let perFace = outlineOps.get(face);
  if (!perFace) outlineOps.set(face, (perFace = new Map()));
  let ops = perFace.get(gid);
  if (ops === undefined) {
    ops = '';
    let cx = 0;
    let cy = 0;
    for (const { command, args } of face.font.getGlyph(gid).path.commands) {
      if (command === 'moveTo' || command === 'lineTo') {
        [cx, cy] = args as [number, number];
        ops += `${n(cx)} ${n(cy)} ${command === 'moveTo' ? 'm' : 'l'}\n`;
      } else if (command === 'quadraticCurveTo') {
        const [qx, qy, x, y] = args as [number, number, number, number];
        ops += `${n(cx + (2 / 3) * (qx - cx))} ${n(cy + (2 / 3) * (qy - cy))} ${n(x + (2 / 3) * (qx - x))} ${n(y + (2 / 3) * (qy - y))} ${n(x)} ${n(y)} c\n`;
        [cx, cy] = [x, y];
      } else if (command === 'bezierCurveTo') {
        ops += `${(args as number[]).map(n).join(' ')} c\n`;
        [cx, cy] = [args[4]!, args[5]!];
      } else if (command === 'closePath') ops += 'h\n';
    }
    perFace.set(gid, ops);
  }
  return ops;
}

/** A colour operator (rg or k for fills, RG or K for strokes), made once per colour. */
function colorOperator(rgb: string, cmyk: string): (c: Color) => string {
  const made = new WeakMap<Color, string>();
  return (c) => {
    let op = made.get(c);
    if (op === undefined) {
      op = c.cmyk ? `${c.cmyk.map((v) => n(v / 100)).join(' ')} ${cmyk}` : `${rgbOf(c).map((v) => n(v / 255)).join(' ')} ${rgb}`;
      made.set(c, op);
    }
    return op;
  };
}

const fillOp = colorOperator('rg', 'k');
const strokeOp = colorOperator('RG', 'K');
