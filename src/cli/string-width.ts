/**
 * Stands in for the `string-width` package in the bundle (bin/bundle.mjs aliases it). yargs
 * measures help text with it, and the package compiles large Unicode-property expressions
 * (emoji sequences) as soon as it loads: ~25 ms of every start, help shown or not. Help text
 * is ours; this counts East Asian wide characters as two columns, and ANSI escapes, controls
 * and combining marks as none.
 */
const ANSI = /\u001b\[[0-9;]*[A-Za-z]|\u001b\]8;;.*?\u0007/g;
const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}\p{Cc}]/u;

const WIDE: [number, number][] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

export default function stringWidth(text: string): number {
  let width = 0;
  for (const ch of text.replace(ANSI, '')) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x7f) width += cp >= 0x20 ? 1 : 0;
    else if (ZERO_WIDTH.test(ch)) continue;
    else width += WIDE.some(([from, to]) => cp >= from && cp <= to) ? 2 : 1;
  }
  return width;
}
