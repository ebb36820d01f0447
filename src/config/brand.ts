import { z } from 'zod';
import type { Io } from '../io/io.js';
import { HandoutError } from '../model/diagnostic.js';
import { type Color, HEX_COLOR, rgbOf } from '../model/style.js';
import { readYaml } from './yaml-file.js';
import { closest, unknownName } from './schema-issue.js';
import { listLocales, REFERENCE_LOCALE } from '../i18n/locales.js';

// "#f60" is "#ff6600", as in CSS (see toColor).
const hex = z.string().regex(HEX_COLOR, 'a colour like "#1f6f78"');
const cmyk = z.tuple([z.number().min(0).max(100), z.number().min(0).max(100), z.number().min(0).max(100), z.number().min(0).max(100)]);
const color = z.union([hex, z.object({ hex, cmyk: cmyk.optional() }).strict()]);

const brandSchema = z
  .object({
    /** One name for every language, or a name per locale with the reference locale's for the rest. */
    name: z.union([z.string().min(1), z.record(z.string(), z.string().min(1))]),
    /** One text for every language, or a text per locale (printed only in the locales it names). */
    tagline: z.union([z.string().min(1), z.record(z.string(), z.string().min(1))]).optional(),
    logo: z.string().min(1).optional(),
    colors: z
      .object({
        primary: color,
        secondary: color.optional(),
        accent: color.optional(),
        text: color.optional(),
        muted: color.optional(),
        background: color.optional(),
      })
      .strict(),
    /** The brand's own typeface: files relative to the brand folder. */
    font: z
      .object({ family: z.string().min(1), regular: z.string().min(1), bold: z.string().optional(), italic: z.string().optional(), bolditalic: z.string().optional() })
      .strict()
      .optional(),
    contact: z
      .object({
        phone: z.string().optional(),
        email: z.string().email('an e-mail address').optional(),
        // Printed without its scheme and encoded in the QR code with it: a bare domain gets
        // https://, as a phone would not open "www.example.org" on every camera app.
        web: z
          .string()
          .regex(/^(https?:\/\/)?[^\s/.]+(\.[^\s/.]+)+(\/\S*)?$/i, 'a web address like https://www.example.org')
          .transform((w) => (/^https?:\/\//i.test(w) ? w : `https://${w}`))
          .optional(),
        address: z.string().optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export interface Brand {
  id: string;
  /** The name (the reference locale's, when the brand gives one per locale); `nameFor` picks a document's. */
  name: string;
  /** Names per locale, as the brand file gives them, or null for one name. */
  names: Record<string, string> | null;
  /** As the brand file gives it; `taglineFor` picks a document's. */
  tagline: string | Record<string, string> | null;
  /** Project-relative path of the logo, or null. */
  logo: string | null;
  colors: { primary: Color; secondary: Color; accent: Color; text: Color; muted: Color; background: Color; onPrimary: Color };
  contact: { phone: string | null; email: string | null; web: string | null; address: string | null };
  /** Family name and project-relative face files, when the brand has its own typeface. */
  font: { family: string; faces: Partial<Record<'regular' | 'bold' | 'italic' | 'bolditalic', string>> } | null;
  /** Project-relative brand file, for messages and cache keys. */
  file: string;
}

const sixDigits = (h: string) => (h.length === 4 ? `#${[...h.slice(1)].map((c) => c + c).join('')}` : h).toLowerCase();
const toColor = (c: z.infer<typeof color>): Color => (typeof c === 'string' ? { hex: sixDigits(c) } : { hex: sixDigits(c.hex), cmyk: c.cmyk });

/** WCAG contrast ratio of two colours (1 to 21). */
export function contrast(a: Color, b: Color): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const WHITE: Color = { hex: '#ffffff' };

/**
 * Body text must reach WCAG's 4.5:1 on every background the templates put it on (the page,
 * the card colour), as must the subtitles in `secondary`; headings in `primary` on the card
 * colour and the brand name on the header band, large and bold, 3:1. The accent draws icons
 * and rules, which WCAG leaves free as decoration, but one the page or a card swallows
 * (1.02:1) leaves a card without its icon: it must stand out at least VISIBLE:1.
 */
function checkContrast(b: Brand, given: (field: string) => boolean): void {
  // A colour the brand leaves out is named as the default it gets.
  const card = given('colors.background') ? 'colors.background' : 'the default card colour';
  const pairs: [string, Color, string, Color, number, string][] = [
    ['colors.text', b.colors.text, 'the white page', WHITE, 4.5, 'text needs to be readable'],
    ['colors.text', b.colors.text, card, b.colors.background, 4.5, 'text needs to be readable'],
    ['colors.muted', b.colors.muted, 'the white page', WHITE, 4.5, 'text needs to be readable'],
    ['colors.secondary', b.colors.secondary, 'the white page', WHITE, 4.5, 'subtitles need to be readable'],
    ['colors.primary', b.colors.primary, 'the white page', WHITE, 4.5, 'text needs to be readable'],
    ['colors.primary', b.colors.primary, card, b.colors.background, 3, 'headings need on a card'],
    ['the header text', b.colors.onPrimary, 'colors.primary', b.colors.primary, 3, 'the brand name needs on the header band'],
    ['colors.accent', b.colors.accent, 'the white page', WHITE, VISIBLE, 'icons and rules need to be seen'],
    ['colors.accent', b.colors.accent, card, b.colors.background, VISIBLE, 'icons need to be seen on a card'],
  ];
  for (const [field, fg, on, bg, min, need] of pairs) {
    const ratio = contrast(fg, bg);
    if (ratio >= min) continue;
    // Of two colours the brand gives, the one it gave last in the pair is as likely the one
    // just changed: the message names both, and points at the background when it gave one.
    const key = on.startsWith('colors.') && given(on) ? on : field.startsWith('colors.') ? field : 'colors.primary';
    const fix = on.startsWith('colors.') ? '; change either colour' : on === card ? '; change it, or give colors.background' : '';
    throw new HandoutError('invalid-brand', `field "${key}": ${key === field ? '' : `${field} `}${fg.hex} on ${on} (${bg.hex}) has contrast ${ratio.toFixed(2)}:1, below the ${min}:1 ${need}${fix}`, { file: b.file, key });
  }
}

/** The least contrast of the accent colour against what it is drawn on. */
const VISIBLE = 1.5;

/** Relative luminance (WCAG) to pick readable text on a brand colour. */
function luminance(c: Color): number {
  const v = rgbOf(c).map((x) => x / 255).map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4));
  return 0.2126 * v[0]! + 0.7152 * v[1]! + 0.0722 * v[2]!;
}

/** The brand's name in a locale's documents: its own, else the reference locale's. */
export function nameFor(brand: Brand, locale: string): string {
  return brand.names?.[locale] ?? brand.name;
}

/** A name written on several lines (kept in the header band) as one line, for metadata and lists. */
export function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ');
}

/** The brand's tagline in a locale's documents: its own, or none (never another language's). */
export function taglineFor(brand: Brand, locale: string): string | null {
  if (brand.tagline === null || typeof brand.tagline === 'string') return brand.tagline;
  return brand.tagline[locale] ?? null;
}

export function listBrands(io: Io, dir = 'brands'): string[] {
  return io.list(dir).filter((d) => io.exists(`${dir}/${d}/brand.yaml`));
}

/**
 * The folders of brands/ with a brand file, its name right or not (`handout list` says what one
 * lacks); a folder of shared logos is none.
 */
export function brandFolders(io: Io, dir = 'brands'): string[] {
  return io.list(dir).filter((d) => io.exists(`${dir}/${d}/brand.yaml`) || misnamedBrandFile(io, `${dir}/${d}`) !== undefined);
}

/** A brand file under another name than brand.yaml (brand.yml, brand.json), if the folder has one. */
function misnamedBrandFile(io: Io, folder: string): string | undefined {
  return io.isDirectory(folder) ? io.list(folder).find((f) => /^brand\.(ya?ml|json)$/i.test(f) && f !== 'brand.yaml') : undefined;
}

export function loadBrand(io: Io, id: string, dir = 'brands'): Brand {
  const path = `${dir}/${id}/brand.yaml`;
  if (!io.exists(path)) {
    // A brand's folder without its brand.yaml: say that, not "unknown brand".
    if (io.isDirectory(`${dir}/${id}`)) {
      const other = misnamedBrandFile(io, `${dir}/${id}`);
      const hint = other ? `: it has ${other}, which is to be named brand.yaml` : ': copy one from brands/default/ and make it this brand\'s (README: Adding a brand)';
      throw new HandoutError('invalid-brand', `no brand.yaml in this folder${hint}`, { file: `${dir}/${id}/` });
    }
    throw new HandoutError('unknown-brand', unknownName('brand', id, listBrands(io, dir)), { file: `${dir}/${id}/` });
  }
  // A name or tagline per locale names locales the project has (a misspelt one would never
  // print); a name per locale has the reference locale's, which the other locales print.
  const locales = listLocales(io);
  const schema = brandSchema.superRefine((brand, ctx) => {
    for (const field of ['name', 'tagline'] as const) {
      const value = brand[field];
      if (value === undefined || typeof value === 'string') continue;
      for (const code of Object.keys(value)) {
        if (!locales.includes(code)) ctx.addIssue({ code: 'custom', path: [field, code], message: unknownName('locale', code, locales) });
      }
    }
    if (typeof brand.name !== 'string' && brand.name[REFERENCE_LOCALE] === undefined) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: `give the name in ${REFERENCE_LOCALE} too: the locales the list does not name print it` });
    }
  });
  const b = readYaml(io, path, schema, 'invalid-brand');
  /** A file the brand names, relative to its folder (the brand travels as one folder). */
  const beside = (field: string, file: string): string => {
    const rel = `${dir}/${id}/${file}`;
    if (io.exists(rel)) return rel;
    const absolute = /^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(file);
    // The file the folder has of that kind (a logo.png where logo.svg was written).
    const kind = field === 'logo' ? /\.(png|jpe?g|svg)$/i : /\.(ttf|otf|ttc)$/i;
    const there = io.isDirectory(`${dir}/${id}`) ? io.list(`${dir}/${id}`).filter((f) => kind.test(f)) : [];
    const near = closest(file, there) ?? (there.length === 1 ? there[0] : undefined);
    const why = absolute
      ? `is a path from the disk's root: give it from the brand's folder ("${file.split(/[\\/]/).pop()}", with the file copied there)`
      : `not found next to the brand file${near ? `; did you mean "${near}"?` : ''}`;
    throw new HandoutError('invalid-brand', `field "${field}": file "${file}" ${why}`, { file: io.relative(path), key: field });
  };
  const logo = b.logo ? beside('logo', b.logo) : null;
  const primary = toColor(b.colors.primary);
  const text = b.colors.text ? toColor(b.colors.text) : { hex: '#1f2933' };
  let font: Brand['font'] = null;
  if (b.font) {
    const { family, ...files } = b.font;
    const faces: NonNullable<Brand['font']>['faces'] = {};
    for (const [slot, file] of Object.entries(files) as [keyof typeof faces, string][]) faces[slot] = beside(`font.${slot}`, file);
    font = { family, faces };
  }
  const brand: Brand = {
    id,
    name: typeof b.name === 'string' ? b.name : b.name[REFERENCE_LOCALE]!,
    names: typeof b.name === 'string' ? null : b.name,
    tagline: b.tagline ?? null,
    logo,
    colors: {
      primary,
      secondary: b.colors.secondary ? toColor(b.colors.secondary) : primary,
      accent: b.colors.accent ? toColor(b.colors.accent) : primary,
      text,
      muted: b.colors.muted ? toColor(b.colors.muted) : { hex: '#52606d' },
      background: b.colors.background ? toColor(b.colors.background) : { hex: '#f4f7f7' },
      onPrimary: luminance(primary) > 0.4 ? text : { hex: '#ffffff' },
    },
    contact: {
      phone: b.contact.phone ?? null,
      email: b.contact.email ?? null,
      web: b.contact.web ?? null,
      address: b.contact.address ?? null,
    },
    font,
    file: io.relative(path),
  };
  checkContrast(brand, (field) => b.colors[field.slice('colors.'.length) as keyof typeof b.colors] !== undefined);
  return brand;
}
