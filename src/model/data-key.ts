/**
 * A data value's key in its two spellings: dotted, as `--set` writes it and the data tree is
 * walked (`sessions.2.start`), and with brackets, as a reader of the data file names it in a
 * message (`sessions[2].start`).
 */
export function dottedKey(key: string): string {
  return key.replace(/\[(\d+)\]/g, '.$1');
}

export function bracketedKey(key: string): string {
  return key.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}
