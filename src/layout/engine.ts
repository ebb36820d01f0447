import type { FontRegistry } from '../fonts/registry.js';
import type { Io } from '../io/io.js';
import { HandoutError, OverflowError, type SourceRef } from '../model/diagnostic.js';
import type { DocNode, ElementNode } from '../model/doc-tree.js';
import { isLanguageTag } from '../model/language-tag.js';
import { own } from '../model/own.js';
import QRCode from 'qrcode';
import type { Box, DocMeta, LayoutDoc, LayoutPage, Orientation, PathBox, RectBox, StructNode } from '../model/layout.js';
import type { PrintOptions } from '../model/print.js';
import type { Align, Color, Direction, TextStyle } from '../model/style.js';
import { type InlineSpan, layoutParagraph } from '../text/paragraph.js';
import { brandFreeBody, contentKey, instantiate, PLACEHOLDER_THEME, type Theme } from './brand-free.js';
import { type Fragment, leastHead, shift, sideBySide, splitRow, stacking } from './fragments.js';
import { imageSize, svgSize } from './image-size.js';
import { placedRun } from './placed-run.js';
import { type Icon, iconBox, parseIcon } from './svg-icon.js';
import { HALF_OF, length, mm, PAGE_SIZES } from './units.js';

export type { Theme } from './brand-free.js';

export interface LayoutInput {
  root: ElementNode;
  io: Io;
  fonts: FontRegistry;
  theme: Theme;
  lang: string;
  dir: Direction;
  /** Families the locale or brand prefers, before the script fallbacks. */
  families: string[];
  /** Line-height factor for the locale's script (taller scripts need more). */
  lineHeight: number;
  /** Paper, orientation, margin, 2-up from the config or command line (override the template). */
  print: PrintOptions;
  /** Most pages the template may fill. */
  maxPages?: number;
  meta: Omit<DocMeta, 'lang' | 'dir'>;
  /** Names the job in overflow messages. */
  label: string;
  /** Fit factor for type sizes and spacing (1 = as designed); page margins do not scale. */
  scale: number;
  /**
   * The header band and QR codes take the fit factor too; else they keep their design size,
   * the same in every language (see fitToPages).
   */
  brandShrinks?: boolean;
}

/** Structure nodes of one layout, one per element that carries meaning, in reading order. */
class Structure {
  readonly nodes: StructNode[] = [];
  private readonly ids = new Map<object, Map<StructNode['role'], number>>();

  /**
   * The node of an element in a role (created on first use, under `parent`): a list item is
   * an LI with an Lbl and an LBody. The same element laid out again (a row's cell given
   * another width) gets the same nodes.
   */
  node(key: object, role: StructNode['role'], parent: number | null = null, alt?: string): number {
    let roles = this.ids.get(key);
    if (!roles) this.ids.set(key, (roles = new Map()));
    let id = roles.get(role);
    if (id === undefined) {
      id = this.nodes.length;
      this.nodes.push({ id, role, parent, ...(alt ? { alt } : {}) });
      roles.set(role, id);
    }
    return id;
  }

  /** Nodes made by another layout of the same content, already numbered for this one. */
  adopt(nodes: StructNode[]): void {
    this.nodes.push(...nodes);
  }
}

/** Tags boxes made for one element alone (never shared or cached), in place. */
function tag(boxes: Box[], id: number): Box[] {
  for (const b of boxes) b.tag = id;
  return boxes;
}

interface Env {
  structure: Structure;
  input: LayoutInput;
  style: TextStyle;
  dir: Direction;
  align: Align;
  /** Set by a `hyphenate` attribute (a brand's name is no word to split); else running text hyphenates and headings do not. */
  hyphenate?: boolean;
}

const HEADINGS: Record<string, { size: number; color: keyof Theme; before: number; after: number }> = {
  h1: { size: 25, color: 'primary', before: 0, after: 6 },
  h2: { size: 14.5, color: 'primary', before: 12, after: 5 },
  h3: { size: 11.5, color: 'primary', before: 6, after: 2.5 },
};

/** The share of a row images leave to text beside them. */
const MIN_TEXT_SHARE = 0.4;

/** The least width and height margins may leave for content (an inch). */
const MIN_CONTENT = 72;

/**
 * Moves boxes in place. Nested blocks (a paragraph in a box in a column in a row) would
 * otherwise copy every box once per level; inside a fragment the boxes are its own.
 */
function moveBy(boxes: Box[], dx: number, dy: number): Box[] {
  if (dx === 0 && dy === 0) return boxes;
  for (const b of boxes) {
    if (b.kind === 'line') {
      b.x1 += dx;
      b.x2 += dx;
      b.y1 += dy;
      b.y2 += dy;
    } else {
      b.x += dx;
      b.y += dy;
    }
  }
  return boxes;
}

const where = (n: ElementNode | DocNode): SourceRef => ({ file: n.pos.file, line: n.pos.line });

function color(value: string | undefined, env: Env, n: ElementNode, fallback: Color): Color {
  if (value === undefined || value === '') return fallback;
  const themed = own(env.input.theme, value);
  if (themed) return themed;
  if (/^#[0-9a-fA-F]{6}$/.test(value)) return { hex: value.toLowerCase() };
  throw new HandoutError('markup', `"${value}" is not a colour (use #rrggbb or ${Object.keys(env.input.theme).join(', ')})`, where(n));
}

/** A length attribute in points, scaled by the fit factor (percentages are not scaled). */
function num(env: Env, n: ElementNode, attr: string, dflt: number, relativeTo?: number): number {
  const v = n.attrs[attr];
  if (v === undefined) return dflt * env.input.scale;
  return v.trim().endsWith('%') ? length(v, where(n), relativeTo) : length(v, where(n)) * env.input.scale;
}

/**
 * The elements inside a row, grid or list. Text there has no place to go, so it is an error
 * rather than left out of the document.
 */
function elementChildren(n: ElementNode): ElementNode[] {
  const kids: ElementNode[] = [];
  for (const c of n.children) {
    if (c.type === 'element') kids.push(c);
    else if (c.text.trim() !== '') throw new HandoutError('markup', `text directly inside <${n.name}> ("${c.text.trim().slice(0, 30)}") would not be shown: put it in a <p>`, where(n));
  }
  return kids;
}

/** A count attribute (columns, ruled lines): never scaled. */
function count(n: ElementNode, attr: string, dflt: number): number {
  const v = n.attrs[attr];
  if (v === undefined) return dflt;
  const c = Number(v);
  if (!Number.isInteger(c) || c < 1) throw new HandoutError('markup', `${attr} must be a whole number of at least 1, not "${v}"`, where(n));
  return c;
}

/**
 * An attribute that takes one of a few words. Anything else is a typo, and quietly taking the
 * default for it would print something other than what the template's author meant.
 */
function choice<T extends string>(n: ElementNode, attr: string, options: readonly T[], dflt: T): T;
function choice<T extends string>(n: ElementNode, attr: string, options: readonly T[]): T | undefined;
function choice<T extends string>(n: ElementNode, attr: string, options: readonly T[], dflt?: T): T | undefined {
  const v = n.attrs[attr];
  if (v === undefined) return dflt;
  if (!(options as readonly string[]).includes(v)) throw new HandoutError('markup', `${attr} must be ${options.slice(0, -1).join(', ')} or ${options[options.length - 1]}, not "${v}"`, where(n));
  return v as T;
}

/** A yes/no attribute; written alone (`<p keep>`) it means yes. */
function flag(n: ElementNode, attr: string): boolean | undefined {
  const v = n.attrs[attr];
  if (v === undefined) return undefined;
  if (v === '' || v === 'true' || v === 'yes') return true;
  if (v === 'false' || v === 'no') return false;
  throw new HandoutError('markup', `${attr} must be true or false, not "${v}"`, where(n));
}

/** A `lang` attribute, which numbering and word breaking hand to Intl. */
function languageTag(n: ElementNode, value: string): string {
  if (!isLanguageTag(value)) throw new HandoutError('markup', `lang must be a BCP 47 language tag like pt-BR or zh-Hant, not "${value}"`, where(n));
  return value;
}

/** Text style of an element: inherited, then the element's defaults, then its attributes. */
function styleFor(n: ElementNode, env: Env): Env {
  const s: TextStyle = { ...env.style };
  const h = HEADINGS[n.name];
  if (h) {
    s.size = h.size * env.input.scale;
    s.bold = true;
    s.color = env.input.theme[h.color];
    s.lineHeight = Math.max(1.2, env.input.lineHeight - 0.2);
  }
  if (n.name === 'strong') s.bold = true;
  if (n.name === 'em') s.italic = true;
  const style = choice(n, 'style', ['small', 'muted']);
  if (style === 'small') s.size = env.style.size * 0.85;
  if (style === 'muted') s.color = env.input.theme.muted;
  if (n.attrs.size) {
    s.size = length(n.attrs.size, where(n)) * env.input.scale;
    if (s.size === 0) throw new HandoutError('markup', `size must be more than 0, not "${n.attrs.size}"`, where(n));
  }
  if (n.attrs.color) s.color = color(n.attrs.color, env, n, s.color);
  const bold = flag(n, 'bold');
  if (bold !== undefined) s.bold = bold;
  const italic = flag(n, 'italic');
  if (italic !== undefined) s.italic = italic;
  if (n.attrs.lang) s.lang = languageTag(n, n.attrs.lang);
  // On a span, dir makes a bidi isolate (see inlineSpans); on a block it sets the direction.
  const dir = n.name !== 'span' ? choice<Direction>(n, 'dir', ['ltr', 'rtl'], env.dir) : env.dir;
  const align = choice<Align>(n, 'align', ['start', 'end', 'center'], env.align);
  const hyphenate = flag(n, 'hyphenate') ?? env.hyphenate;
  return { ...env, style: s, dir, align, hyphenate };
}

/** Inline content → styled spans, with HTML-like white-space collapsing. */
function inlineSpans(children: DocNode[], env: Env, out: InlineSpan[] = [], isolate?: InlineSpan['isolate']): InlineSpan[] {
  for (const c of children) {
    if (c.type === 'text') {
      // A data value's own line breaks arrive as U+2028 (see the workspace's withLineBreaks).
      out.push({ text: c.text.replace(/[ \t\r\n]+/g, ' ').replace(/ ?\u2028 ?/g, '\n'), style: env.style, isolate });
    } else if (c.name === 'br') {
      out.push({ text: '\n', style: env.style });
    } else if (c.name === 'span' && c.attrs.dir) {
      const dir = c.attrs.dir;
      if (dir !== 'ltr' && dir !== 'rtl' && dir !== 'auto') throw new HandoutError('markup', `dir must be ltr, rtl or auto, not "${dir}"`, where(c));
      // Like HTML's <bdi>: the span is a bidi isolate, so a Latin address or a name keeps its
      // own order inside right-to-left text (and the reverse).
      inlineSpans(c.children, styleFor(c, env), out, { dir });
    } else if (c.name === 'strong' || c.name === 'em' || c.name === 'span') {
      inlineSpans(c.children, styleFor(c, env), out, isolate);
    } else {
      throw new HandoutError('markup', `<${c.name}> cannot be inside text; only strong, em, span and br can`, where(c));
    }
  }
  return out;
}

/**
 * Full-width punctuation that carries its own space: Chinese and Japanese set no space after
 * "：" or "。", and one written there ("信息： www.iaim.net", a template's space after a
 * translation) showed as a gap of one and a half characters.
 */
const FULL_WIDTH_CLOSING = '\u3001\u3002\u3009\u300b\u300d\u300f\u3011\u3015\u3017\u3019\u301b\uff01\uff09\uff0c\uff0e\uff1a\uff1b\uff1f\uff3d\uff5d';
const SPACE_AFTER_FULL_WIDTH = new RegExp(`([${FULL_WIDTH_CLOSING}]) +`, 'g');

function trimSpans(spans: InlineSpan[]): InlineSpan[] {
  // Collapse spaces across span boundaries, and drop them at the start, end, around breaks and
  // after full-width punctuation.
  const out: InlineSpan[] = [];
  let prevSpace = true;
  for (const s of spans) {
    let t = s.text.replace(/ {2,}/g, ' ').replace(/ *\n */g, '\n').replace(SPACE_AFTER_FULL_WIDTH, '$1');
    if (prevSpace && t.startsWith(' ')) t = t.slice(1);
    if (t.length > 0) prevSpace = t.endsWith(' ') || t.endsWith('\n') || FULL_WIDTH_CLOSING.includes(t[t.length - 1]!);
    out.push(t === s.text ? s : { ...s, text: t });
  }
  for (let i = out.length - 1; i >= 0; i--) {
    const trimmed = out[i]!.text.replace(/ +$/, '');
    if (trimmed !== out[i]!.text) out[i] = { ...out[i]!, text: trimmed };
    if (trimmed.length > 0) break;
  }
  return out.filter((s) => s.text.length > 0);
}

/** A paragraph as one fragment per line, so pages can break between lines (no orphans or widows). */
const TEXT_ROLE: Record<string, StructNode['role']> = { h1: 'H1', h2: 'H2', h3: 'H3', p: 'P' };

function paragraph(n: ElementNode, env: Env, width: number, before: number, after: number, keepAll: boolean, lead?: (lineTop: number, baseline: number) => Box[], indent = 0, textTag?: number): Fragment[] {
  const id = textTag ?? env.structure.node(n, TEXT_ROLE[n.name] ?? 'P');
  const spans = trimSpans(inlineSpans(n.children, env));
  // Running text hyphenates where the language has patterns; headings keep words whole.
  const p = layoutParagraph(spans, { width: width - indent, align: env.align, dir: env.dir, where: where(n), hyphenate: env.hyphenate ?? !HEADINGS[n.name] }, env.input.fonts);
  const startX = env.dir === 'rtl' ? 0 : indent;
  const frags: Fragment[] = p.lines.map((line, i) => {
    const boxes: Box[] = line.runs.map((r) => placedRun(r, r.x + startX, line.baseline, r.color, id));
    if (i === 0 && lead) boxes.push(...lead(0, line.baseline));
    const last = i === p.lines.length - 1;
    return {
      h: line.height,
      boxes,
      before: i === 0 ? before : 0,
      after: last ? after : 0,
      keepWithNext: keepAll || noOrphanOrWidow(i, p.lines.length),
      widest: p.widest + indent,
    };
  });
  if (frags.length === 0 && lead) {
    const h = env.style.size * env.style.lineHeight;
    frags.push({ h, boxes: lead(0, h * 0.8), before, after, keepWithNext: keepAll });
  }
  return frags;
}

/**
 * Whether line `i` of `count` stays with the next one so that no page starts or ends with one
 * line alone: the first keeps with the second, the one before last with the last.
 */
function noOrphanOrWidow(i: number, count: number): boolean {
  return count > 1 && (i === 0 || i === count - 2);
}

/** Stacks fragments into one (for boxes, cells and anything that must not split). */
function stack(frags: Fragment[]): { h: number; boxes: Box[] } {
  const { tops, h } = stacking(frags);
  const boxes: Box[] = [];
  frags.forEach((f, i) => boxes.push(...moveBy(f.boxes, 0, tops[i]!)));
  return { h, boxes };
}

function atomic(env: Env, n: ElementNode, content: { h: number; boxes: Box[]; widest?: number }, before: number, after: number): Fragment {
  return { h: content.h, boxes: content.boxes, before: num(env, n, 'space-before', before), after: num(env, n, 'space-after', after), keepWithNext: flag(n, 'keep') ?? false, widest: content.widest };
}

/** A box's padding, and its fill and border as a rect of the given width (null when it has neither). */
function frameOf(n: ElementNode, env: Env, width: number, defaultPadding: number): { pad: number; rect: RectBox | null } {
  const pad = num(env, n, 'padding', n.attrs.fill || n.attrs.border ? defaultPadding : 0);
  const fill = n.attrs.fill ? color(n.attrs.fill, env, n, env.input.theme.background) : undefined;
  const stroke = n.attrs.border ? color(n.attrs.border, env, n, env.input.theme.primary) : undefined;
  const rect: RectBox | null = fill || stroke ? { kind: 'rect', x: 0, y: 0, w: width, h: 0, fill, stroke, lineWidth: num(env, n, 'border-width', 0.8), radius: num(env, n, 'radius', 0) || undefined } : null;
  return { pad, rect };
}

/** Fill, border and padding around stacked children. */
function boxed(n: ElementNode, env: Env, width: number, defaultPadding: number): { h: number; boxes: Box[]; widest: number } {
  const { pad, rect } = frameOf(n, env, width, defaultPadding);
  const children = blocks(n.children, env, width - 2 * pad);
  const widest = widestOf(children) + 2 * pad;
  const inner = stack(children);
  const h = inner.h + 2 * pad;
  const boxes: Box[] = [];
  if (rect) boxes.push({ ...rect, h });
  boxes.push(...moveBy(inner.boxes, pad, pad));
  return { h, boxes, widest };
}

function readAsset(env: Env, n: ElementNode, src: string | undefined, what: string): { data: Uint8Array; file: string } {
  if (!src) throw new HandoutError('markup', `<${n.name}> needs a src`, where(n));
  const io = env.input.io;
  // Named where the template asks for it: the file that is not there cannot be opened to fix.
  if (!io.exists(src)) throw new HandoutError('image', `${what} file not found: ${src} (a path from the project folder)`, where(n));
  return { data: io.readBytes(src), file: io.relative(src) };
}

const isSvg = (file: string) => /\.svg$/i.test(file);

// Kept per file's bytes, which the workspace reads once per process: a logo and the icons are
// laid out in every document and at every fit step.
const svgTexts = new WeakMap<Uint8Array, string>();
const naturalSizes = new WeakMap<Uint8Array, { width: number; height: number; orientation: Orientation }>();

function svgText(data: Uint8Array): string {
  let text = svgTexts.get(data);
  if (text === undefined) svgTexts.set(data, (text = new TextDecoder().decode(data)));
  return text;
}

function readIcon(env: Env, n: ElementNode, src: string | undefined): Icon {
  const { data, file } = readAsset(env, n, src, 'icon');
  return parseIcon(svgText(data), file);
}

/** Intrinsic size in points: PNG and JPEG at 96 dpi, SVG from its own dimensions. */
function naturalSize(data: Uint8Array, file: string): { width: number; height: number; orientation: Orientation } {
  let size = naturalSizes.get(data);
  if (!size) {
    const px = isSvg(file) ? null : imageSize(data, file);
    size = px ? { width: px.width * 0.75, height: px.height * 0.75, orientation: px.orientation } : { ...svgSize(svgText(data), file), orientation: 1 };
    naturalSizes.set(data, size);
  }
  return size;
}

/**
 * Row children whose `width` the row has given them: the cell is that width, so a percentage
 * is not taken of it again (35% of 35% of the row made a photo postage-stamp size).
 */
const sizedByRow = new WeakSet<ElementNode>();

function image(n: ElementNode, env: Env, width: number): Fragment {
  const { data, file } = readAsset(env, n, n.attrs.src, 'image');
  const px = naturalSize(data, file);
  let w = n.attrs.width ? (sizedByRow.has(n) ? width : num(env, n, 'width', 0, width)) : 0;
  let h = n.attrs.height ? num(env, n, 'height', 0) : 0;
  if (!w && !h) w = Math.min(width, px.width);
  if (!w) w = (h * px.width) / px.height;
  if (!h) h = (w * px.height) / px.width;
  // Never wider than its place (a row may have given it less than its natural width).
  if (w > width) [w, h] = [width, (h * width) / w];
  const x = env.dir === 'rtl' ? width - w : 0;
  const alt = n.attrs.alt ?? '';
  // An image without alt text is decoration; with it, a figure a screen reader announces.
  const tagged = alt ? { tag: env.structure.node(n, 'Figure', null, alt) } : {};
  const box: Box = isSvg(file)
    ? { kind: 'svg', x, y: 0, w, h, src: file, svg: svgText(data), alt, ...tagged }
    : { kind: 'image', x, y: 0, w, h, src: file, data, alt, ...tagged, ...(px.orientation !== 1 ? { orientation: px.orientation } : {}) };
  return atomic(env, n, { h, boxes: [box] }, 0, 0);
}

/** QR paths by level and value: the same brand URL is on every document of a batch. */
const qrPaths = new Map<string, { count: number; d: string }>();

function qrPath(value: string, level: 'L' | 'M' | 'Q' | 'H', n: ElementNode): { count: number; d: string } {
  const key = `${level}\u0000${value}`;
  const hit = qrPaths.get(key);
  if (hit) return hit;
  let code: ReturnType<typeof QRCode.create>;
  try {
    code = QRCode.create(value, { errorCorrectionLevel: level });
  } catch (e) {
    throw new HandoutError('markup', `cannot encode "${value}" as a QR code: ${(e as Error).message}`, where(n));
  }
  const count = code.modules.size;
  let d = '';
  for (let y = 0; y < count; y++) {
    for (let x = 0; x < count; ) {
      if (!code.modules.get(y, x)) {
        x++;
        continue;
      }
      let run = 1;
      while (x + run < count && code.modules.get(y, x + run)) run++;
      d += `M${x} ${y}h${run}v1h${-run}z`;
      x += run;
    }
  }
  const path = { count, d };
  qrPaths.set(key, path);
  return path;
}

/** A vector QR code: one path of dark modules, with the 4-module quiet zone scanners need. */
/** A QR code keeps its size when type is fitted: a phone reads it by its modules, in every language alike. */
const qrSize = (env: Env, n: ElementNode) => num(env.input.brandShrinks ? env : { ...env, input: { ...env.input, scale: 1 } }, n, 'size', 64);

function qr(n: ElementNode, env: Env, width: number): Fragment {
  const value = n.attrs.value;
  if (!value) throw new HandoutError('markup', '<qr> needs a value', where(n));
  const level = choice(n, 'level', ['L', 'M', 'Q', 'H'], 'M');
  const { count, d } = qrPath(value, level, n);
  const size = qrSize(env, n);
  const x = env.dir === 'rtl' ? width - size : 0;
  const path: PathBox = {
    kind: 'path',
    x,
    y: 0,
    w: size,
    h: size,
    viewBox: [-4, -4, count + 8, count + 8],
    paths: [{ d, fill: color(n.attrs.color, env, n, { hex: '#000000' }) }],
    alt: n.attrs.alt ?? value,
    tag: env.structure.node(n, 'Figure', null, n.attrs.alt ?? value),
  };
  return atomic(env, n, { h: size, boxes: [path] }, 0, 0);
}

function icon(n: ElementNode, env: Env, width: number): Fragment {
  const ic = readIcon(env, n, n.attrs.src);
  const size = num(env, n, 'size', 24);
  const x = env.dir === 'rtl' ? width - size : 0;
  return atomic(env, n, { h: size, boxes: [iconBox(ic, x, 0, size, color(n.attrs.color, env, n, env.input.theme.primary), false)] }, 0, 0);
}

/** Children side by side; fixed widths first, the rest share what is left. Mirrored right-to-left. */
function row(n: ElementNode, env: Env, width: number): Fragment {
  const kids = elementChildren(n);
  const gap = num(env, n, 'gap', 12);
  const pad = num(env, n, 'padding', 0);
  const inner = width - 2 * pad;
  const intrinsic: Record<string, (k: ElementNode) => number> = {
    image: (k) => measureImageWidth(k, env),
    icon: (k) => num(env, k, 'size', 24),
    qr: (k) => qrSize(env, k),
  };
  // Images, icons and QR codes without a width take their natural size.
  const natural = kids.map((k) => (k.attrs.width ? num(env, k, 'width', 0, inner) : intrinsic[k.name]?.(k) ?? 0));
  for (const k of kids) if (k.attrs.width) sizedByRow.add(k);
  // ...but images leave the text beside them MIN_TEXT_SHARE of the row: a wide wordmark logo at
  // the header's height squeezed the clinic's name into a column one syllable wide.
  const gaps = gap * Math.max(0, kids.length - 1);
  const images = kids.map((k, i) => (k.name === 'image' && !k.attrs.width ? natural[i]! : 0));
  const imageWidth = images.reduce((a, b) => a + b, 0);
  if (natural.includes(0) && imageWidth > 0) {
    const room = inner * (1 - MIN_TEXT_SHARE) - gaps - (natural.reduce((a, b) => a + b, 0) - imageWidth);
    if (imageWidth > room) {
      images.forEach((w, i) => {
        if (w) natural[i] = (w * Math.max(0, room)) / imageWidth;
      });
    }
  }
  const used = natural.reduce((a, b) => a + b, 0) + gaps;
  const flexible = natural.filter((w) => w === 0).length;
  const share = flexible ? Math.max(0, (inner - used) / flexible) : 0;
  let widths = natural.map((w) => w || share);
  // In a row that may split, a filled or bordered box (the class handout's dates) may too:
  // its content is the column, drawn in its frame on each page. A box of twelve sessions on A5
  // had moved whole to page 2, leaving page 1 three-quarters blank.
  const splits = valign(n) === 'top' && !n.attrs.fill && pad === 0 && !flag(n, 'keep') && kids.length > 1;
  const framed = kids.map((k) => (splits && k.name === 'box' && (k.attrs.fill || k.attrs.border) && !flag(k, 'keep') ? styleFor(k, env) : null));
  const cell = (i: number, w: number) => {
    const boxEnv = framed[i];
    if (!boxEnv) return { frags: blocks([kids[i]!], env, w) };
    const frame = frameOf(kids[i]!, boxEnv, w, 10);
    const frags = blocks(kids[i]!.children, boxEnv, w - 2 * frame.pad);
    // An empty box has no parts to continue: drawn whole, as before.
    if (frags.length === 0) return { frags: blocks([kids[i]!], env, w) };
    return { frags, frame: { rect: frame.rect!, pad: frame.pad }, widest: widestOf(frags) + 2 * frame.pad };
  };
  const cells = kids.map((_, i) => cell(i, widths[i]!));
  // A shared width too narrow for a cell's widest unbreakable stretch (an e-mail address in a
  // footer on A5) is taken from the cells beside it that have room to spare.
  const fitted = minContentWidths(widths, natural.map((w) => w === 0), cells.map((c) => c.widest ?? widestOf(c.frags)));
  if (fitted) {
    fitted.forEach((w, i) => {
      if (w !== widths[i]) cells[i] = cell(i, w);
    });
    widths = fitted;
  }
  const lefts = widths.map((w, i) => {
    const x = widths.slice(0, i).reduce((a, b) => a + b + gap, 0);
    return pad + (env.dir === 'rtl' ? inner - x - w : x);
  });
  // Columns of text aligned at the top may continue on the next page, as newspaper columns do,
  // rather than leave a blank band at the foot of this one; a filled or kept row stays whole.
  if (splits) {
    const row = sideBySide(cells.map((c, i) => ({ x: lefts[i]!, ...c })).filter((c) => c.frags.length > 0));
    return { ...atomic(env, n, row, 0, 0), columns: row.columns, frames: row.frames };
  }
  const stacked = cells.map((c) => stack(c.frags));
  const h = Math.max(0, ...stacked.map((c) => c.h));
  const boxes: Box[] = [];
  const fill = n.attrs.fill ? color(n.attrs.fill, env, n, env.input.theme.background) : undefined;
  if (fill) boxes.push({ kind: 'rect', x: 0, y: 0, w: width, h: h + 2 * pad, fill, radius: num(env, n, 'radius', 0) || undefined });
  const align = valign(n);
  stacked.forEach((c, i) => {
    const dy = align === 'top' ? 0 : align === 'bottom' ? h - c.h : (h - c.h) / 2;
    boxes.push(...moveBy(c.boxes, lefts[i]!, pad + dy));
  });
  return atomic(env, n, { h: h + 2 * pad, boxes }, 0, 0);
}

const valign = (n: ElementNode) => choice(n, 'valign', ['top', 'center', 'bottom'], 'center');

/** The widest unbreakable stretch of a cell's text, where its blocks know it. */
const widestOf = (frags: Fragment[]) => frags.reduce((w, f) => Math.max(w, f.widest ?? 0), 0);

/**
 * Widths of the flexible cells (sharing what is left of a row) that give each at least its
 * widest unbreakable stretch, as CSS tables do; null where the equal shares already do, or
 * where not all can have theirs (then the line cuts the stretch).
 */
export function minContentWidths(widths: number[], flexible: boolean[], need: number[]): number[] | null {
  const cells = widths.map((_, i) => i).filter((i) => flexible[i]);
  if (cells.length < 2 || cells.every((i) => need[i]! <= widths[i]! + 0.01)) return null;
  let room = cells.reduce((a, i) => a + widths[i]!, 0);
  if (cells.reduce((a, i) => a + need[i]!, 0) > room) return null;
  const out = [...widths];
  let free = cells;
  for (;;) {
    const equal = room / free.length;
    const over = free.filter((i) => need[i]! > equal);
    if (over.length === 0) {
      for (const i of free) out[i] = equal;
      return out;
    }
    for (const i of over) {
      out[i] = need[i]!;
      room -= need[i]!;
    }
    free = free.filter((i) => !over.includes(i));
    if (free.length === 0) {
      // Every cell needs more than an equal share: each gets its need and a part of what is left.
      for (const i of cells) out[i]! += room / cells.length;
      return out;
    }
  }
}

function measureImageWidth(k: ElementNode, env: Env): number {
  const { data, file } = readAsset(env, k, k.attrs.src, 'image');
  const px = naturalSize(data, file);
  const h = k.attrs.height ? num(env, k, 'height', 0) : px.height;
  return (h * px.width) / px.height;
}

/** A grid: children fill `count` columns row by row; each row as tall as its tallest cell. */
function columns(n: ElementNode, env: Env, width: number): Fragment[] {
  const kids = elementChildren(n);
  const gap = num(env, n, 'gap', 14);
  // Fewer columns where `count` of them would be narrower than min-width (cards on A5).
  const least = n.attrs['min-width'] === undefined ? 0 : num(env, n, 'min-width', 0, width);
  const cols = Math.max(1, Math.min(count(n, 'count', 2), least > 0 ? Math.floor((width + gap + 0.01) / (least + gap)) : Infinity));
  const cw = (width - gap * (cols - 1)) / cols;
  const rows: Fragment[] = [];
  for (let r = 0; r < kids.length; r += cols) {
    const cells = kids.slice(r, r + cols).map((k) => ({ k, c: stack(blocks([k], env, cw)) }));
    const h = Math.max(...cells.map(({ c }) => c.h));
    const boxes: Box[] = [];
    cells.forEach(({ k, c }, i) => {
      const x = env.dir === 'rtl' ? width - (i + 1) * cw - i * gap : i * (cw + gap);
      // Boxed cells stretch to the row's height so cards in a row line up.
      const stretched = c.boxes.map((b, bi) => (bi === 0 && b.kind === 'rect' && (k.attrs.fill || k.attrs.border) ? { ...b, h } : b));
      boxes.push(...moveBy(stretched, x, 0));
    });
    rows.push({ h, boxes, before: r === 0 ? num(env, n, 'space-before', 8) : gap, after: num(env, n, 'space-after', 8), keepWithNext: false });
  }
  return rows;
}

function list(n: ElementNode, env: Env, width: number): Fragment[] {
  const ordered = n.name === 'ol';
  const start = Number(n.attrs.start ?? 1);
  if (!Number.isInteger(start)) throw new HandoutError('markup', `start must be a whole number, not "${n.attrs.start}"`, where(n));
  const markerColor = color(n.attrs['marker-color'], env, n, env.input.theme.primary);
  const items = elementChildren(n);
  const out: Fragment[] = [];
  const indent = env.style.size * (ordered ? 1.6 : 1.3);
  const listId = env.structure.node(n, 'L');
  items.forEach((li, i) => {
    if (li.name !== 'li') throw new HandoutError('markup', `<${n.name}> may only contain <li>, not <${li.name}>`, where(li));
    const lenv = styleFor(li, env);
    const itemId = env.structure.node(li, 'LI', listId);
    const labelId = env.structure.node(li, 'Lbl', itemId);
    const bodyId = env.structure.node(li, 'LBody', itemId);
    const lead = (top: number, baseline: number): Box[] => tag(marker(top, baseline), labelId);
    const marker = (_top: number, baseline: number): Box[] => {
      const s = lenv.style.size;
      if (ordered) {
        const label = layoutParagraph([{ text: `${new Intl.NumberFormat(lenv.style.lang).format(start + i)}.`, style: { ...lenv.style, color: markerColor, bold: true } }], { width: indent, align: 'start', dir: lenv.dir }, env.input.fonts);
        const l = label.lines[0]!;
        return l.runs.map((r) => ({ ...r, x: lenv.dir === 'rtl' ? width - indent + r.x : r.x, y: baseline }));
      }
      const d = s * 0.36;
      const cx = lenv.dir === 'rtl' ? width - s * 0.35 - d / 2 : s * 0.35 + d / 2;
      return [{ kind: 'rect', x: cx - d / 2, y: baseline - s * 0.36 - d / 2, w: d, h: d, fill: markerColor, radius: d / 2 }];
    };
    out.push(...paragraph(li, lenv, width, i === 0 ? num(env, n, 'space-before', 2) : 3, i === items.length - 1 ? num(env, n, 'space-after', 6) : 3, false, lead, indent, bodyId));
  });
  return out;
}

function heading(n: ElementNode, env: Env, width: number): Fragment[] {
  const h = HEADINGS[n.name]!;
  const iconSrc = n.attrs.icon;
  if (!iconSrc) return paragraph(n, env, width, num(env, n, 'space-before', h.before), num(env, n, 'space-after', h.after), true);
  const ic = readIcon(env, n, iconSrc);
  const size = env.style.size * 1.55;
  const indent = size + env.style.size * 0.45;
  const iconColor = color(n.attrs['icon-color'], env, n, env.style.color);
  const lead = (_top: number, baseline: number): Box[] => {
    const x = env.dir === 'rtl' ? width - size : 0;
    return [iconBox(ic, x, baseline - env.style.size * 0.36 - size / 2, size, iconColor, false)];
  };
  return paragraph(n, env, width, num(env, n, 'space-before', h.before), num(env, n, 'space-after', h.after), true, lead, indent);
}

function ruledLines(n: ElementNode, env: Env, width: number): Fragment[] {
  const lines = count(n, 'count', 6);
  const gap = num(env, n, 'gap', 24);
  const c = color(n.attrs.color, env, n, { hex: '#b8c4c8' });
  // As a paragraph's lines (a heading above takes at least two with it); keep="true" keeps
  // them all on one page, and the last free to part from what follows.
  const keepAll = flag(n, 'keep') ?? false;
  // fill-page: `count` is the least; the last line repeats down to the foot of its page, so a
  // notes section takes the room a short translation leaves rather than a blank band. What
  // follows goes with it: parted, it was left alone on a page of its own (the class handout's
  // closing line and footer, on A5), the lines having filled the page before.
  const fillPage = flag(n, 'fill-page') ?? false;
  return Array.from({ length: lines }, (_, i) => ({
    h: gap,
    boxes: [{ kind: 'line', x1: 0, y1: gap - 0.5, x2: width, y2: gap - 0.5, color: c, width: 0.6 } as Box],
    before: i === 0 ? num(env, n, 'space-before', 2) : 0,
    after: i === lines - 1 ? num(env, n, 'space-after', 6) : 0,
    keepWithNext: (keepAll && i < lines - 1) || noOrphanOrWidow(i, lines) || (fillPage && i === lines - 1),
    ...(fillPage && i === lines - 1 ? { fillPage: true } : {}),
  }));
}

/** A fill-page fragment as placed: its boxes on the page, and the height of one repeat. */
interface Filler {
  start: number;
  end: number;
  unit: number;
}

/** Repeats a placed fragment below itself as often as `room` allows, moving the page's later boxes down. */
function fillPage(page: LayoutPage, { start, end, unit }: Filler, room: number): void {
  const times = Math.floor((room + 0.01) / unit);
  if (times <= 0) return;
  const copies: Box[] = [];
  for (let k = 1; k <= times; k++) copies.push(...shift(page.boxes.slice(start, end), 0, k * unit));
  const after = page.boxes.splice(end);
  page.boxes.push(...copies, ...shift(after, 0, times * unit));
}

/** Block children → fragments, in flow order. */
function blocks(children: DocNode[], parent: Env, width: number): Fragment[] {
  const out: Fragment[] = [];
  let loose: DocNode[] = [];
  const flushLoose = () => {
    if (loose.some((c) => c.type === 'element' || c.text.trim() !== '')) {
      const el: ElementNode = { type: 'element', name: 'p', attrs: {}, children: loose, pos: loose[0]!.pos };
      out.push(...paragraph(el, parent, width, 0, 6, false));
    }
    loose = [];
  };
  for (const c of children) {
    if (c.type === 'text' || c.name === 'strong' || c.name === 'em' || c.name === 'span' || c.name === 'br') {
      loose.push(c);
      continue;
    }
    flushLoose();
    const env = styleFor(c, parent);
    switch (c.name) {
      case 'h1':
      case 'h2':
      case 'h3':
        out.push(...heading(c, env, width));
        break;
      case 'p':
        out.push(...paragraph(c, env, width, num(env, c, 'space-before', 0), num(env, c, 'space-after', env.style.size * 0.6), flag(c, 'keep') ?? false));
        break;
      case 'ul':
      case 'ol':
        out.push(...list(c, env, width));
        break;
      case 'section':
        if (c.attrs.fill || c.attrs.border || flag(c, 'keep')) out.push(atomic(env, c, boxed(c, env, width, 10), 6, 6));
        else out.push(...blocks(c.children, env, width));
        break;
      case 'box':
        out.push(atomic(env, c, boxed(c, env, width, 10), 6, 8));
        break;
      case 'row':
        out.push(row(c, env, width));
        break;
      case 'columns':
        out.push(...columns(c, env, width));
        break;
      case 'image':
        out.push(image(c, env, width));
        break;
      case 'icon':
        out.push(icon(c, env, width));
        break;
      case 'qr':
        out.push(qr(c, env, width));
        break;
      case 'spacer':
        out.push({ h: num(env, c, 'height', 12), boxes: [], before: 0, after: 0, keepWithNext: false });
        break;
      case 'rule': {
        const t = num(env, c, 'thickness', 0.75);
        out.push({ h: t, boxes: [{ kind: 'rect', x: 0, y: 0, w: width, h: t, fill: color(c.attrs.color, env, c, env.input.theme.accent) }], before: num(env, c, 'space-before', 6), after: num(env, c, 'space-after', 6), keepWithNext: false });
        break;
      }
      case 'lines':
        out.push(...ruledLines(c, env, width));
        break;
      case 'pagebreak':
        out.push({ h: 0, boxes: [], before: 0, after: 0, keepWithNext: false, pageBreak: true });
        break;
      default:
        throw new HandoutError('markup', `<${c.name}> cannot be used here`, where(c));
    }
  }
  flushLoose();
  return out;
}

/**
 * The document: header band on the first page, footer on every page, the body flowed into
 * pages with keep-with-next honoured. More pages than the template allows is an error that
 * says by how much the content is too long.
 */
export function layoutDocument(input: LayoutInput): LayoutDoc {
  const root = input.root;
  const { print } = input;
  const sheetName = print.size ?? root.attrs.size ?? 'A4';
  // 2-up: each page is half the sheet (A5 on A4, half-letter on Letter).
  const sizeName = print.twoUp ? own(HALF_OF, sheetName) : sheetName;
  const size = sizeName ? own(PAGE_SIZES, sizeName) : undefined;
  if (!size || !sizeName) {
    // With 2-up the size is the sheet's: an A5 document is printed 2-up on an A4 sheet.
    if (print.twoUp) throw new HandoutError('usage', `2-up prints two half-size pages on an A4 or Letter sheet, and this document's size is "${sheetName}": give the sheet with --size A4 or --size Letter`, where(root));
    throw new HandoutError('usage', `unknown page size "${sheetName}" (known: ${Object.keys(PAGE_SIZES).join(', ')})`, where(root));
  }
  const landscape = (print.orientation ?? choice(root, 'orientation', ['portrait', 'landscape'], 'portrait')) === 'landscape';
  const [pw, ph] = landscape ? [size[1], size[0]] : size;
  const marginText = print.margin ?? root.attrs.margin;
  // Smaller paper gets a proportionally smaller default margin.
  const margin = marginText ? length(marginText, where(root)) : 40 * Math.sqrt((pw * ph) / (595.28 * 841.89));
  const cw = pw - 2 * margin;
  // A margin that leaves no room (200mm on A4) would otherwise be reported as hundreds of pages.
  const room = Math.min(cw, ph - 2 * margin);
  if (room < MIN_CONTENT) {
    const millimetres = (pt: number) => Math.round(mm(pt));
    const by = print.margin ? 'the --margin or print.margin' : 'the template';
    throw new HandoutError('usage', `a margin of ${millimetres(margin)} mm (${by}) leaves ${Math.max(0, millimetres(room))} mm of the ${millimetres(pw)} × ${millimetres(ph)} mm page for content; at least ${millimetres(MIN_CONTENT)} mm are needed`, print.margin ? {} : where(root));
  }
  const base: Env = {
    structure: new Structure(),
    input,
    dir: input.dir,
    align: 'start',
    style: { families: input.families, bold: false, italic: false, size: 10 * input.scale, lineHeight: input.lineHeight, color: input.theme.text, lang: input.lang },
  };
  // A page limit is set for A4; smaller paper may take proportionally more pages. Letter, 3%
  // smaller, is A4 to a reader and keeps the limit: a 2-page handout had been let run onto a
  // third page holding one sentence, rather than fitted to two.
  const designed = input.maxPages ?? (root.attrs.pages !== undefined ? count(root, 'pages', 1) : undefined);
  const smaller = (595.28 * 841.89) / (pw * ph);
  const maxPages = designed === undefined ? undefined : smaller < 1.1 ? designed : Math.max(designed, Math.ceil(designed * smaller - 0.05));

  const kids = root.children.filter((c): c is ElementNode => c.type === 'element');
  const headerNode = kids.find((k) => k.name === 'header');
  const footerNode = kids.find((k) => k.name === 'footer');
  const body = root.children.filter((c) => c !== headerNode && c !== footerNode);

  // The header band is the brand's: its logo and name keep their size in every language,
  // whatever type scale the body takes to fit its pages.
  const brandEnv: Env = input.brandShrinks ? base : { ...base, input: { ...input, scale: 1 }, style: { ...base.style, size: 10 } };
  const header = headerNode ? boxed(headerNode, styleFor(headerNode, brandEnv), cw, 0) : null;
  const headerPad = headerNode ? num(brandEnv, headerNode, 'padding', 16) : 0;
  const headerBand = header ? header.h + 2 * headerPad : 0;
  // Body before footer: structure nodes are numbered in reading order. The body is the same
  // for every brand of a locale (at a type scale and width): it is laid out once, with
  // placeholder colours, and each document gets a copy in its brand's colours.
  const bodyKey = `${input.scale}|${cw}|${input.lang}|${input.dir}|${input.lineHeight}|${input.families.join(',')}\u0001${contentKey(body)}`;
  const kept = brandFreeBody(input.io, bodyKey, () => {
    const env: Env = { ...base, structure: new Structure(), input: { ...input, theme: PLACEHOLDER_THEME }, style: { ...base.style, color: PLACEHOLDER_THEME.text } };
    return { fragments: blocks(body, env, cw), structure: env.structure.nodes };
  });
  const { fragments: frags, structure: bodyNodes } = instantiate(kept, input.theme, base.structure.nodes.length);
  base.structure.adopt(bodyNodes);
  const footer = footerNode ? stack(blocks(footerNode.children, styleFor(footerNode, base), cw)) : null;
  const footerGap = footer ? 12 : 0;

  const footerOnLast = footerNode ? choice(footerNode, 'pages', ['all', 'last'], 'all') === 'last' : false;
  const top = (i: number) => (i === 0 && header ? headerBand + 16 : margin);
  const withFooter = ph - margin - (footer ? footer.h + footerGap : 0);

  /** Where content ends on page `i`: above the footer on the pages that have it, of `pages` in all. */
  const pageBottom = (i: number, pages: number) => (footer && (!footerOnLast || i === pages - 1) ? withFooter : ph - margin);
  /** Flows the fragments into pages; from page `reserveFrom` on, the footer's room is kept free. */
  // Pagination runs twice only for a last-page footer; otherwise boxes can move in place.
  const place = footerOnLast ? shift : moveBy;
  const paginate = (reserveFrom: number) => {
    const bottomOf = (i: number) => (footer && i >= reserveFrom ? withFooter : ph - margin);
    // A row split at a page break continues as its rest, in place of the whole.
    const flow = [...frags];
    const pages: LayoutPage[] = [];
    const newPage = (): LayoutPage => {
      const page: LayoutPage = { width: pw, height: ph, boxes: [] };
      if (pages.length === 0 && header && headerNode) {
        const fill = headerNode.attrs.fill ? color(headerNode.attrs.fill, base, headerNode, input.theme.primary) : undefined;
        if (fill) page.boxes.push({ kind: 'rect', x: 0, y: 0, w: pw, h: headerBand, fill });
        page.boxes.push(...place(header.boxes.filter((b) => !(b.kind === 'rect' && b.x === 0 && b.y === 0 && b.w === cw && b.h === header.h)), margin, headerPad));
      }
      pages.push(page);
      return page;
    };
    let page = newPage();
    let y = top(0);
    let empty = true;
    let overflow = 0;
    /** Where each page's content ends, and the fill-page fragment placed on it (its first). */
    const ends: number[] = [];
    const fills: (Filler | undefined)[] = [];
    for (let i = 0; i < flow.length; i++) {
      const f = flow[i]!;
      if (f.pageBreak) {
        ends.push(y);
        page = newPage();
        y = top(pages.length - 1);
        empty = true;
        continue;
      }
      const gap = empty ? 0 : Math.max(flow[i - 1]?.after ?? 0, f.before);
      const bottom = bottomOf(pages.length - 1);
      // Keep chains (a heading and its first lines, a paragraph's first two lines) together;
      // a row that may split needs only its columns' first lines below what keeps with it.
      let chain = f.h;
      for (let j = i; flow[j]?.keepWithNext && flow[j + 1] && !flow[j + 1]!.pageBreak; j++) {
        chain += Math.max(flow[j]!.after, flow[j + 1]!.before) + leastHead(flow[j + 1]!);
        if (flow[j + 1]!.columns) break;
      }
      const fitsHere = y + gap + f.h <= bottom + 0.01 && (y + gap + chain <= bottom + 0.01 || chain > bottomOf(pages.length) - top(1));
      const split = fitsHere ? null : splitRow(f, bottom - y - gap);
      if (split) {
        page.boxes.push(...place(split.head.boxes, margin, y + gap));
        y += gap + split.head.h;
        flow[i] = split.tail;
      }
      if (!fitsHere && (!empty || split)) {
        ends.push(y);
        page = newPage();
        y = top(pages.length - 1);
        empty = true;
        i--;
        continue;
      }
      if (y + f.h > bottom + 0.01) overflow = Math.max(overflow, y + f.h - bottom);
      const start = page.boxes.length;
      page.boxes.push(...place(f.boxes, margin, y + gap));
      if (f.fillPage && !fills[pages.length - 1]) fills[pages.length - 1] = { start, end: page.boxes.length, unit: f.h };
      y += gap + f.h;
      empty = false;
    }
    ends.push(y);
    return { pages, y, overflow, ends, fills };
  };

  // A footer on the last page only takes its room there alone: when the last page's content
  // reaches into it, that page breaks above it and the rest makes a new last page.
  let flow = paginate(footerOnLast ? Infinity : 0);
  if (footerOnLast && flow.y > withFooter + 0.01) flow = paginate(flow.pages.length - 1);
  const { pages, overflow } = flow;
  const bottom = pageBottom(pages.length - 1, pages.length);
  // Filled after the fit is judged: the room it reports is the room before filling.
  flow.fills.forEach((filler, i) => {
    if (filler) fillPage(pages[i]!, filler, pageBottom(i, pages.length) - flow.ends[i]!);
  });
  if (footer) {
    // The same footer boxes on every page: painting only reads them.
    const placed = moveBy(footer.boxes, margin, ph - margin - footer.h);
    for (const page of footerOnLast ? pages.slice(-1) : pages) page.boxes.push(...placed);
  }

  // The content room of n pages (the first one's top is below the header band).
  const contentArea = (n: number) => Array.from({ length: n }, (_, i) => pageBottom(i, n) - top(i)).reduce((a, b) => a + b, 0);
  if (maxPages !== undefined && pages.length > maxPages) {
    // How much taller than the allowed pages the content is: everything on the extra pages.
    const available = contentArea(maxPages);
    const extra = stacking(frags).h - available;
    throw new OverflowError(
      // All of it would fit but for the page breaks: a length would be negative ("about -241 mm too long").
      `${input.label}: content needs ${pages.length} pages but the template allows ${maxPages}; ${extra > 0 ? `about ${Math.ceil(mm(extra))} mm too long` : 'its <pagebreak/>s start more pages than that'}`,
      where(root),
      extra,
      available,
    );
  }
  if (overflow > 0) {
    throw new OverflowError(`${input.label}: a block is ${Math.ceil(mm(overflow))} mm taller than the page`, where(root), overflow, bottom - top(1));
  }
  return { meta: { ...input.meta, lang: input.lang, dir: input.dir }, pages, structure: base.structure.nodes, fit: { scale: input.scale, area: maxPages === undefined ? 0 : contentArea(pages.length), room: maxPages === undefined ? 0 : Math.max(0, bottom - flow.y) } };
}

