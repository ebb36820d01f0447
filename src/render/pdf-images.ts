import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { HandoutError } from '../model/diagnostic.js';
import { deflateKept } from './deflate-kept.js';

/** An image ready to be written as a PDF XObject: compressed once, reused by every document. */
export interface PreparedImage {
  width: number;
  height: number;
  colorSpace: 'DeviceGray' | 'DeviceRGB' | 'DeviceCMYK';
  filter: 'FlateDecode' | 'DCTDecode';
  data: Uint8Array;
  /** Compressed 8-bit alpha, when the image has transparency. */
  alpha?: Uint8Array;
  /** Adobe CMYK JPEGs store inverted values. */
  invert?: boolean;
}

/** The grey (0–255) that stands for a colour in ink-saver output: its luminance, so contrast is kept. */
export function greyLevel(r: number, g: number, b: number): number {
  return Math.round(0.2126 * r + 0.7152 * g + 0.0722 * b);
}

function luminance(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgb.length / 3);
  for (let i = 0; i < out.length; i++) out[i] = greyLevel(rgb[i * 3]!, rgb[i * 3 + 1]!, rgb[i * 3 + 2]!);
  return out;
}

const cache = new Map<string, PreparedImage>();

/**
 * A brand's logo goes into every document of a batch; decoding the PNG and compressing its
 * colour and alpha planes is done once per process instead of once per PDF (as pdfkit would).
 */
export function prepareImage(data: Uint8Array, file: string, grayscale = false): PreparedImage {
  const key = `${createHash('sha1').update(data).digest('hex')}${grayscale ? ':grey' : ''}`;
  let img = cache.get(key);
  if (!img) {
    // JPEGs pass through compressed (no decoder here), so they keep their colours in grayscale.
    img = data[0] === 0x89 ? preparePng(data, file, grayscale) : prepareJpeg(data, file);
    cache.set(key, img);
  }
  return img;
}

function fail(file: string, why: string): never {
  throw new HandoutError('image', `cannot read image: ${why}`, { file });
}

function prepareJpeg(data: Uint8Array, file: string): PreparedImage {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let i = 2;
  let adobe = false;
  while (i + 9 < data.length) {
    if (data[i] !== 0xff) fail(file, 'corrupt JPEG marker');
    const marker = data[i + 1]!;
    const len = view.getUint16(i + 2);
    if (marker === 0xee) adobe = true;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const comps = data[i + 9]!;
      const colorSpace = comps === 1 ? 'DeviceGray' : comps === 4 ? 'DeviceCMYK' : 'DeviceRGB';
      return { width: view.getUint16(i + 7), height: view.getUint16(i + 5), colorSpace, filter: 'DCTDecode', data, invert: comps === 4 && adobe };
    }
    i += 2 + len;
  }
  return fail(file, 'JPEG file is truncated');
}

/** PNG → raw pixels (8-bit, not interlaced; all colour types), split into colour and alpha. */
function preparePng(data: Uint8Array, file: string, grayscale: boolean): PreparedImage {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let pos = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let type = 0;
  let interlace = 0;
  let palette: Uint8Array | null = null;
  let trns: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  while (pos + 8 <= data.length) {
    const len = view.getUint32(pos);
    const kind = String.fromCharCode(...data.subarray(pos + 4, pos + 8));
    const body = data.subarray(pos + 8, pos + 8 + len);
    if (body.length < len) fail(file, 'PNG file is truncated');
    if (kind === 'IHDR') {
      width = view.getUint32(pos + 8);
      height = view.getUint32(pos + 12);
      depth = body[8]!;
      type = body[9]!;
      interlace = body[12]!;
    } else if (kind === 'PLTE') palette = body;
    else if (kind === 'tRNS') trns = body;
    else if (kind === 'IDAT') idat.push(body);
    else if (kind === 'IEND') break;
    pos += 12 + len;
  }
  if (!width || !height || idat.length === 0) fail(file, 'PNG file is truncated');
  if (depth !== 8 || interlace !== 0) fail(file, `PNG with ${depth}-bit ${interlace ? 'interlaced ' : ''}pixels is not supported; save it as 8-bit, not interlaced`);
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[type as 0 | 2 | 3 | 4 | 6];
  if (!channels) fail(file, `unknown PNG colour type ${type}`);
  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch {
    return fail(file, 'PNG pixel data is corrupt');
  }
  const stride = width * channels;
  if (raw.length < (stride + 1) * height) fail(file, 'PNG pixel data is truncated');
  const px = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = px.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? px.subarray((y - 1) * stride, y * stride) : null;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[x - channels]! : 0;
      const b = up ? up[x]! : 0;
      const c = up && x >= channels ? up[x - channels]! : 0;
      let v = src[x]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[x] = v & 0xff;
    }
  }
  const n = width * height;
  const colour = type === 0 || type === 4 ? 1 : 3;
  const rgb = new Uint8Array(n * colour);
  let alpha: Uint8Array | null = type === 4 || type === 6 || (type === 3 && trns) ? new Uint8Array(n) : null;
  for (let i = 0; i < n; i++) {
    if (type === 3) {
      const idx = px[i]!;
      if (!palette || idx * 3 + 2 >= palette.length) fail(file, 'PNG palette index out of range');
      rgb.set(palette.subarray(idx * 3, idx * 3 + 3), i * 3);
      if (alpha) alpha[i] = trns && idx < trns.length ? trns[idx]! : 255;
    } else {
      for (let k = 0; k < colour; k++) rgb[i * colour + k] = px[i * channels + k]!;
      if (alpha) alpha[i] = px[i * channels + channels - 1]!;
    }
  }
  if (alpha && alpha.every((v) => v === 255)) alpha = null;
  const grey = grayscale && colour === 3;
  const pixels = grey ? luminance(rgb) : rgb;
  return {
    width,
    height,
    colorSpace: colour === 1 || grey ? 'DeviceGray' : 'DeviceRGB',
    filter: 'FlateDecode',
    data: deflateKept(pixels),
    alpha: alpha ? deflateKept(alpha) : undefined,
  };
}
