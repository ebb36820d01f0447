import type { Font } from 'fontkit';

type FontkitInternals = { stream: { buffer: Uint8Array }; directory: { tables: Record<string, { offset: number; length: number }> } };

/** Where each table of the face lies in its file (offset and length), as fontkit's directory read it. */
export function tableDirectory(font: Font): Record<string, { offset: number; length: number }> {
  return (font as unknown as FontkitInternals).directory.tables;
}

/**
 * A table of the face's file, where fontkit's directory locates it. The few numbers handout
 * needs from `post`, `hmtx`, `GSUB` and `GPOS` are read here: fontkit decodes a table whole on
 * first access, and `post` holds a name for each of Noto Sans's 4,000 glyphs (~10 ms a face, at
 * every start and in every worker), and the layout tables hold every lookup.
 */
export function sfntTable(font: Font, tag: string): DataView | null {
  const { stream } = font as unknown as FontkitInternals;
  const t = tableDirectory(font)[tag];
  return t ? new DataView(stream.buffer.buffer, stream.buffer.byteOffset + t.offset, t.length) : null;
}

/** The OpenType language systems (`'NEP '`, `'KOR '` …) the face's GSUB and GPOS have, in any script. */
export function languageSystems(font: Font): Set<string> {
  const tags = new Set<string>();
  const tag = (v: DataView, at: number) => String.fromCharCode(v.getUint8(at), v.getUint8(at + 1), v.getUint8(at + 2), v.getUint8(at + 3));
  for (const name of ['GSUB', 'GPOS']) {
    const t = sfntTable(font, name);
    if (!t || t.byteLength < 10) continue;
    const scripts = t.getUint16(4);
    for (let i = 0, n = t.getUint16(scripts); i < n; i++) {
      const script = scripts + t.getUint16(scripts + 2 + i * 6 + 4);
      for (let j = 0, m = t.getUint16(script + 2); j < m; j++) tags.add(tag(t, script + 4 + j * 6));
    }
  }
  return tags;
}
