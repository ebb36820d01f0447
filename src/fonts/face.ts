import type { Font } from 'fontkit';

/**
 * One face of a family (regular, bold …), parsed on first use. Layout reads metrics and
 * coverage from it; the painter embeds `font`.
 */
export interface FontFace {
  /** Stable identity: `file#postscriptName`. */
  readonly key: string;
  readonly family: string;
  readonly bold: boolean;
  readonly italic: boolean;
  /** Project-relative font file. */
  readonly file: string;
  /** The fontkit font; parsing happens on first access. */
  readonly font: Font;
  /** The font file's bytes, read once per process (shared by the faces of a collection). */
  readonly bytes: Uint8Array;
  readonly unitsPerEm: number;
  /** Multiplier on the requested size so scripts look alike in size (CSS size-adjust). */
  readonly sizeAdjust: number;
  readonly ascent: number;
  readonly descent: number;
  covers(codePoint: number): boolean;
}

export type FaceSlot = 'regular' | 'bold' | 'italic' | 'bolditalic';

export function slotOf(bold: boolean, italic: boolean): FaceSlot {
  return bold ? (italic ? 'bolditalic' : 'bold') : italic ? 'italic' : 'regular';
}
