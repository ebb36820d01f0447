import { inflateSync } from 'node:zlib';
import { HandoutError } from '../model/diagnostic.js';
import { type JpegFrame, jpegFrame } from '../model/jpeg-frame.js';
import { deflateKept } from './deflate-kept.js';
import { decodeJpegRgb, encodeJpegRgb } from './jpeg-codec.js';

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

/** What a print needs where the image is shown, and the sharpness above which an image is resampled to it. */
const PRINT_PPI = 300;
const RESAMPLE_ABOVE_PPI = 450;
const LADDER = 2 ** 0.25;

/** The pixels an image needs at its shown size (points), for `prepareImage`. */
export interface ShownSize {
  width: number;
  height: number;
}

type PixelSize = { width: number; height: number } | null;

/** Per image file's bytes: its header, read once (the JPEG's frame, or null for a PNG), and the variants made of it. */
const cache = new WeakMap<Uint8Array, { frame: JpegFrame | null; stored: PixelSize; variants: Map<string, PreparedImage> }>();

/**
 * A brand's logo goes into every document of a batch; decoding the PNG and compressing its
 * colour and alpha planes is done once per process instead of once per PDF (as pdfkit would).
 * An image much sharper than print needs where it is shown (a designer's 4000-pixel logo in a
 * 40-point header made 31 MB flyers; a phone photo, 3 MB a handout) is resampled to 300–357 ppi
 * at that size.
 */
export function prepareImage(data: Uint8Array, file: string, grayscale = false, shown?: ShownSize): PreparedImage {
  let entry = cache.get(data);
  if (!entry) {
    const frame = data[0] === 0x89 ? null : jpegFrame(data, file);
    cache.set(data, (entry = { frame, stored: frame ?? pngSize(data), variants: new Map() }));
  }
  const { frame, stored, variants } = entry;
  const size = stored && printSize(stored.width, stored.height, shown);
  // Keyed by the pixels made, not the size shown: nearby sizes share one resampled image.
  const key = `${grayscale ? 'grey' : ''}:${size ? `${size.width}x${size.height}` : ''}`;
  let img = variants.get(key);
  if (!img) {
    img = frame ? prepareJpeg(data, frame, file, grayscale, size) : preparePng(data, file, grayscale, size);
    variants.set(key, img);
  }
  return img;
}

/** A PNG's pixel size from its header, when it has one (`preparePng` says what is wrong otherwise). */
function pngSize(data: Uint8Array): PixelSize {
  if (data.length < 24) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}


function fail(file: string, why: string): never {
  throw new HandoutError('image', `cannot read image: ${why}`, { file });
}

/**
 * A JPEG passes through compressed as it is, unless it must change: resampled when much
 * sharper than print needs (and compressed again as a JPEG), or turned grey for ink-saver
 * output. CMYK JPEGs keep their inks even when large: without the printer's colour profile,
 * converting them would shift their colours.
 */
function prepareJpeg(data: Uint8Array, frame: JpegFrame, file: string, grayscale: boolean, size: PixelSize): PreparedImage {
  const toGrey = grayscale && frame.components !== 1;
  if (!toGrey && (!size || frame.components === 4)) {
    const colorSpace = frame.components === 1 ? 'DeviceGray' : frame.components === 4 ? 'DeviceCMYK' : 'DeviceRGB';
    return { width: frame.width, height: frame.height, colorSpace, filter: 'DCTDecode', data, invert: frame.components === 4 && frame.adobe };
  }
  let decoded: ReturnType<typeof decodeJpegRgb>;
  try {
    decoded = decodeJpegRgb(data);
  } catch (e) {
    return fail(file, `JPEG data cannot be decoded (${(e as Error).message})`);
  }
  const { width, height } = decoded;
  // Grey output, or a grey JPEG: one channel, compressed losslessly (jpeg-js writes colour only).
  const channels = toGrey || frame.components === 1 ? 1 : 3;
  const pixels = channels === 1 ? luminance(decoded.rgb) : decoded.rgb;
  const out = size ? resample(pixels, channels, null, width, height, size.width, size.height).pixels : pixels;
  const [w, h] = size ? [size.width, size.height] : [width, height];
  if (channels === 1) return { width: w, height: h, colorSpace: 'DeviceGray', filter: 'FlateDecode', data: deflateKept(out) };
  return { width: w, height: h, colorSpace: 'DeviceRGB', filter: 'DCTDecode', data: encodeJpegRgb(out, w, h) };
}

/** Adam7 interlacing: each pass's first column and row, and its column and row steps. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/**
 * PNG → raw pixels, split into 8-bit colour and alpha: every colour type, bit depths 1 to 16
 * (16-bit samples keep their high byte), interlaced or not, transparency from an alpha channel
 * or a tRNS chunk. Logos come from design tools and web sites in all of these.
 */
function preparePng(data: Uint8Array, file: string, grayscale: boolean, size: PixelSize): PreparedImage {
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
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[type as 0 | 2 | 3 | 4 | 6];
  if (!channels) fail(file, `unknown PNG colour type ${type}`);
  const depths = type === 0 ? [1, 2, 4, 8, 16] : type === 3 ? [1, 2, 4, 8] : [8, 16];
  if (!depths.includes(depth) || interlace > 1) fail(file, `PNG with colour type ${type} at ${depth} bits is not valid`);
  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch {
    return fail(file, 'PNG pixel data is corrupt');
  }
  const samples = pngSamples(raw, width, height, channels, depth, interlace === 1, file);
  // Samples to 8 bits: 16-bit keep the high byte, 1 to 4-bit grey levels stretch to 0–255.
  const max = (1 << Math.min(depth, 8)) - 1;
  const to8 = depth === 16 ? (v: number) => v >> 8 : depth === 8 || type === 3 ? (v: number) => v : (v: number) => Math.round((v * 255) / max);
  // tRNS for grey or RGB images: the one sample value (at the image's depth) that is transparent.
  const key = trns && (type === 0 || type === 2) ? Array.from({ length: type === 0 ? 1 : 3 }, (_, k) => (trns![k * 2]! << 8) | trns![k * 2 + 1]!) : null;
  const n = width * height;
  const colour = type === 0 || type === 4 ? 1 : 3;
  // 8-bit grey or RGB, with or without an alpha channel, no tRNS colour: the samples split as
  // they are (and are the colour plane itself when there is no alpha, unless interlaced).
  const plain = depth === 8 && type !== 3 && !key;
  const rgb = plain && channels === colour && samples instanceof Uint8Array ? samples : new Uint8Array(n * colour);
  let alpha: Uint8Array | null = type === 4 || type === 6 || (type === 3 && trns) || key ? new Uint8Array(n) : null;
  if (plain && channels === colour) {
    if (rgb !== samples) rgb.set(samples);
  } else if (plain && colour === 3) {
    for (let i = 0, at = 0, o = 0; i < n; i++, at += 4, o += 3) {
      rgb[o] = samples[at]!;
      rgb[o + 1] = samples[at + 1]!;
      rgb[o + 2] = samples[at + 2]!;
      alpha![i] = samples[at + 3]!;
    }
  } else if (plain) {
    for (let i = 0, at = 0; i < n; i++, at += 2) {
      rgb[i] = samples[at]!;
      alpha![i] = samples[at + 1]!;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const at = i * channels;
      if (type === 3) {
        const idx = samples[at]!;
        if (!palette || idx * 3 + 2 >= palette.length) fail(file, 'PNG palette index out of range');
        rgb.set(palette.subarray(idx * 3, idx * 3 + 3), i * 3);
        if (alpha) alpha[i] = trns && idx < trns.length ? trns[idx]! : 255;
        continue;
      }
      for (let k = 0; k < colour; k++) rgb[i * colour + k] = to8(samples[at + k]!);
      if (key) alpha![i] = key.every((v, k) => samples[at + k] === v) ? 0 : 255;
      else if (alpha) alpha[i] = to8(samples[at + channels - 1]!);
    }
  }
  if (alpha && opaque(alpha)) alpha = null;
  const resampled = size ? resample(rgb, colour, alpha, width, height, size.width, size.height) : { pixels: rgb, alpha };
  const grey = grayscale && colour === 3;
  const pixels = grey ? luminance(resampled.pixels) : resampled.pixels;
  alpha = resampled.alpha;
  return {
    width: size?.width ?? width,
    height: size?.height ?? height,
    colorSpace: colour === 1 || grey ? 'DeviceGray' : 'DeviceRGB',
    filter: 'FlateDecode',
    data: deflateKept(pixels),
    alpha: alpha ? deflateKept(alpha) : undefined,
  };
}

function opaque(alpha: Uint8Array): boolean {
  for (let i = 0; i < alpha.length; i++) if (alpha[i] !== 255) return false;
  return true;
}

/**
 * The image's samples in pixel order (channels interleaved), each at its own depth: rows
 * unfiltered per pass (filters work on whole bytes, `bpp` apart), then unpacked. An 8-bit image
 * that is not interlaced is its unfiltered rows as they are (a designer's 6000-pixel logo is
 * 144 million bytes, so that case gets no copy).
 */
function pngSamples(raw: Uint8Array, width: number, height: number, channels: number, depth: number, interlaced: boolean, file: string): Uint8Array | Uint16Array {
  const bpp = Math.max(1, (channels * depth) >> 3);
  if (depth === 8 && !interlaced) {
    if (raw.length < (width * channels + 1) * height) fail(file, 'PNG pixel data is truncated');
    return unfilter(raw, 0, width * channels, height, bpp, file);
  }
  const out = new Uint16Array(width * height * channels);
  let at = 0;
  for (const [x0, y0, dx, dy] of interlaced ? ADAM7 : ([[0, 0, 1, 1]] as const)) {
    const w = Math.ceil((width - x0) / dx);
    const h = Math.ceil((height - y0) / dy);
    if (w === 0 || h === 0) continue;
    const stride = Math.ceil((w * channels * depth) / 8);
    if (raw.length < at + (stride + 1) * h) fail(file, 'PNG pixel data is truncated');
    const rows = unfilter(raw, at, stride, h, bpp, file);
    at += (stride + 1) * h;
    for (let y = 0; y < h; y++) {
      const r = y * stride;
      for (let i = 0; i < w * channels; i++) {
        let v: number;
        if (depth === 8) v = rows[r + i]!;
        else if (depth === 16) v = (rows[r + i * 2]! << 8) | rows[r + i * 2 + 1]!;
        else {
          const bit = i * depth;
          v = (rows[r + (bit >> 3)]! >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
        }
        const px = (y0 + y * dy) * width + x0 + Math.floor(i / channels) * dx;
        out[px * channels + (i % channels)] = v;
      }
    }
  }
  return out;
}

/** `h` filtered rows of `stride` bytes from `at` (each after its filter byte), unfiltered into one buffer. */
function unfilter(raw: Uint8Array, at: number, stride: number, h: number, bpp: number, file: string): Uint8Array {
  const out = new Uint8Array(stride * h);
  for (let y = 0; y < h; y++, at += stride + 1) {
    const filter = raw[at]!;
    const src = at + 1;
    const o = y * stride;
    const u = o - stride; // the row above; none for the first row (read as zeros)
    const first = y === 0;
    switch (filter) {
      case 0:
        out.set(raw.subarray(src, src + stride), o);
        break;
      case 1:
        for (let x = 0; x < stride; x++) out[o + x] = raw[src + x]! + (x >= bpp ? out[o + x - bpp]! : 0);
        break;
      case 2:
        if (first) out.set(raw.subarray(src, src + stride), o);
        else for (let x = 0; x < stride; x++) out[o + x] = raw[src + x]! + out[u + x]!;
        break;
      case 3:
        for (let x = 0; x < stride; x++) out[o + x] = raw[src + x]! + (((x >= bpp ? out[o + x - bpp]! : 0) + (first ? 0 : out[u + x]!)) >> 1);
        break;
      case 4:
        for (let x = 0; x < stride; x++) {
          const a = x >= bpp ? out[o + x - bpp]! : 0;
          const b = first ? 0 : out[u + x]!;
          const c = x >= bpp && !first ? out[u + x - bpp]! : 0;
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          out[o + x] = raw[src + x]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
        }
        break;
      default:
        fail(file, `PNG row filter ${filter} is not valid`);
    }
  }
  return out;
}

/** The pixel size to resample to, or null when the image is not sharper than RESAMPLE_ABOVE_PPI where shown. */
function printSize(width: number, height: number, shown: ShownSize | undefined): PixelSize {
  if (!shown || shown.width <= 0 || shown.height <= 0) return null;
  const ppi = Math.min((width * 72) / shown.width, (height * 72) / shown.height);
  if (ppi <= RESAMPLE_ABOVE_PPI) return null;
  // Reduced by a power of LADDER, to 300–357 ppi: the fit steps, 3% apart, mostly give one
  // size, so a big logo is resampled (a second for 6000 pixels) once, not at every step.
  const scale = LADDER ** -Math.floor(Math.log(ppi / PRINT_PPI) / Math.log(LADDER));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** For each target pixel along one axis: the source pixels it covers and how much of each. */
function coverage(from: number, to: number): { first: number; weights: number[] }[] {
  const step = from / to;
  return Array.from({ length: to }, (_, t) => {
    const start = t * step;
    const end = start + step;
    const first = Math.floor(start);
    const weights: number[] = [];
    for (let s = first; s < end && s < from; s++) weights.push(Math.min(end, s + 1) - Math.max(start, s));
    return { first, weights };
  });
}

/**
 * Area-averaged downsampling. Colour is averaged by alpha, so the invisible colour of
 * transparent pixels (often black) does not darken a logo's soft edges.
 */
function resample(pixels: Uint8Array, channels: number, alpha: Uint8Array | null, width: number, height: number, tw: number, th: number): { pixels: Uint8Array; alpha: Uint8Array | null } {
  const cols = coverage(width, tw);
  const rows = coverage(height, th);
  const out = new Uint8Array(tw * th * channels);
  const outAlpha = alpha ? new Uint8Array(tw * th) : null;
  const sums = new Float64Array(channels);
  for (let ty = 0; ty < th; ty++) {
    const row = rows[ty]!;
    for (let tx = 0; tx < tw; tx++) {
      const col = cols[tx]!;
      sums.fill(0);
      let area = 0;
      let opacity = 0;
      for (let j = 0; j < row.weights.length; j++) {
        const y = row.first + j;
        for (let i = 0; i < col.weights.length; i++) {
          const src = y * width + col.first + i;
          const w = row.weights[j]! * col.weights[i]!;
          const a = alpha ? alpha[src]! * w : w;
          area += w;
          opacity += a;
          for (let k = 0; k < channels; k++) sums[k]! += pixels[src * channels + k]! * a;
        }
      }
      const at = ty * tw + tx;
      for (let k = 0; k < channels; k++) out[at * channels + k] = opacity > 0 ? Math.round(sums[k]! / opacity) : 0;
      if (outAlpha) outAlpha[at] = Math.round(opacity / area);
    }
  }
  return { pixels: out, alpha: outAlpha };
}
