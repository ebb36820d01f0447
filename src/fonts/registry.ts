import * as fontkit from 'fontkit';
import type { Font } from 'fontkit';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { describeIssue } from '../config/schema-issue.js';
import type { Io } from '../io/io.js';
import { HandoutError } from '../model/diagnostic.js';
import { type FaceSlot, type FontFace, slotOf } from './face.js';
import { tableDirectory } from './sfnt-table.js';

const FONT_FILE = /\.(ttf|otf|ttc|otc|woff|woff2)$/i;
const MANIFEST = 'fonts.yaml';

const manifestSchema = z.object({
  families: z.array(
    z.object({
      name: z.string().min(1),
      scripts: z.array(z.string().min(1)).min(1),
      languages: z.array(z.string().min(1)).optional(),
      sizeAdjust: z.number().min(0.5).max(2).optional(),
      faces: z
        .object({ regular: z.string(), bold: z.string().optional(), italic: z.string().optional(), bolditalic: z.string().optional() })
        .strict(),
    }).strict(),
  ),
}).strict();

interface Family {
  name: string;
  scripts: Set<string>;
  languages: string[];
  faces: Partial<Record<FaceSlot, FontFace>>;
  /** Discovered from a file not named in the manifest: used only as a last resort. */
  discovered: boolean;
}

/** A face in a fallback chain, and whether bold has to be simulated because the family lacks it. */
export interface ChainEntry {
  face: FontFace;
  fakeBold: boolean;
}

export interface FontRequest {
  families: string[];
  bold: boolean;
  italic: boolean;
  lang: string;
}

/**
 * Knows every font in `fonts/` (and a brand's own fonts), parses a file only when a document
 * needs it, and answers "which face draws this character for this language and style".
 */
export class FontRegistry {
  private readonly families: Family[] = [];
  private readonly buffers = new Map<string, Uint8Array>();
  private readonly faces = new Map<string, FontFace>();
  private readonly chainCache = new Map<string, ChainEntry[]>();
  private readonly loadedFiles = new Set<string>();

  constructor(private readonly io: Io, readonly dirs: string[] = ['fonts']) {
    for (const dir of dirs) this.index(dir);
  }

  /** Files parsed so far (the benchmark prints this to show lazy loading). */
  get loaded(): string[] {
    return [...this.loadedFiles].sort();
  }

  familyNames(): string[] {
    return this.families.map((f) => f.name);
  }

  /**
   * Registers a family from outside `fonts/` (a brand's own font files). It serves no script
   * by itself: text uses it when its style asks for the family, and characters it lacks fall
   * back to the shipped fonts as usual.
   */
  addFamily(name: string, files: Partial<Record<FaceSlot, string>>): void {
    if (!files.regular) throw new HandoutError('font', `font family "${name}" needs a regular face`);
    const known = this.families.find((f) => f.name === name);
    if (known) {
      if (known.faces.regular?.file === this.io.relative(files.regular)) return;
      throw new HandoutError('font', `font family "${name}" is defined twice, with different files`, { file: files.regular });
    }
    const fam: Family = { name, scripts: new Set(), languages: [], faces: {}, discovered: false };
    for (const [slot, spec] of Object.entries(files) as [FaceSlot, string][]) fam.faces[slot] = this.face(spec, name, slot);
    this.families.push(fam);
    this.chainCache.clear();
  }

  private index(dir: string): void {
    const files = this.io.list(dir).filter((f) => FONT_FILE.test(f));
    const named = new Set<string>();
    const manifestPath = `${dir}/${MANIFEST}`;
    if (this.io.exists(manifestPath)) {
      let raw: unknown;
      try {
        raw = parseYaml(this.io.readText(manifestPath));
      } catch (e) {
        throw new HandoutError('invalid-config', `not valid YAML: ${(e as Error).message}`, { file: this.io.relative(manifestPath) });
      }
      const parsed = manifestSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = describeIssue(manifestSchema, parsed.error, raw);
        throw new HandoutError('invalid-config', `${issue.path.join('.')}: ${issue.message}`, {
          file: this.io.relative(manifestPath),
          key: issue.path.join('.'),
        });
      }
      for (const fam of parsed.data.families) {
        const family: Family = { name: fam.name, scripts: new Set(fam.scripts), languages: fam.languages ?? [], faces: {}, discovered: false };
        for (const [slot, spec] of Object.entries(fam.faces) as [FaceSlot, string | undefined][]) {
          if (!spec) continue;
          const file = spec.split('#')[0]!;
          if (!files.includes(file)) {
            throw new HandoutError('font', `font file "${file}" named for ${fam.name} (${slot}) is not in ${dir}/`, { file: this.io.relative(manifestPath) });
          }
          named.add(file);
          family.faces[slot] = this.face(`${dir}/${spec}`, fam.name, slot, fam.sizeAdjust ?? 1);
        }
        this.families.push(family);
      }
    }
    // Unlisted files: usable by coverage alone, parsed only when nothing listed covers a character.
    const discovered = new Map<string, Partial<Record<FaceSlot, string>>>();
    for (const file of files) {
      if (named.has(file)) continue;
      const { family, slot } = unlistedStyle(file);
      const faces = discovered.get(family) ?? {};
      // Two files claiming one style of a family (Foo-Bold.ttf, Foo-Bold.otf): the first stays.
      faces[slot] ??= file;
      discovered.set(family, faces);
    }
    for (const [name, files] of discovered) {
      const faces: Partial<Record<FaceSlot, FontFace>> = {};
      for (const [slot, file] of Object.entries(files) as [FaceSlot, string][]) faces[slot] = this.face(`${dir}/${file}`, name, slot);
      // A family dropped in without its regular file still draws upright text with what it has.
      faces.regular ??= faces.bold ?? faces.italic ?? faces.bolditalic;
      this.families.push({ name, scripts: new Set(), languages: [], faces, discovered: true });
    }
  }

  private face(spec: string, family: string, slot: FaceSlot, sizeAdjust = 1): FontFace {
    const [file, psName] = spec.split('#') as [string, string | undefined];
    const key = this.io.relative(file) + (psName ? `#${psName}` : '');
    const existing = this.faces.get(key);
    if (existing) return existing;
    let font: Font | undefined;
    const bytes = (): Uint8Array => {
      let buf = this.buffers.get(file);
      if (!buf) {
        buf = this.io.readBytes(file);
        this.buffers.set(file, buf);
      }
      return buf;
    };
    const load = (): Font => {
      if (font) return font;
      const buf = bytes();
      this.loadedFiles.add(this.io.relative(file));
      const signature = String.fromCharCode(...buf.subarray(0, 4));
      if (signature === 'wOFF' || signature === 'wOF2') {
        // Their tables are compressed (WOFF2's outlines also transformed), and a PDF embeds the
        // plain TrueType or OpenType font; fontkit's subsets of them come out without outlines.
        throw new HandoutError('font', `${signature === 'wOF2' ? 'WOFF2' : 'WOFF'} is a web format and cannot be embedded in a PDF: use the font's TTF or OTF file`, { file: this.io.relative(file) });
      }
      try {
        const created = fontkit.create(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength), psName) as Font & { fonts?: Font[] };
        // A collection opened without a PostScript name: take its first face.
        font = created.fonts ? created.fonts[0]! : created;
      } catch (e) {
        throw new HandoutError('font', `cannot read font: ${(e as Error).message}`, { file: this.io.relative(file) });
      }
      if (!font) throw new HandoutError('font', `no face "${psName}" in this collection`, { file: this.io.relative(file) });
      // fontkit reads tables only when asked, so a file cut short (an interrupted download)
      // failed mid-build as "internal error: Start offset … is outside the bounds of the buffer".
      for (const [tag, t] of Object.entries(tableDirectory(font))) {
        if (t.offset + t.length > buf.length) {
          throw new HandoutError('font', `cannot read font: the file is cut short (its ${tag.trim()} table ends at byte ${t.offset + t.length}, the file has ${buf.length}); copy or download it again`, { file: this.io.relative(file) });
        }
      }
      return font;
    };
    const coverage = new Map<number, boolean>();
    let m: { unitsPerEm: number; ascent: number; descent: number } | undefined;
    const metrics = () => {
      if (!m) {
        const f = load();
        m = { unitsPerEm: f.unitsPerEm, ascent: f.ascent, descent: f.descent };
      }
      return m;
    };
    const face: FontFace = {
      key,
      family,
      bold: slot === 'bold' || slot === 'bolditalic',
      italic: slot === 'italic' || slot === 'bolditalic',
      file: this.io.relative(file),
      sizeAdjust,
      get font() {
        return load();
      },
      get bytes() {
        return bytes();
      },
      get unitsPerEm() {
        return metrics().unitsPerEm;
      },
      get ascent() {
        return metrics().ascent;
      },
      get descent() {
        return metrics().descent;
      },
      covers(cp: number) {
        let hit = coverage.get(cp);
        if (hit === undefined) {
          hit = load().hasGlyphForCodePoint(cp);
          coverage.set(cp, hit);
        }
        return hit;
      },
    };
    this.faces.set(key, face);
    return face;
  }

  /**
   * The faces to try, in order, for text of one script: the requested families first, then
   * families made for the language, then for the script, then the unlisted files.
   */
  chain(req: FontRequest, script: string): ChainEntry[] {
    const cacheKey = `${req.families.join(',')}|${req.bold ? 'b' : ''}${req.italic ? 'i' : ''}|${req.lang}|${script}`;
    const hit = this.chainCache.get(cacheKey);
    if (hit) return hit;
    const langMatches = (fam: Family) => fam.languages.some((l) => req.lang === l || req.lang.startsWith(`${l}-`));
    const servesScript = (fam: Family) => fam.scripts.has(script);
    const ordered: Family[] = [];
    const push = (fams: Family[]) => {
      for (const f of fams) if (!ordered.includes(f)) ordered.push(f);
    };
    const listed = this.families.filter((f) => !f.discovered);
    push(req.families.flatMap((n) => this.families.filter((f) => f.name === n)));
    push(listed.filter((f) => servesScript(f) && langMatches(f)));
    push(listed.filter((f) => servesScript(f) && f.languages.length === 0));
    push(listed.filter((f) => servesScript(f)));
    push(listed);
    push(this.families.filter((f) => f.discovered));
    const chain = ordered.map((fam) => this.pick(fam, req.bold, req.italic));
    this.chainCache.set(cacheKey, chain);
    return chain;
  }

  /** The best face of a family for a style: italic falls back to upright, bold is simulated. */
  private pick(fam: Family, bold: boolean, italic: boolean): ChainEntry {
    const exact = fam.faces[slotOf(bold, italic)];
    if (exact) return { face: exact, fakeBold: false };
    const upright = fam.faces[slotOf(bold, false)];
    if (upright) return { face: upright, fakeBold: false };
    const regular = fam.faces.regular!;
    return { face: regular, fakeBold: bold };
  }
}

/**
 * The family and style of a font file fonts.yaml does not list, by the naming most font
 * projects ship with (NotoSansThai-Regular.ttf, NotoSansThai-Bold.ttf): the files of one
 * family then give regular text the regular face and bold text the bold one, instead of each
 * file serving every style. A name without a style suffix is a family of its own.
 */
export function unlistedStyle(file: string): { family: string; slot: FaceSlot } {
  const base = file.replace(FONT_FILE, '');
  const m = /^(.+?)[-_](Regular|Bold|Italic|Oblique|BoldItalic|BoldOblique)$/i.exec(base);
  if (!m) return { family: base, slot: 'regular' };
  const style = m[2]!.toLowerCase();
  const bold = style.startsWith('bold');
  const italic = style.endsWith('italic') || style.endsWith('oblique');
  return { family: m[1]!, slot: slotOf(bold, italic) };
}
