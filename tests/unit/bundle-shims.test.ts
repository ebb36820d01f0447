import { createRequire } from 'node:module';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

// The stand-ins bin/bundle.mjs puts in the bundle for dependencies' dependencies: each must keep
// the contract of the package it replaces.
const require = createRequire(import.meta.url);
const shim = (name: string) => require(`../../bin/bundle-shims/${name}.cjs`);

describe('bundle stand-ins', () => {
  it('inflates raw deflate data as tiny-inflate does, into the same kind of array', () => {
    const tinyInflate = require('tiny-inflate') as (src: Uint8Array, dest: Uint8Array) => Uint8Array;
    const inflate = shim('tiny-inflate') as typeof tinyInflate;
    const data = new Uint8Array(20_000).map((_, i) => (i * 7919) % 251 ^ (i >> 9));
    // unicode-trie stores its tables deflated twice and inflates the first pass into an array of
    // the final length: the data ends early there, and the result is a copy of its own size.
    const twice = deflateRawSync(deflateRawSync(data));
    for (const impl of [tinyInflate, inflate]) {
      const once = impl(twice, new Uint8Array(data.length));
      expect(once.length).toBeLessThan(data.length);
      expect(once.byteOffset).toBe(0);
      expect(once.buffer.byteLength).toBe(once.length);
      const out = impl(once, new Uint8Array(data.length));
      expect(out).toEqual(data);
      // unicode-trie reads the result through its buffer as 32-bit words.
      expect(out.buffer.byteLength).toBe(data.length);
    }
    expect(inflate(twice, new Uint8Array(data.length))).toEqual(tinyInflate(twice, new Uint8Array(data.length)));
    expect(() => inflate(deflateRawSync(data), new Uint8Array(10))).toThrow('Data error');
  });

  it('gives handlebars no source-map, so it builds template code with its own strings', () => {
    expect(shim('no-source-map').SourceNode).toBeUndefined();
  });

  it('encrypts as the AES package does, which it loads on first use', () => {
    const lazy = shim('lazy-aes');
    const real = require('@noble/ciphers/aes.js');
    const key = new Uint8Array(16).fill(7);
    const iv = new Uint8Array(16).fill(3);
    const text = new TextEncoder().encode('infant massage handout');
    expect(lazy.cbc(key, iv).encrypt(text)).toEqual(real.cbc(key, iv).encrypt(text));
    expect(lazy.ecb(key).encrypt(text)).toEqual(real.ecb(key).encrypt(text));
  });
});
