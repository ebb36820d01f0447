import { z } from 'zod';
import type { Io } from '../io/io.js';
import { HandoutError } from '../model/diagnostic.js';
import type { Color } from '../model/style.js';
import { readYaml } from './yaml-file.js';

const hex = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like "#1f6f78"');
const cmyk = z.tuple([z.number().min(0).max(100), z.number().min(0).max(100), z.number().min(0).max(100), z.number().min(0).max(100)]);
const color = z.union([hex, z.object({ hex, cmyk: cmyk.optional() }).strict()]);

const brandSchema = z
  .object({
    name: z.string().min(1),
    tagline: z.string().optional(),
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
    contact: z
      .object({
        phone: z.string().optional(),
        email: z.string().email('an e-mail address').optional(),
        web: z.string().optional(),
        address: z.string().optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export interface Brand {
  id: string;
  name: string;
  tagline: string | null;
  /** Project-relative path of the logo, or null. */
  logo: string | null;
  colors: { primary: Color; secondary: Color; accent: Color; text: Color; muted: Color; background: Color; onPrimary: Color };
  contact: { phone: string | null; email: string | null; web: string | null; address: string | null };
  /** Project-relative brand file, for messages and cache keys. */
  file: string;
}

const toColor = (c: z.infer<typeof color>): Color => (typeof c === 'string' ? { hex: c.toLowerCase() } : { hex: c.hex.toLowerCase(), cmyk: c.cmyk });

/** Relative luminance (WCAG) to pick readable text on a brand colour. */
function luminance(c: Color): number {
  const v = [1, 3, 5].map((i) => parseInt(c.hex.slice(i, i + 2), 16) / 255).map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4));
  return 0.2126 * v[0]! + 0.7152 * v[1]! + 0.0722 * v[2]!;
}

export function listBrands(io: Io, dir = 'brands'): string[] {
  return io.list(dir).filter((d) => io.exists(`${dir}/${d}/brand.yaml`));
}

export function loadBrand(io: Io, id: string, dir = 'brands'): Brand {
  const path = `${dir}/${id}/brand.yaml`;
  if (!io.exists(path)) {
    throw new HandoutError('unknown-brand', `unknown brand "${id}" (known: ${listBrands(io, dir).join(', ')})`, { file: `${dir}/${id}/` });
  }
  const b = readYaml(io, path, brandSchema, 'invalid-brand');
  const logo = b.logo ? `${dir}/${id}/${b.logo}` : null;
  if (logo && !io.exists(logo)) {
    throw new HandoutError('invalid-brand', `field "logo": file "${b.logo}" not found next to the brand file`, { file: io.relative(path), key: 'logo' });
  }
  const primary = toColor(b.colors.primary);
  const text = b.colors.text ? toColor(b.colors.text) : { hex: '#1f2933' };
  return {
    id,
    name: b.name,
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
    file: io.relative(path),
  };
}
