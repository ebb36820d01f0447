// Stands in for `@noble/ciphers/aes` where pdfkit imports it (bin/bundle.mjs). pdfkit encrypts
// with it only for password-protected PDFs, which handout never makes, yet the module computes
// its AES tables as it loads: ~9 ms of every start. Here it loads on first use instead (under
// the package's other name for the same file, which the alias does not catch).
'use strict';
let aes;
const load = () => (aes ??= require('@noble/ciphers/aes.js'));
exports.cbc = (...args) => load().cbc(...args);
exports.ecb = (...args) => load().ecb(...args);
