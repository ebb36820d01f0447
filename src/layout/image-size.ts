import { HandoutError } from '../model/diagnostic.js';
import { jpegFrame } from '../model/jpeg-frame.js';
import type { Orientation } from '../model/layout.js';

/**
 * Pixel size of a PNG or JPEG from its header, as the picture is shown (a JPEG turned a
 * quarter by its EXIF orientation swaps width and height), so layout can size images without
 * a PDF library; anything else, or a truncated file, is an error naming the file.
 */
export function imageSize(data: Uint8Array, file: string): { width: number; height: number; orientation: Orientation } {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const fail = (why: string): never => {
    throw new HandoutError('image', `cannot read image: ${why}`, { file });
  };
  if (data.length >= 24 && data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e && data[3] === 0x47) {
    if (String.fromCharCode(...data.subarray(12, 16)) !== 'IHDR') fail('PNG without IHDR header');
    const width = view.getUint32(16);
    const height = view.getUint32(20);
    if (!width || !height) fail('PNG with zero size');
    if (data.length < 45) fail('PNG file is truncated');
    return { width, height, orientation: 1 };
  }
  if (data.length >= 4 && data[0] === 0xff && data[1] === 0xd8) {
    const { width, height, orientation } = jpegFrame(data, file);
    return orientation >= 5 ? { width: height, height: width, orientation } : { width, height, orientation };
  }
  const kind = otherImageKind(data);
  return fail(kind ? `a ${kind} image, which PDF cannot embed as it is: export it as PNG or JPEG` : 'not a PNG or JPEG file');
}

/**
 * What an image that is not PNG or JPEG is, by its signature: a phone photo is often HEIC, and
 * web graphics GIF or WebP, whatever their file name says.
 */
function otherImageKind(data: Uint8Array): string | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...data.subarray(from, to));
  if (ascii(0, 4) === 'GIF8') return 'GIF';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'WebP';
  if (ascii(4, 8) === 'ftyp') return /^(heic|heix|hevc|heim|heis|mif1|msf1)$/.test(ascii(8, 12)) ? 'HEIC' : /^avi[fs]$/.test(ascii(8, 12)) ? 'AVIF' : null;
  if (ascii(0, 2) === 'BM') return 'BMP';
  if (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*') return 'TIFF';
  return null;
}

/**
 * Intrinsic size of an SVG in points, from width/height or the viewBox. Text must be outlines
 * (fonts inside a logo cannot be shaped and checked like the document's text).
 */
export function svgSize(svg: string, file: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/i.exec(svg)?.[0];
  if (!root) throw new HandoutError('image', 'cannot read image: not an SVG file', { file });
  if (/<text\b/i.test(svg)) throw new HandoutError('image', 'SVG images with <text> are not supported: convert the text to outlines', { file });
  // A picture inside the SVG (a photo placed in a design tool, linked or embedded): a linked one
  // cannot be drawn, and an embedded one would escape --grayscale and the resampling of images.
  const picture = /<image\b[^>]*?\b(?:xlink:)?href\s*=\s*["']([^"']{0,40})/i.exec(svg);
  if (picture) throw new HandoutError('image', `SVG images with a picture inside (<image href="${picture[1]!.startsWith('data:') ? `${picture[1]!.split(/[;,]/)[0]}…` : picture[1]}">) are not supported: export the logo as PNG, or use that picture as the logo`, { file });
  // A shape, gradient or pattern of another file (a sprite sheet, a web address): svg-to-pdfkit
  // drew nothing, or black, for it, without a word. References inside the file ("#id") work.
  const outside =
    /<(?:use|pattern|linearGradient|radialGradient|filter|feImage|mask|clipPath|tref)\b[^>]*?\b(?:xlink:)?href\s*=\s*["'](?!#)([^"']{0,60})/i.exec(svg) ??
    /url\((?![\s"']*#)[\s"']*([^)"'\s][^)"']{0,59})/i.exec(svg);
  if (outside) throw new HandoutError('image', `SVG images that draw from outside themselves ("${outside[1]}") are not supported: put what it refers to into the SVG, or export the logo as PNG`, { file });
  const attr = (name: string) => new RegExp(`\\s${name}\\s*=\\s*["']([^"']+)["']`, 'i').exec(root)?.[1];
  const len = (v: string | undefined) => {
    const m = v ? /^([\d.]+)\s*(px|pt|mm|cm|in)?$/.exec(v.trim()) : null;
    if (!m) return undefined;
    const unit = { px: 0.75, pt: 1, mm: 72 / 25.4, cm: 72 / 2.54, in: 72 }[m[2] ?? 'px']!;
    return Number(m[1]) * unit;
  };
  const vb = attr('viewBox')?.split(/[\s,]+/).map(Number);
  let width = len(attr('width'));
  let height = len(attr('height'));
  if (vb && vb.length === 4 && vb[2]! > 0 && vb[3]! > 0) {
    width ??= height !== undefined ? (height * vb[2]!) / vb[3]! : vb[2]! * 0.75;
    height ??= (width * vb[3]!) / vb[2]!;
  }
  if (!width || !height) throw new HandoutError('image', 'cannot read image: an SVG needs width and height or a viewBox', { file });
  return { width, height };
}
