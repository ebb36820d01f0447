import { z } from 'zod';
import type { Io } from '../io/io.js';
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

const configSchema = z
  .object({
    output: z.string().min(1).default('output/{brand}/{locale}/{template}.pdf'),
    size: z.enum(['A4', 'Letter']).optional(),
    jobs: z.array(jobSchema).min(1).optional(),
  })
  .strict();

export type JobSpec = z.infer<typeof jobSchema>;
export type ProjectConfig = z.infer<typeof configSchema>;

/** The project config, or the defaults (every template × locale × brand) when there is none. */
export function loadConfig(io: Io, path = CONFIG_FILE): ProjectConfig {
  if (!io.exists(path)) return configSchema.parse({});
  return readYaml(io, path, configSchema, 'invalid-config');
}
