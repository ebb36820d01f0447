import { HandoutError } from '../model/diagnostic.js';

// Strict: a byte that is not UTF-8 would otherwise become U+FFFD, which the fonts have, so a
// translation saved as Windows-1252 printed "Masaje �" without a word. The byte-order mark some
// Windows editors write is dropped (TextDecoder's default), as it is no part of the text.
const strict = new TextDecoder('utf-8', { fatal: true });
// Keeps a byte-order mark, so that the text before a bad byte measures its bytes.
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

/** A text file's bytes as text; bytes that are not UTF-8 are an error naming the line and the byte. */
export function utf8Text(bytes: Uint8Array, file: string): string {
  try {
    return strict.decode(bytes);
  } catch {
    throw notUtf8(bytes, file);
  }
}

function notUtf8(bytes: Uint8Array, file: string): HandoutError {
  // A newline byte is never inside a UTF-8 sequence, so lines can be checked one by one.
  let start = 0;
  for (let line = 1; start <= bytes.length; line++) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const text = lenient.decode(bytes.subarray(start, end));
    const at = text.indexOf('\uFFFD');
    if (at >= 0) {
      const before = text.slice(0, at);
      const byte = bytes[start + Buffer.byteLength(before)]!;
      const context = before.trimStart().slice(-20);
      const where = context ? `after "${context}"` : 'at the start of the line';
      return new HandoutError('io', `not UTF-8 text: byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} ${where} is not a character in UTF-8; save the file with UTF-8 encoding`, { file, line });
    }
    start = end + 1;
  }
  return new HandoutError('io', 'not UTF-8 text; save the file with UTF-8 encoding', { file });
}
