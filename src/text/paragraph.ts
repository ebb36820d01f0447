import type { FontFace } from '../fonts/face.js';
import type { ChainEntry, FontRegistry } from '../fonts/registry.js';
import { HandoutError, type SourceRef } from '../model/diagnostic.js';
import type { GlyphRunBox, PlacedGlyph } from '../model/layout.js';
import type { Align, Color, Direction, TextStyle } from '../model/style.js';
import { analyseText, type Cluster, graphemeBounds, type TextAnalysis } from './analysis.js';
import { type Isolate, mirrored, visualOrder } from './bidi.js';
import type { BreakOpportunity } from './breaks.js';
import { codePointLabel, fontAdvice, isDefaultIgnorable, isEuropeanDigit, isNeutralScript, scriptOf } from './script.js';
import { shape } from './shape.js';

/** A piece of text in one style, as the markup gives it (logical order). */
export interface InlineSpan {
  text: string;
  style: TextStyle;
  /** Spans sharing an isolate object form one bidi isolate (markup `<span dir="…">`). */
  isolate?: { dir: Direction | 'auto' };
}

export interface ParagraphOptions {
  width: number;
  align: Align;
  dir: Direction;
  /** Where the text came from, for coverage errors. */
  where?: SourceRef;
  /** Break long words at hyphenation points where the language has patterns. */
  hyphenate?: boolean;
}

export interface LineLayout {
  /** Distance from the line's top to its baseline. */
  baseline: number;
  height: number;
  /** Width of the ink-carrying content (without trailing spaces). */
  width: number;
  /** Glyph runs in display order; x relative to the paragraph's left edge, y = 0 at the baseline. */
  runs: GlyphRunBox[];
}

export interface ParagraphLayout {
  lines: LineLayout[];
  height: number;
  /**
   * The widest stretch no line may break (a long word between its hyphenation points, an
   * e-mail address): narrower, and the line cuts it where a URL is cut in print.
   */
  widest: number;
}

/** A stretch of text that shares font, style and bidi level: the unit that is shaped. */
interface Item {
  start: number;
  end: number;
  face: FontFace;
  fakeBold: boolean;
  style: TextStyle;
  level: number;
  /** The script of its first cluster (a space or dash takes the script around it). */
  script: string;
  /** The size its glyphs are drawn at: the style's, times the face's size adjustment where that applies. */
  size: number;
}

/** A shaped slice of one item between two break opportunities. */
interface Piece {
  start: number;
  end: number;
  item: Item;
  glyphs: PlacedGlyph[];
  width: number;
  reordered: boolean;
  /** Only spaces: hangs at a line's end. */
  space: boolean;
}

interface Segment {
  pieces: Piece[];
  /** Width without trailing spaces. */
  content: number;
  /** Width of trailing spaces. */
  trailing: number;
  required: boolean;
  /** Ends inside a word at a hyphenation point: its pieces and width if the line ends here, hyphen included. */
  broken?: { pieces: Piece[]; content: number };
}

const SPACE = /^[ \t\u3000]+$/u;

/**
 * The inline pipeline: bidi levels → items (font, style, level) → break opportunities →
 * shaped pieces → greedy line filling → display order per line. Layout of blocks asks this
 * for lines and never sees a glyph decision.
 */
export function layoutParagraph(spans: InlineSpan[], opts: ParagraphOptions, fonts: FontRegistry): ParagraphLayout {
  // The same paragraph at the same width recurs across brands and documents of a batch, often
  // in another brand colour: colour takes no part in layout, so the key has only which spans
  // share a colour, and a hit is recoloured.
  const colors = colorClasses(spans);
  const key = paragraphKey(spans, opts, colors);
  let perRegistry = paragraphs.get(fonts);
  const cached = perRegistry?.get(key);
  if (cached) return recolor(cached, colors);
  const entry = { layout: layoutUncached(spans, opts, fonts), palette: colors.palette };
  if (!perRegistry) paragraphs.set(fonts, (perRegistry = new Map()));
  if (perRegistry.size > 20_000) perRegistry.clear();
  perRegistry.set(key, entry);
  return entry.layout;
}

interface CachedParagraph {
  layout: ParagraphLayout;
  /** The colour of each colour class, as the layout's runs carry it. */
  palette: Color[];
}

/** Results are shared: callers copy runs before placing them and never change these. */
const paragraphs = new WeakMap<FontRegistry, Map<string, CachedParagraph>>();

const colorKey = (c: Color): string => (c.cmyk ? `${c.hex}|${c.cmyk.join(',')}` : c.hex);

/** Spans numbered by colour (equal colours, equal number) and the colour of each number. */
function colorClasses(spans: InlineSpan[]): { ofSpan: number[]; palette: Color[] } {
  const index = new Map<string, number>();
  const palette: Color[] = [];
  const ofSpan = spans.map((s) => {
    const k = colorKey(s.style.color);
    let i = index.get(k);
    if (i === undefined) {
      index.set(k, (i = palette.length));
      palette.push(s.style.color);
    }
    return i;
  });
  return { ofSpan, palette };
}

function recolor(cached: CachedParagraph, colors: { palette: Color[] }): ParagraphLayout {
  const { layout, palette } = cached;
  if (palette.every((c, i) => colorKey(c) === colorKey(colors.palette[i]!))) return layout;
  const to = new Map(palette.map((c, i) => [colorKey(c), colors.palette[i]!]));
  return {
    height: layout.height,
    widest: layout.widest,
    lines: layout.lines.map((l) => ({ ...l, runs: l.runs.map((r) => ({ ...r, color: to.get(colorKey(r.color)) ?? r.color })) })),
  };
}

function paragraphKey(spans: InlineSpan[], opts: ParagraphOptions, colors: { ofSpan: number[] }): string {
  const parts = [`${opts.width}|${opts.align}|${opts.dir}|${opts.hyphenate ? 'h' : ''}`];
  const groups: object[] = [];
  spans.forEach((s, i) => {
    if (s.isolate && !groups.includes(s.isolate)) groups.push(s.isolate);
    const st = s.style;
    // Spans sharing a style object are shaped as one item: that sharing is part of the key.
    const shared = spans.findIndex((o) => o.style === st);
    parts.push(`${shared}|${st.families.join(',')}|${st.bold ? 1 : 0}${st.italic ? 1 : 0}|${st.size}|${st.lineHeight}|${colors.ofSpan[i]}|${st.lang}|${s.isolate ? `${groups.indexOf(s.isolate)}${s.isolate.dir}` : ''}|${s.text}`);
  });
  return parts.join('\u0001');
}

function layoutUncached(spans: InlineSpan[], opts: ParagraphOptions, fonts: FontRegistry): ParagraphLayout {
  const text = spans.map((s) => s.text).join('');
  if (text.length === 0) return { lines: [], height: 0, widest: 0 };
  const styleAt = spanIndex(spans);
  const analysis = analyseText(text, opts.dir, spanIsolates(spans), spans[0]!.style.lang, opts.hyphenate ?? false);
  const items = itemize(text, spans, styleAt, analysis, opts, fonts);
  const segments = segment(text, items, analysis.breaks);
  const lineSegs = fill(segments, opts.width, text);
  avoidRuntLastLine(lineSegs, opts.width, text);
  const lines = lineSegs.map((segs) => buildLine(segs, text, opts, spans[0]!.style));
  return { lines, height: lines.reduce((h, l) => h + l.height, 0), widest: segments.reduce((w, seg) => Math.max(w, seg.broken?.content ?? seg.content), 0) };
}

function spanIsolates(spans: InlineSpan[]): Isolate[] {
  const out: Isolate[] = [];
  let pos = 0;
  let current = null as { tag: object; range: Isolate } | null;
  for (const s of spans) {
    if (s.isolate && current?.tag === s.isolate) current.range.end = pos + s.text.length;
    else if (s.isolate) {
      current = { tag: s.isolate, range: { start: pos, end: pos + s.text.length, dir: s.isolate.dir } };
      out.push(current.range);
    } else current = null;
    pos += s.text.length;
  }
  return out;
}

function spanIndex(spans: InlineSpan[]): Uint16Array {
  const total = spans.reduce((n, s) => n + s.text.length, 0);
  const at = new Uint16Array(total);
  let pos = 0;
  spans.forEach((s, i) => {
    at.fill(i, pos, pos + s.text.length);
    pos += s.text.length;
  });
  return at;
}

function itemize(text: string, spans: InlineSpan[], styleAt: Uint16Array, a: TextAnalysis, opts: ParagraphOptions, fonts: FontRegistry): Item[] {
  const { clusters, levels } = a;
  const items: Item[] = [];
  let prevFace: FontFace | null = null;
  // The registry's chain lookup builds a string key; a paragraph asks about a handful of
  // style and script pairs, once per cluster.
  const chains = new Map<TextStyle, Map<string, ChainEntry[]>>();
  const chainFor = (style: TextStyle, script: string): ChainEntry[] => {
    let byScript = chains.get(style);
    if (!byScript) chains.set(style, (byScript = new Map()));
    let chain = byScript.get(script);
    if (!chain) byScript.set(script, (chain = fonts.chain({ families: style.families, bold: style.bold, italic: style.italic, lang: style.lang }, script)));
    return chain;
  };
  for (const c of clusters) {
    const si = styleAt[c.start]!;
    const style = spans[si]!.style;
    const level = levels[c.start]!;
    const needed: number[] = [];
    for (let i = c.start; i < c.end; ) {
      const cp = text.codePointAt(i)!;
      if (!isDefaultIgnorable(cp) && cp !== 0x0a) needed.push(cp);
      i += cp > 0xffff ? 2 : 1;
    }
    const chain = chainFor(style, c.script);
    const covers = (f: FontFace) => needed.every((cp) => f.covers(cp));
    let entry: ChainEntry | undefined = !c.own && prevFace ? chain.find((e) => e.face === prevFace && covers(e.face)) : undefined;
    entry ??= chain.find((e) => covers(e.face));
    if (!entry) {
      const missing = needed.find((cp) => !chain.some((e) => e.face.covers(cp))) ?? needed[0]!;
      throw new HandoutError(
        'coverage',
        `no font covers "${String.fromCodePoint(missing)}" (${codePointLabel(missing)}, script ${scriptOf(missing)}) — ${fontAdvice(missing)}`,
        opts.where ?? {},
      );
    }
    prevFace = entry.face;
    const size = style.size * (inLatinNumber(text, c) ? 1 : entry.face.sizeAdjust);
    const last = items[items.length - 1];
    if (last && last.end === c.start && last.face === entry.face && last.fakeBold === entry.fakeBold && last.style === style && last.level === level && last.size === size) {
      last.end = c.end;
    } else {
      items.push({ start: c.start, end: c.end, face: entry.face, fakeBold: entry.fakeBold, style, level, script: c.script, size });
    }
  }
  return items;
}

/**
 * A European digit, or the stop, comma, colon, slash, hyphen or space between two ("10:00",
 * "555 0100").
 * These are drawn at the type size itself, even in a face whose size adjustment enlarges its
 * own letters: the Arabic face carries the same digits as the Latin one, and 1.2 times larger
 * they stood out beside a Latin "AM", "+" or e-mail address on the same line.
 */
function inLatinNumber(text: string, c: Cluster): boolean {
  if (isEuropeanDigit(text.charCodeAt(c.start))) return true;
  return c.end === c.start + 1 && '.,:/- \u00a0'.includes(text[c.start]!) && isEuropeanDigit(text.charCodeAt(c.start - 1)) && isEuropeanDigit(text.charCodeAt(c.end));
}

/** Text of a piece as it is shaped: line feeds dropped, brackets mirrored in right-to-left runs. */
function shapingText(text: string, rtl: boolean): string {
  const t = text.replace(/\n/g, '');
  if (!rtl) return t;
  let out = '';
  for (const ch of t) out += mirrored(ch) ?? ch;
  return out;
}

function makePiece(text: string, start: number, end: number, item: Item): Piece {
  const rtl = item.level % 2 === 1;
  const raw = text.slice(start, end);
  // A piece of spaces or punctuation alone is shaped in the script of its run, as HarfBuzz
  // shapes it inside the run: the font's forms for that script and language apply (the
  // proportional space of Korean, the Chinese double dash).
  const shaped = shape(item.face, shapingText(raw, rtl), rtl, item.style.lang, neutralOnly(raw) ? item.script : undefined);
  const scale = item.size / item.face.unitsPerEm;
  return {
    start,
    end,
    item,
    glyphs: shaped.glyphs,
    width: shaped.advance * scale,
    reordered: shaped.reordered,
    space: SPACE.test(raw),
  };
}

function neutralOnly(text: string): boolean {
  for (const ch of text) if (!isNeutralScript(scriptOf(ch.codePointAt(0)!))) return false;
  return true;
}

/**
 * The end of a line broken inside a word: the part before the break shaped on its own, with the
 * hyphen after it (in the word's font, kerned to the letter before). The hyphen stands for no
 * character: the text copies out as the whole word.
 */
function brokenAt(pieces: Piece[], text: string): { pieces: Piece[]; content: number } {
  const last = pieces[pieces.length - 1]!;
  const { item } = last;
  const rtl = item.level % 2 === 1;
  const mark = item.face.covers(0x2010) ? '\u2010' : '-';
  const scale = item.size / item.face.unitsPerEm;
  const raw = text.slice(last.start, last.end);
  const shaped = shape(item.face, shapingText(raw, rtl) + mark, rtl, item.style.lang, neutralOnly(raw) ? item.script : undefined);
  const hy = shaped.glyphs[shaped.glyphs.length - 1];
  let alone: Piece;
  let hyphen: Piece;
  if (!rtl && hy && hy.codePoints.length === 1 && hy.codePoints[0] === mark.codePointAt(0)) {
    alone = { ...last, glyphs: shaped.glyphs.slice(0, -1), width: (shaped.advance - hy.advance) * scale };
    hyphen = { start: last.end, end: last.end, item, glyphs: [hy], width: hy.advance * scale, reordered: false, space: false };
  } else {
    // The hyphen took part in a substitution, or the text runs right to left: each on its own.
    const own = shape(item.face, mark, rtl, item.style.lang);
    alone = last;
    hyphen = { start: last.end, end: last.end, item, glyphs: own.glyphs, width: own.advance * scale, reordered: false, space: false };
  }
  const out = [...pieces.slice(0, -1), alone, hyphen];
  return { pieces: out, content: out.reduce((w, p) => w + p.width, 0) };
}

/** Where a segment ends, and where its trailing spaces start. */
interface Cut {
  start: number;
  contentEnd: number;
  end: number;
  required: boolean;
  hyphen: boolean;
}

/**
 * Cuts the text at break opportunities, and each cut at item boundaries and before its trailing
 * spaces. A word that hyphenation points cut into parts, where the font kerns or joins its
 * letters at a point, is shaped whole and its glyphs shared out among the parts: kerning across
 * a point where the line does not break stays as in the word (shaped part by part, "par|ents"
 * lost its pair). See wordPieces.
 */
function segment(text: string, items: Item[], breaks: BreakOpportunity[]): Segment[] {
  const cuts: Cut[] = [];
  let start = 0;
  for (const bk of breaks) {
    if (bk.pos <= start) continue;
    const end = bk.pos;
    // Trailing spaces (and a forced line feed) hang past the line's end.
    let contentEnd = end;
    while (contentEnd > start && /[ \t\u3000\n]/.test(text[contentEnd - 1]!)) contentEnd--;
    cuts.push({ start, contentEnd, end, required: bk.required, hyphen: bk.hyphen === true });
    start = end;
  }
  const segments: Segment[] = [];
  for (let i = 0; i < cuts.length; ) {
    // A word: cuts at hyphenation points, and the one that ends it.
    let j = i;
    while (j < cuts.length - 1 && cuts[j]!.hyphen && cuts[j]!.contentEnd === cuts[j]!.end) j++;
    const word = cuts.slice(i, j + 1);
    const parts = wordPieces(text, items, word);
    word.forEach((cut, k) => {
      const pieces = [...parts[k]!, ...piecesOf(text, items, cut.contentEnd, cut.end)];
      const content = parts[k]!.reduce((w, p) => w + p.width, 0);
      const trailing = pieces.reduce((w, p) => w + p.width, 0) - content;
      const broken = cut.hyphen && parts[k]!.length > 0 ? brokenAt(parts[k]!, text) : undefined;
      segments.push({ pieces, content, trailing, required: cut.required, broken });
    });
    i = j + 1;
  }
  return segments;
}

/** Pieces of text[from, to), one per item it overlaps, each shaped on its own. */
function piecesOf(text: string, items: Item[], from: number, to: number): Piece[] {
  const pieces: Piece[] = [];
  for (let pos = from; pos < to; ) {
    const item = itemAt(items, pos);
    const stop = Math.min(to, item.end);
    pieces.push(makePiece(text, pos, stop, item));
    pos = stop;
  }
  return pieces;
}

function itemAt(items: Item[], pos: number): Item {
  let lo = 0;
  let hi = items.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.end <= pos) lo = mid + 1;
    else hi = mid;
  }
  return items[lo]!;
}

/**
 * The content pieces of each cut of one word: per item, its stretch of the word shaped whole
 * and its glyphs cut at the hyphenation points where the font joins letters at one of them
 * (see joinedAt), else shaped part by part.
 */
function wordPieces(text: string, items: Item[], word: Cut[]): Piece[][] {
  if (word.length === 1) return [piecesOf(text, items, word[0]!.start, word[0]!.contentEnd)];
  const bounds = word.slice(0, -1).map((c) => c.end);
  const out: Piece[][] = word.map(() => []);
  const from = word[0]!.start;
  const to = word[word.length - 1]!.contentEnd;
  for (let pos = from; pos < to; ) {
    const item = itemAt(items, pos);
    const end = Math.min(to, item.end);
    const at = bounds.filter((b) => b > pos && b < end);
    const edges = [pos, ...at, end];
    const apart = () => at.concat(end).map((stop, n) => makePiece(text, edges[n]!, stop, item));
    // Shaped whole only where the font joins the letters at a point (a kerning pair, a
    // ligature): elsewhere the parts, shaped apart, are the same glyphs, and parts recur
    // across words where whole words do not.
    const whole = at.some((b) => joinedAt(text, b, item)) ? makePiece(text, pos, end, item) : null;
    const parts = (whole && splitShaped(whole, at)) ?? apart();
    for (const part of parts) out[bounds.filter((b) => b <= part.start).length]!.push(part);
    pos = end;
  }
  return out;
}

/** Whether the font kerns or joins the letters on either side of a point (each with its marks). */
function joinedAt(text: string, at: number, item: Item): boolean {
  let a = at - 1;
  while (a > item.start && /\p{M}/u.test(text[a]!)) a--;
  if (a > 0 && /[\uDC00-\uDFFF]/.test(text[a]!)) a--;
  let b = at + (text.codePointAt(at)! > 0xffff ? 2 : 1);
  while (b < item.end && /\p{M}/u.test(text[b]!)) b++;
  const rtl = item.level % 2 === 1;
  const lang = item.style.lang;
  const before = shape(item.face, text.slice(a, at), rtl, lang);
  const after = shape(item.face, text.slice(at, b), rtl, lang);
  const both = shape(item.face, text.slice(a, b), rtl, lang);
  return both.glyphs.length !== before.glyphs.length + after.glyphs.length || both.advance !== before.advance + after.advance;
}

/**
 * A piece's glyphs cut at positions inside it, each part's width its glyphs' advances (a kerning
 * pair's adjustment stays with the part before). Null where a glyph spans a cut (a ligature) or
 * the glyphs do not spell the text in order.
 */
function splitShaped(whole: Piece, at: number[]): Piece[] | null {
  if (at.length === 0) return [whole];
  if (whole.reordered || whole.item.level % 2 === 1) return null;
  const scale = whole.item.size / whole.item.face.unitsPerEm;
  const parts: Piece[] = [];
  let pos = whole.start;
  let from = whole.start;
  let first = 0;
  let advance = 0;
  const cutAt = [...at, whole.end];
  for (let g = 0; g < whole.glyphs.length; g++) {
    const glyph = whole.glyphs[g]!;
    for (const cp of glyph.codePoints) pos += cp > 0xffff ? 2 : 1;
    advance += glyph.advance;
    const next = cutAt[parts.length]!;
    if (pos > next) return null;
    if (pos === next && (parts.length < at.length || g === whole.glyphs.length - 1)) {
      parts.push({ ...whole, start: from, end: pos, glyphs: whole.glyphs.slice(first, g + 1), width: advance * scale });
      from = pos;
      first = g + 1;
      advance = 0;
    }
  }
  return parts.length === cutAt.length && pos === whole.end ? parts : null;
}

/** Width of segments set side by side, their spaces included. */
function widthOf(segs: Segment[]): number {
  return segs.reduce((w, seg) => w + seg.content + seg.trailing, 0);
}

/**
 * Lines in a row that may end in a hyphen. A third one makes a ladder down the right edge
 * ("hormon-" / "vesti-" / "lan-" in a narrow box), which style guides and typesetters'
 * defaults limit to two.
 */
const HYPHENS_IN_A_ROW = 2;

/** The share of a line a word may leave empty when it goes to the next line to avoid a hyphen. */
const HYPHEN_GAP_SHARE = 0.2;

/**
 * Greedy filling: as many segments per line as fit; a segment wider than the line is cut
 * between graphemes. A line that would end inside a word ends before it instead, where the
 * line has other words and stays 80% full: after HYPHENS_IN_A_ROW hyphenated lines, and where
 * the rest of the paragraph (or of the text before a forced break) then fits on one last
 * line, as a hyphen there only splits a word to no purpose ("κά-" / "νετε μασάζ.").
 */
function fill(segments: Segment[], width: number, text: string): Segment[][] {
  const lines: Segment[][] = [];
  let cur: Segment[] = [];
  let used = 0;
  let hyphenated = 0;
  const EPS = 0.01;
  // Width from each segment to the end of its paragraph (a forced break ends one too).
  const rest = new Float64Array(segments.length + 1);
  for (let i = segments.length - 1; i >= 0; i--) rest[i] = segments[i]!.content + segments[i]!.trailing + (segments[i]!.required ? 0 : rest[i + 1]!);
  const push = () => {
    lines.push(cur);
    hyphenated = cur[cur.length - 1]?.broken ? hyphenated + 1 : 0;
    cur = [];
    used = 0;
  };
  const wrap = (next: number) => {
    let k = cur.length - 1;
    if (!cur[k]!.broken) return push();
    // Back to the start of the word, whose parts go on to the next line together.
    while (k > 0 && cur[k - 1]!.broken) k--;
    const word = cur.slice(k);
    const wordWidth = widthOf(word);
    const lastLine = wordWidth + rest[next]! <= width + EPS;
    // A line cut short by more than this reads as a hole in the column: the hyphen is the lesser evil.
    const short = used - wordWidth < width * (1 - HYPHEN_GAP_SHARE);
    if (k === 0 || short || (hyphenated < HYPHENS_IN_A_ROW && !lastLine)) return push();
    cur.splice(k);
    push();
    cur = word;
    used = wordWidth;
  };
  for (const [i, seg] of segments.entries()) {
    // A word part that may end the line needs room for its hyphen too.
    const needs = seg.broken?.content ?? seg.content;
    while (cur.length > 0 && used + needs > width + EPS) wrap(i);
    if (cur.length === 0 && seg.content > width + EPS) {
      for (const part of splitWide(seg, text, width + EPS)) {
        if (cur.length > 0 && used + part.content > width + EPS) push();
        cur.push(part);
        used += part.content + part.trailing;
      }
    } else {
      cur.push(seg);
      used += seg.content + seg.trailing;
    }
    if (seg.required) push();
  }
  if (cur.length > 0) push();
  return lines;
}

/**
 * A paragraph's last line that is a runt reads as a stray: one Chinese or Japanese character and
 * its stop ("应。", which clreq and jlreq both avoid), a short word ("li.", "है।"), the tail of
 * a word hyphenated at the line before ("hiperac-" / "tivos."), or one short word alone in less
 * than a third of the column ("soft.", "respè."). The line before gives it its last word (or
 * character), whole, which always leaves a legal break between them and never a new hyphen; it
 * keeps at least two segments. Lines ending at a forced break end a paragraph too.
 */
function avoidRuntLastLine(lines: Segment[][], width: number, text: string): void {
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const prev = lines[i - 1]!;
    const endsParagraph = i === lines.length - 1 || line[line.length - 1]!.required;
    if (!endsParagraph || prev[prev.length - 1]!.required) continue;
    const letters = letterCount(line, text);
    const wordTail = prev[prev.length - 1]!.broken !== undefined && line.slice(0, -1).every((seg) => seg.broken);
    const ideographic = IDEOGRAPHIC.test(text.slice(line[0]!.pieces[0]!.start, line[line.length - 1]!.pieces.at(-1)!.end));
    const alone = text.slice(line[0]!.pieces[0]!.start, line[0]!.pieces.at(-1)!.end).trim();
    const lone = line.length === 1 && !/\s/.test(alone) && letters <= LONE_WORD_LETTERS && line[0]!.content < width * LONE_WORD_SHARE;
    if (!wordTail && !lone && letters > (ideographic ? 1 : 3)) continue;
    // The line before's last word: back over the pieces a hyphenation point joins.
    let k = prev.length - 1;
    while (k > 0 && prev[k - 1]!.broken) k--;
    if (k < 2) continue;
    const moved = prev.slice(k);
    const widthAfter = widthOf([...moved, ...line]);
    if (widthAfter > width + 0.01) continue;
    // A longer word alone is taken in only where the line before stays three quarters full.
    if (lone && !wordTail && letters > (ideographic ? 1 : 3) && widthOf(prev.slice(0, k)) < width * 0.75) continue;
    prev.splice(k);
    line.unshift(...moved);
  }
}

const IDEOGRAPHIC = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u;

/**
 * A last line of one short word narrower than this share of the column reads as a stray
 * ("soft." under a full line); a long word ("potrzebami.") or a time range stands on its own.
 */
const LONE_WORD_SHARE = 1 / 3;
const LONE_WORD_LETTERS = 7;

/** Letters and digits in segments (punctuation and spaces do not count). */
function letterCount(segs: Segment[], text: string): number {
  let n = 0;
  for (const seg of segs) for (const p of seg.pieces) for (const ch of text.slice(p.start, p.end)) if (/[\p{L}\p{N}]/u.test(ch)) n++;
  return n;
}

/**
 * Emergency break for a word longer than the line (a long URL or e-mail address in a narrow
 * column): where a URL is broken in print (before a dot, hyphen, @ or single slash, after //),
 * and between graphemes only inside a part still longer than the line. No hyphen is shown.
 */
function splitWide(seg: Segment, text: string, width: number): Segment[] {
  const parts: Segment[] = [];
  const add = (piece: Piece) => parts.push({ pieces: [piece], content: piece.width, trailing: 0, required: false });
  for (const p of seg.pieces) {
    if (p.space) {
      const last = parts[parts.length - 1];
      if (last) {
        last.pieces.push(p);
        last.trailing += p.width;
      }
      continue;
    }
    let from = p.start;
    for (const to of [...urlBreaks(text, p.start, p.end), p.end]) {
      const part = makePiece(text, from, to, p.item);
      if (part.width <= width) add(part);
      else for (const [a, b] of graphemeBounds(text.slice(from, to))) add(makePiece(text, from + a, from + b, p.item));
      from = to;
    }
  }
  return parts;
}

/** Where a URL or address may be broken, after Chicago's rules: before . , - _ ~ ? # % @ & = or a single /, after //. */
function urlBreaks(text: string, start: number, end: number): number[] {
  const at: number[] = [];
  for (let i = start + 1; i < end; i++) {
    const c = text[i]!;
    const afterDoubleSlash = text[i - 1] === '/' && text[i - 2] === '/' && i - 2 >= start;
    const beforeMark = '.,-_~?#%@&='.includes(c) || (c === '/' && text[i - 1] !== '/' && text[i + 1] !== '/');
    if (afterDoubleSlash || beforeMark) at.push(i);
  }
  return at;
}

function buildLine(segs: Segment[], text: string, opts: ParagraphOptions, baseStyle: TextStyle): LineLayout {
  const lastSeg = segs[segs.length - 1];
  const pieces = lastSeg?.broken ? [...segs.slice(0, -1).flatMap((s) => s.pieces), ...lastSeg.broken.pieces] : segs.flatMap((s) => s.pieces);
  // Spaces at the line's end hang outside it: not measured, not aligned, and invisible, but
  // kept so that copied text and screen readers do not run the last and next words together.
  // A forced break (a line feed) carries no space.
  const hanging = new Set<Piece>();
  for (let k = pieces.length - 1; k >= 0 && pieces[k]!.space; k--) hanging.add(pieces[k]!);
  const order = visualOrder(pieces.map((p) => (hanging.has(p) ? (opts.dir === 'rtl' ? 1 : 0) : p.item.level)));
  const visual = order.map((i) => pieces[i]!);

  let above = 0;
  let below = 0;
  const metricsOf = (style: TextStyle, face: FontFace, size: number) => {
    const a = (face.ascent / face.unitsPerEm) * size;
    const d = (-face.descent / face.unitsPerEm) * size;
    const half = (style.lineHeight * size - (a + d)) / 2;
    above = Math.max(above, a + half);
    below = Math.max(below, d + half);
  };
  if (visual.length === 0) {
    above = baseStyle.size * baseStyle.lineHeight * 0.8;
    below = baseStyle.size * baseStyle.lineHeight * 0.2;
  }
  for (const p of visual) if (!hanging.has(p)) metricsOf(p.item.style, p.item.face, p.item.size);

  const runs: GlyphRunBox[] = [];
  const logicalStart = new Map<GlyphRunBox, number>();
  let x = 0;
  for (const p of visual) {
    const rtl = p.item.level % 2 === 1;
    const last = runs[runs.length - 1];
    const sameRun =
      last && last.face === p.item.face && last.size === p.item.size && colorKey(last.color) === colorKey(p.item.style.color) &&
      last.rtl === rtl && !!last.fakeBold === p.item.fakeBold;
    const raw = text.slice(p.start, p.end).replace(/\n/g, '');
    if (sameRun) {
      last.glyphs.push(...p.glyphs);
      last.width += p.width;
      // Logical text: right-to-left pieces are drawn in reverse order of reading.
      last.text = rtl ? raw + last.text : last.text + raw;
      last.reordered = last.reordered || p.reordered;
      logicalStart.set(last, Math.min(logicalStart.get(last)!, p.start));
    } else {
      runs.push({
        kind: 'glyphs',
        x,
        y: 0,
        face: p.item.face,
        size: p.item.size,
        color: p.item.style.color,
        glyphs: [...p.glyphs],
        text: raw,
        rtl,
        width: p.width,
        lang: p.item.style.lang,
        fakeBold: p.item.fakeBold || undefined,
        reordered: p.reordered || undefined,
      });
      logicalStart.set(runs[runs.length - 1]!, p.start);
    }
    x += p.width;
  }
  // Runs go out in reading order: extractors that read the content stream (pdf.js) then
  // recover mixed-direction lines correctly; where a run is drawn stays its visual x.
  runs.sort((a, b) => (logicalStart.get(a) ?? 0) - (logicalStart.get(b) ?? 0));
  // Hanging spaces drawn before the content (right-to-left lines) move outside the line.
  let lead = 0;
  for (const p of visual) {
    if (!hanging.has(p)) break;
    lead += p.width;
  }
  const hangWidth = [...hanging].reduce((w, p) => w + p.width, 0);
  const width = x - hangWidth;
  if (lead) for (const r of runs) r.x -= lead;
  const start = opts.dir === 'rtl' ? 'right' : 'left';
  const side = opts.align === 'center' ? 'center' : opts.align === 'start' ? start : start === 'left' ? 'right' : 'left';
  const shift = side === 'left' ? 0 : side === 'right' ? opts.width - width : (opts.width - width) / 2;
  if (shift !== 0) for (const r of runs) r.x += shift;
  return { baseline: above, height: above + below, width, runs };
}
