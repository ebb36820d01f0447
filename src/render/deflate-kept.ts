import { deflateSync } from 'node:zlib';

/**
 * Compresses what a cache keeps across documents. zlib's synchronous result is a view into its
 * 16 KB output chunk, so a cached 1 KB ToUnicode map would hold all 16 KB: 200 flyers kept
 * 10 MB that way. A result smaller than its chunk is copied to memory of its own size.
 */
export function deflateKept(data: Uint8Array | string): Uint8Array {
  const out = deflateSync(data);
  return out.byteLength === out.buffer.byteLength ? out : new Uint8Array(out);
}
