/**
 * Stands in for `brotli/decompress.js` in the bundle (bin/bundle.mjs aliases it). fontkit needs
 * Brotli only to open WOFF2 fonts (which the font registry turns away before fontkit sees them,
 * as PDFs cannot embed them), but the package is a decoder written in JavaScript with its
 * 120 KB dictionary as a 1.3 MB array literal: a third of the bundle, parsed and held by every
 * start and every worker thread. Node has Brotli built in.
 */
import { brotliDecompressSync } from 'node:zlib';

export default function decompress(buffer: Uint8Array, outputSize?: number): Uint8Array {
  return brotliDecompressSync(buffer, outputSize === undefined ? {} : { maxOutputLength: Math.max(outputSize, 1) });
}
