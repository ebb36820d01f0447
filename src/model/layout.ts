import type { Color } from './style.js';
import type { FontFace } from '../fonts/face.js';

/**
 * The layout result: pages of absolutely positioned boxes, in points, origin at the top-left
 * of the page. The painter only walks this; it never decides a position.
 */
export interface LayoutDoc {
  meta: DocMeta;
  pages: LayoutPage[];
  /** The logical structure (for tagged PDF), parents before children, in reading order. */
  structure: StructNode[];
  /**
   * The type scale the content was laid out at; with a page limit, the content area of the
   * pages it took and the room left below the content on the last one (points; both 0 without
   * a limit): what growing to fill the page can use.
   */
  fit: { scale: number; area: number; room: number };
}

export interface DocMeta {
  title: string;
  author: string;
  subject: string;
  keywords: string[];
  lang: string;
  dir: 'ltr' | 'rtl';
}

export interface LayoutPage {
  width: number;
  height: number;
  boxes: Box[];
}

export type Box = RectBox | LineBox | PathBox | ImageBox | SvgBox | GlyphRunBox;

/** A node of the document's logical structure: what a screen reader walks. */
export interface StructNode {
  id: number;
  role: 'H1' | 'H2' | 'H3' | 'P' | 'L' | 'LI' | 'Lbl' | 'LBody' | 'Figure';
  parent: number | null;
  /** Text alternative of a figure. */
  alt?: string;
}

/** Shared by every box. */
interface BoxBase {
  /** The structure node this box belongs to; none means decoration (an artifact). */
  tag?: number;
  /** A repeated copy (the second copy of a 2-up sheet): painted, but not read out again. */
  repeat?: boolean;
}

export interface RectBox extends BoxBase {
  kind: 'rect';
  x: number;
  y: number;
  w: number;
  h: number;
  fill?: Color;
  stroke?: Color;
  lineWidth?: number;
  radius?: number;
}

export interface LineBox extends BoxBase {
  kind: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  color: Color;
  width: number;
  dash?: number[];
}

/** Vector artwork (icons): SVG path data in its own viewBox, scaled into x/y/w/h. */
export interface PathBox extends BoxBase {
  kind: 'path';
  x: number;
  y: number;
  w: number;
  h: number;
  viewBox: [number, number, number, number];
  paths: { d: string; fill?: Color; stroke?: Color; strokeWidth?: number; fillRule?: 'nonzero' | 'evenodd' }[];
  /** Mirror horizontally (right-to-left documents flip directional icons). */
  mirror?: boolean;
  /** Text alternative, for artwork that carries meaning (a QR code's target). */
  alt?: string;
}

export interface ImageBox extends BoxBase {
  kind: 'image';
  x: number;
  y: number;
  w: number;
  h: number;
  /** Project-relative path, for messages and the JSON dump. */
  src: string;
  data: Uint8Array;
  alt: string;
  /** EXIF orientation of a photo shown turned or mirrored (never 1); w and h are as shown. */
  orientation?: Exclude<Orientation, 1>;
}

/**
 * EXIF orientation, 1–8: how a camera or phone was held. The pixels are stored as the sensor
 * read them and the picture is shown turned (6: a quarter turn clockwise) or mirrored.
 */
export type Orientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** An SVG image (a logo), drawn by an SVG library into x/y/w/h. */
export interface SvgBox extends BoxBase {
  kind: 'svg';
  x: number;
  y: number;
  w: number;
  h: number;
  src: string;
  svg: string;
  alt: string;
}

export interface PlacedGlyph {
  id: number;
  /** Font units. */
  advance: number;
  dx: number;
  dy: number;
  /** The characters this glyph stands for, for the PDF's ToUnicode map. */
  codePoints: number[];
}

/**
 * A run of glyphs of one font, size and colour, already in display (visual) order, starting at
 * x with its baseline at y. `text` is the run's logical text (what copy-and-paste should give).
 */
export interface GlyphRunBox extends BoxBase {
  kind: 'glyphs';
  x: number;
  y: number;
  face: FontFace;
  size: number;
  color: Color;
  glyphs: PlacedGlyph[];
  text: string;
  rtl: boolean;
  /** Width in points. */
  width: number;
  /** Language of the run's text (marked when it differs from the document's). */
  lang: string;
  /** Embolden by stroking: the family has no bold face for this script. */
  fakeBold?: boolean;
  /** Clusters whose glyph order differs from character order (Indic vowel signs). */
  reordered?: boolean;
}
