/** A colour as the painter needs it: RGB hex for screen, optional CMYK for print. */
export interface Color {
  /** `#rrggbb` */
  hex: string;
  /** 0–100 per channel, when the brand gives CMYK. */
  cmyk?: [number, number, number, number];
}

/** A colour a brand file may give: # and six hexadecimal digits, or three ("#f60" is "#ff6600", as in CSS). */
export const HEX_COLOR = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

/** The 0–255 red, green and blue of a colour's hex value. */
export function rgbOf(c: Color): [number, number, number] {
  return [parseInt(c.hex.slice(1, 3), 16), parseInt(c.hex.slice(3, 5), 16), parseInt(c.hex.slice(5, 7), 16)];
}

export type Align = 'start' | 'end' | 'center';
export type Direction = 'ltr' | 'rtl';

export interface TextStyle {
  /** Preferred font families, most preferred first; script fallbacks are added by the registry. */
  families: string[];
  bold: boolean;
  italic: boolean;
  /** Points. */
  size: number;
  /** Multiple of size. */
  lineHeight: number;
  color: Color;
  /** BCP 47 language of the text, for shaping, line breaking and font choice. */
  lang: string;
}
