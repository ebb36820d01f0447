// Stands in for `tiny-inflate` in the bundle (bin/bundle.mjs aliases it). unicode-trie inflates
// the Unicode property and line-break tables with it as they load: ~15 ms of every start (and
// of every worker thread) in a decoder written in JavaScript, where Node's zlib takes ~1 ms.
// Same contract: raw deflate data in, `dest` filled, a shorter copy when the data ends early.
'use strict';
const { inflateRawSync } = require('node:zlib');

module.exports = function inflate(source, dest) {
  const out = inflateRawSync(source);
  if (out.length > dest.length) throw new Error('Data error');
  dest.set(out);
  return out.length < dest.length ? dest.slice(0, out.length) : dest;
};
