import { listBrands, loadBrand } from '../config/brand.js';
import type { JobSpec, ProjectConfig, ProjectNames } from '../config/project.js';
import { unknownName } from '../config/schema-issue.js';
import { listLocales, loadLocale, localeNames } from '../i18n/locales.js';
import type { Io } from '../io/io.js';
import { HandoutError } from '../model/diagnostic.js';
import { listTemplates, readTemplateInfo, templateReadsData } from '../template/templates.js';
import type { PrintOptions } from '../model/print.js';
import type { Job } from './workspace.js';

export interface PlanOptions {
  templates?: string[];
  locales?: string[];
  brands?: string[];
  /** Data files: each a job of its own, as a config job's `data` list. */
  data?: string[];
  set?: Record<string, string>;
  out?: string;
  print?: PrintOptions;
}

const stripUndefined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

const pick = (spec: 'all' | string[], known: string[], narrow: string[] | undefined): string[] => {
  const base = spec === 'all' ? known : spec;
  if (!narrow || narrow.includes('all')) return base;
  return base.filter((b) => narrow.includes(b));
};

/** The templates, locales and brands the project's folders hold. */
export function projectNames(io: Io): ProjectNames {
  return { template: listTemplates(io), locale: listLocales(io), brand: listBrands(io) };
}

/**
 * Expands the config's job matrix (templates × locales × brands × data), narrowed by the
 * command line, into one job per output file, in a stable order.
 */
export function planJobs(io: Io, config: ProjectConfig, opts: PlanOptions): Job[] {
  const known = projectNames(io);
  for (const [what, names] of [['template', opts.templates], ['locale', opts.locales], ['brand', opts.brands]] as const) {
    for (const n of names ?? []) {
      if (n === 'all' || known[what].includes(n)) continue;
      // A locale's folder without its locale.json yet, a brand's with its file misnamed: say
      // that, not "unknown locale", still as a name the command gives that is none (exit 2).
      const load = what === 'locale' ? loadLocale : what === 'brand' ? loadBrand : null;
      if (load && io.isDirectory(`${what}s/${n}`)) {
        try {
          load(io, n);
        } catch (e) {
          if (e instanceof HandoutError) throw new HandoutError(`unknown-${what}`, e.message, e.where);
          throw e;
        }
      }
      throw new HandoutError(`unknown-${what}`, unknownName(what, n, known[what], what === 'locale' ? localeNames(io) : {}), { file: `${what}s/` });
    }
  }
  const specs = config.jobs ?? [{ templates: 'all' as const, locales: 'all' as const, brands: 'all' as const }];
  // --out has no pattern to edit: a template built with several data files gets one file each.
  const outPattern = (dataFiles: unknown[]) => `${opts.out!.replace(/\/$/, '')}/{brand}/{locale}/{template}${dataFiles.length > 1 ? '-{data}' : ''}.pdf`;
  const jobs: Job[] = [];
  const seen = new Map<string, Job>();
  for (const spec of specs) {
    for (const template of pick(spec.templates, known.template, opts.templates)) {
      const info = readTemplateInfo(io, template);
      // A template that reads no data is built once, whatever data its job or the run gives
      // (two identical flyers had been named after two class files). Whether it reads any is
      // asked only of data offered, and of a template that declares none it needs: the answer
      // parses the template and every partial, at every plan (a no-op rebuild too).
      const offered = opts.data?.length ? opts.data : spec.data ?? (info.sample ? [info.sample] : null);
      const dataFiles = offered && (info.needs.length > 0 || info.optional.length > 0 || templateReadsData(io, template)) ? offered : [null];
      // --out ending in .pdf names the file itself (or a pattern: print/{locale}.pdf).
      const pattern = opts.out ? (/\.pdf$/i.test(opts.out) ? opts.out : outPattern(dataFiles)) : config.output;
      for (const locale of pick(spec.locales, known.locale, opts.locales)) {
        for (const brand of pick(spec.brands, known.brand, opts.brands)) {
          for (const data of dataFiles) {
            const dataName = data ? data.split('/').pop()!.replace(/\.(ya?ml|json)$/, '') : 'default';
            const output = pattern.replace(/\{template\}/g, template).replace(/\{locale\}/g, locale).replace(/\{brand\}/g, brand).replace(/\{data\}/g, dataName);
            const print = { ...config.print, ...stripUndefined(opts.print ?? {}) };
            const job: Job = { template, locale, brand, data, set: opts.set ?? {}, print, output };
            const clash = seen.get(output);
            if (clash) {
              // The same job listed twice (overlapping job entries) is built once; two different
              // documents for one file would leave one of them unbuilt without a word.
              const differs = (['template', 'locale', 'brand', 'data'] as const).find((k) => clash[k] !== job[k]);
              // {data} is the file's name alone: data/north/class.yaml and data/south/class.yaml are both "class".
              if (differs === 'data' && pattern.includes('{data}')) {
                throw new HandoutError(opts.out ? 'usage' : 'invalid-config', `two jobs would write ${output}: {data} is a data file's name without its folder and extension, "${dataName}" for both ${clash.data} and ${job.data}; give one of them another name`, opts.out ? {} : { file: 'handout.config.yaml', key: 'output' });
              }
              if (differs && opts.out) {
                throw new HandoutError('usage', `--out ${opts.out}: two jobs would write ${output} (${differs} ${clash[differs]} and ${job[differs]}); add {${differs}} to it, give a folder, or narrow the run to one document`);
              }
              if (differs === 'data' && (opts.data?.length ?? 0) > 1) {
                throw new HandoutError('usage', `--data ${opts.data!.join(', ')}: each would be written to ${output}, as the config's output pattern has no {data}; give a folder with --out (files go to <folder>/<brand>/<locale>/<template>-<data>.pdf), or a file pattern with {data}`);
              }
              if (differs) {
                throw new HandoutError('invalid-config', `two jobs write ${output} (${differs} ${clash[differs]} and ${job[differs]}); add {${differs}} to the output pattern`, { file: 'handout.config.yaml', key: 'output' });
              }
              continue;
            }
            seen.set(output, job);
            jobs.push(job);
          }
        }
      }
    }
  }
  checkSelection(specs, known, opts, jobs);
  return jobs;
}

/**
 * Options that select nothing are a mistake, not a run of 0 jobs that passes: a new template
 * or a locale left out of a job's explicit list is named with what the config's jobs build.
 */
function checkSelection(specs: JobSpec[], known: Record<'template' | 'locale' | 'brand', string[]>, opts: PlanOptions, jobs: Job[]): void {
  const named = { template: opts.templates, locale: opts.locales, brand: opts.brands };
  for (const what of ['template', 'locale', 'brand'] as const) {
    const inConfig = new Set(specs.flatMap((s) => pick(s[`${what}s`], known[what], undefined)));
    const missing = (named[what] ?? []).find((n) => n !== 'all' && !inConfig.has(n));
    if (missing !== undefined) {
      throw new HandoutError('usage', `${what} "${missing}" is in no job (the jobs build ${[...inConfig].join(', ')}): add it to a job's ${what}s, or write ${what}s: all`, { file: 'handout.config.yaml', key: 'jobs' });
    }
  }
  if (jobs.length === 0 && (opts.templates || opts.locales || opts.brands)) {
    throw new HandoutError('usage', 'the options select no job: none has that template, locale and brand together', { file: 'handout.config.yaml', key: 'jobs' });
  }
}
