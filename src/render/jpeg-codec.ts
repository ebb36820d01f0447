import decodeJpeg from 'jpeg-js/lib/decoder.js';
import encodeJpeg from 'jpeg-js/lib/encoder.js';

/** Quality of a photo encoded again after resampling: no visible loss in print. */
const QUALITY = 90;

/**
 * A JPEG's pixels as 8-bit RGB, three samples a pixel (a grey JPEG's sample repeated). CMYK
 * is converted without a colour profile, as jpeg-js does; `prepareImage` asks for that only
 * for grey output. Throws jpeg-js's message for data it cannot decode.
 */
export function decodeJpegRgb(data: Uint8Array): { width: number; height: number; rgb: Uint8Array } {
  // 100 megapixels and 1 GB are far above any photo a handout shows; they keep a corrupt size
  // field from allocating without bound.
  const image = decodeJpeg(data, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: 100, maxMemoryUsageInMB: 1024 });
  return { width: image.width, height: image.height, rgb: image.data };
}

/** RGB pixels as a baseline JPEG (no EXIF: the layout already turned the picture). */
export function encodeJpegRgb(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    rgba[j] = rgb[i]!;
    rgba[j + 1] = rgb[i + 1]!;
    rgba[j + 2] = rgb[i + 2]!;
    rgba[j + 3] = 255;
  }
  return new Uint8Array(encodeJpeg({ data: rgba, width, height }, QUALITY).data);
}
