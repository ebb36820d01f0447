/** How a job is put on paper: chosen in the config or on the command line, not in the template. */
export interface PrintOptions {
  /** Paper of the document pages (for 2-up: of the sheet). */
  size?: string;
  orientation?: 'portrait' | 'landscape';
  /** Page margin, overriding the template's (a length: "15mm"). */
  margin?: string;
  /** Bleed around the trim for print shops (a length: "3mm"). */
  bleed?: string;
  cropMarks?: boolean;
  /** Two copies of a half-size page on one sheet, with a cut line. */
  twoUp?: boolean;
  grayscale?: boolean;
  /** PDF/A-2b (archival). */
  pdfa?: boolean;
}
