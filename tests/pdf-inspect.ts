import { execFileSync } from 'node:child_process';
import { inflateSync } from 'node:zlib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** Page dictionaries are written uncompressed: their boxes can be read from the bytes. */
export function pageBoxes(pdf: Uint8Array): { media: number[]; trim?: number[]; bleed?: number[] }[] {
  const text = Buffer.from(pdf).toString('latin1');
  const pages: { media: number[]; trim?: number[]; bleed?: number[] }[] = [];
  const nums = (s?: string) => s?.trim().split(/\s+/).map(Number);
  for (const m of text.matchAll(/<<[^]*?\/Type \/Page\b[^s][^]*?>>/g)) {
    const dict = m[0];
    const media = nums(/\/MediaBox \[([^\]]+)\]/.exec(dict)?.[1]);
    if (media) pages.push({ media, trim: nums(/\/TrimBox \[([^\]]+)\]/.exec(dict)?.[1]), bleed: nums(/\/BleedBox \[([^\]]+)\]/.exec(dict)?.[1]) });
  }
  return pages;
}

/** Every stream of the file, inflated where it is compressed (content streams, fonts …). */
export function streams(pdf: Uint8Array): string[] {
  const buf = Buffer.from(pdf);
  const text = buf.toString('latin1');
  const out: string[] = [];
  for (const m of text.matchAll(/\/Length (\d+)[^]*?>>\s*stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const data = buf.subarray(start, start + Number(m[1]));
    try {
      out.push(inflateSync(data).toString('latin1'));
    } catch {
      out.push(data.toString('latin1'));
    }
  }
  return out;
}

interface StructNode {
  role?: string;
  children?: StructNode[];
  type?: string;
  alt?: string;
  lang?: string;
}

/** The structure tree as pdf.js reads it: roles in reading order (depth-first). */
export async function structureRoles(pdf: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  const roles: string[] = [];
  const walk = (n: StructNode) => {
    if (n.role) roles.push(n.role);
    for (const c of n.children ?? []) walk(c);
  };
  for (let i = 1; i <= doc.numPages; i++) {
    const tree = (await (await doc.getPage(i)).getStructTree()) as StructNode | null;
    if (tree && i === 1) walk(tree);
  }
  await doc.destroy();
  return roles;
}

export function hasTool(name: string): boolean {
  try {
    execFileSync(name, ['-v'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    return (e as { code?: string }).code !== 'ENOENT';
  }
}
