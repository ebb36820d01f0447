import { HandoutError } from './diagnostic.js';
import type { Orientation } from './layout.js';

/** What a JPEG's headers say: stored size, colour components, an Adobe marker (inverted CMYK), EXIF orientation. */
export interface JpegFrame {
  width: number;
  height: number;
  components: number;
  adobe: boolean;
  orientation: Orientation;
}

/**
 * Walks a JPEG's markers up to its frame header: layout reads the size as shown (orientation),
 * the painter the colour components. A file that ends first or breaks the marker chain is an
 * error naming the file.
 */
export function jpegFrame(data: Uint8Array, file: string): JpegFrame {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const fail = (why: string): never => {
    throw new HandoutError('image', `cannot read image: ${why}`, { file });
  };
  let i = 2;
  let adobe = false;
  let orientation: Orientation = 1;
  while (i + 9 < data.length) {
    if (data[i] !== 0xff) fail('corrupt JPEG marker');
    const marker = data[i + 1]!;
    const len = view.getUint16(i + 2);
    if (marker === 0xe1) orientation = exifOrientation(view, i + 4, i + 2 + len) ?? orientation;
    if (marker === 0xee) adobe = true;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { width: view.getUint16(i + 7), height: view.getUint16(i + 5), components: data[i + 9]!, adobe, orientation };
    }
    i += 2 + len;
  }
  return fail('JPEG file is truncated');
}

/** The Orientation tag of an APP1 EXIF segment (its body from `start` to `end`), if it has one. */
function exifOrientation(view: DataView, start: number, end: number): Orientation | undefined {
  const exif = 'Exif\u0000\u0000';
  if (end > view.byteLength || end - start < 14) return undefined;
  for (let k = 0; k < exif.length; k++) if (view.getUint8(start + k) !== exif.charCodeAt(k)) return undefined;
  const tiff = start + 6;
  const little = view.getUint8(tiff) === 0x49; // "II": Intel byte order; "MM": Motorola
  const u16 = (at: number) => view.getUint16(at, little);
  const u32 = (at: number) => view.getUint32(at, little);
  const ifd = tiff + u32(tiff + 4);
  if (ifd + 2 > end) return undefined;
  for (let k = 0, n = u16(ifd); k < n && ifd + 2 + 12 * k + 12 <= end; k++) {
    const entry = ifd + 2 + 12 * k;
    if (u16(entry) === 0x0112) {
      const v = u16(entry + 8);
      return v >= 1 && v <= 8 ? (v as Orientation) : undefined;
    }
  }
  return undefined;
}
