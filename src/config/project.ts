import { z } from 'zod';
import type { Io } from '../io/io.js';
import { HALF_OF, length, mm } from '../layout/units.js';
import { own } from '../model/own.js';
import { unknownName } from './schema-issue.js';
import { readYaml } from './yaml-file.js';

export const CONFIG_FILE = 'handout.config.yaml';

const list = z.union([z.literal('all'), z.array(z.string().min(1)).min(1)]);

const jobSchema = z
  .object({
    templates: list.default('all'),
    locales: list.default('all'),
    brands: list.default('all'),
    /** Data files; a job without data uses the template's sample. */
    data: z.array(z.string().min(1)).optional(),
  })
  .strict();

export const PAPER = ['A4', 'Letter', 'A5', 'HalfLetter', 'Legal'] as const;
// With its unit: "bleed: 3" meant as 3 mm would be 3 points (1 mm), which a print shop rejects,
// and "--margin 15" would be 5 mm. (Templates write points without a unit, as their own convention.)
const LENGTH = /^\d+(\.\d+)?(pt|mm|cm|in)$/;
// A YAML number (bleed: 3) is read as its text, so the message asks for the unit, not for quotes.
const lengthText = z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().regex(LENGTH, 'a length with its unit, like 3mm, 0.125in or 9pt'));

export const printSchema = z
  .object({
    size: z.enum(PAPER).optional(),
    orientation: z.enum(['portrait', 'landscape']).optional(),
    margin: lengthText.optional(),
    // 50mm for 5mm would print a sheet 10 cm wider than the page.
    // (zod goes on to this check when the text is no length: that is reported by the one above.)
    bleed: lengthText.refine((t) => !LENGTH.test(t) || mm(length(t, {})) <= 25, 'at most 25mm (print shops ask for 3 to 5mm)').optional(),
    cropMarks: z.boolean().optional(),
    twoUp: z.boolean().optional(),
    grayscale: z.boolean().optional(),
    pdfa: z.boolean().optional(),
  })
  .strict()
  // With 2-up the size is the sheet's: "A5" had failed each job at the template's first line
  // with "2-up needs a sheet of "A5"", which read as if A5 were what it needs.
  .refine((p) => !p.twoUp || p.size === undefined || own(HALF_OF, p.size) !== undefined, {
    message: 'A4 or Letter for 2-up (the sheet that two A5 or half-letter pages are printed on)',
    path: ['size'],
  });

/** Where each job's PDF goes; a misspelt placeholder would name a folder "{brnd}". */
export const outputPattern = z
  .string()
  .min(1)
  .refine((p) => /\.pdf$/i.test(p), 'a path ending in .pdf')
  .superRefine((p, ctx) => {
    const unknown = [...p.matchAll(/\{([^}]*)\}/g)].find((m) => !['template', 'locale', 'brand', 'data'].includes(m[1]!));
    if (unknown) ctx.addIssue({ code: 'custom', message: `${unknown[0]} is not a placeholder (use {template}, {locale}, {brand}, {data})` });
  });

const configSchema = z
  .object({
    output: outputPattern.default('output/{brand}/{locale}/{template}.pdf'),
    /** Print settings for every job; command-line options override them. */
    print: printSchema.default({}),
    jobs: z.array(jobSchema).min(1).optional(),
  })
  .strict();

export type JobSpec = z.infer<typeof jobSchema>;
export type ProjectConfig = z.infer<typeof configSchema>;

/** The templates, locales and brands a project has, by name. */
export type ProjectNames = Record<'template' | 'locale' | 'brand', string[]>;

/**
 * The project config, or the defaults (every template × locale × brand) when there is none.
 * With the project's names, a job naming one it does not have is an error at its line, not a
 * failure of every job it makes.
 */
export function loadConfig(io: Io, path = CONFIG_FILE, names?: ProjectNames): ProjectConfig {
  if (!io.exists(path)) return configSchema.parse({});
  const schema = names ? configSchema.superRefine((config, ctx) => checkNames(config, names, ctx)) : configSchema;
  return readYaml(io, path, schema, 'invalid-config', {});
}

function checkNames(config: ProjectConfig, names: ProjectNames, ctx: z.RefinementCtx): void {
  config.jobs?.forEach((job, i) => {
    for (const what of ['template', 'locale', 'brand'] as const) {
      const given = job[`${what}s`];
      if (given === 'all') continue;
      given.forEach((name, j) => {
        if (!names[what].includes(name)) ctx.addIssue({ code: 'custom', path: ['jobs', i, `${what}s`, j], message: unknownName(what, name, names[what]) });
      });
    }
  });
}
