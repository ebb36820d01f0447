import { type Brand, loadBrand, nameFor, oneLine, taglineFor } from '../config/brand.js';
import { atKeyLine, cutByComments, yamlDocument } from '../config/yaml-file.js';
import { FontRegistry } from '../fonts/registry.js';
import { checkComplete, flattenKeys, loadLocale, type Locale, longestAgainst, REFERENCE_LOCALE, sameAsReference, beyondReference, valueAt } from '../i18n/locales.js';
import { posix } from 'node:path';
import type { Io } from '../io/io.js';
import { closest } from '../config/schema-issue.js';
import { parseJsonText } from '../io/json-text.js';
import { noteReads, withReadCache } from '../io/read-cache.js';
import { layoutDocument } from '../layout/engine.js';
import { fitToPages } from '../layout/fit-scale.js';
import { imposeTwoUp } from '../layout/impose.js';
import { length } from '../layout/units.js';
import { parseMarkup } from '../markup/parse.js';
import { bracketedKey, dottedKey } from '../model/data-key.js';
import { HandoutError, type SourceRef } from '../model/diagnostic.js';
import type { ElementNode } from '../model/doc-tree.js';
import type { LayoutDoc } from '../model/layout.js';
import type { PrintOptions } from '../model/print.js';
import { renderPdf } from '../render/painter.js';
import { checkDataNeeds } from '../template/data-needs.js';
import { type CompiledTemplate, TemplateEnvironment } from '../template/templates.js';
import { codePointLabel, fontAdvice, isDefaultIgnorable, scriptOf } from '../text/script.js';

export const TOOL_NAME = 'handout';
export const TOOL_VERSION = '0.1.0';

declare const __HANDOUT_BUILD_ID__: string | undefined;
/**
 * The code's own hash, set by `npm run build` in the bundle the CLI runs: a rebuilt handout of
 * the same version may write other bytes, so its outputs are not up to date for the build cache.
 */
export const TOOL_BUILD = typeof __HANDOUT_BUILD_ID__ === 'string' ? __HANDOUT_BUILD_ID__ : 'unbundled';

export interface Job {
  template: string;
  locale: string;
  brand: string;
  /** Project-relative data file, or null for none. */
  data: string | null;
  /** `--set key=value` overrides, applied on top of the data file. */
  set: Record<string, string>;
  print: PrintOptions;
  /** Project-relative output path. */
  output: string;
}

export interface BuiltDocument {
  pdf: Uint8Array;
  layout: LayoutDoc;
  /**
   * Files the document was made from beyond the folders hashed whole (inputs of the job, for
   * the incremental cache): the fonts it embeds, and images from outside templates/ and its
   * brand's folder (a logo the brands of a network share).
   */
  files: string[];
  /** What the document was built despite (texts a locale left in English). */
  warnings: string[];
}

/**
 * What stays loaded between documents of one process (a worker): fonts, compiled templates,
 * locales and brands. Each is loaded on first use and reused after.
 */
export class Workspace {
  readonly fonts: FontRegistry;
  readonly templates: TemplateEnvironment;
  private readonly locales = new Map<string, Locale>();
  private readonly brands = new Map<string, Brand>();
  private readonly covered = new Set<string>();
  /** Locale and namespaces already found complete. */
  private readonly complete = new Set<string>();
  /** Per locale, what its texts are warned of against the English (see `untranslated`). */
  private readonly againstEnglish = new Map<string, string[]>();
  /** Images and icons, read once per process rather than once per document and fit pass. */
  private readonly assets: Io;

  constructor(readonly io: Io) {
    this.assets = withReadCache(io);
    this.fonts = new FontRegistry(io);
    this.templates = new TemplateEnvironment(io);
  }

  locale(code: string): Locale {
    let l = this.locales.get(code);
    if (!l) {
      l = loadLocale(this.io, code);
      // A misspelt family would quietly fall back to the fonts chosen by script.
      const known = this.fonts.familyNames();
      const unknown = (l.meta.fonts ?? []).find((f) => !known.includes(f));
      if (unknown !== undefined) {
        throw new HandoutError('invalid-locale', `fonts: no font family "${unknown}" in fonts/ (known: ${[...new Set(known)].join(', ')})`, { file: `locales/${code}/locale.json`, key: 'fonts' });
      }
      this.locales.set(code, l);
    }
    return l;
  }

  brand(id: string): Brand {
    let b = this.brands.get(id);
    if (!b) {
      b = loadBrand(this.io, id);
      if (b.font) this.fonts.addFamily(b.font.family, b.font.faces);
      this.brands.set(id, b);
    }
    return b;
  }

  /** Every key of the reference in the namespaces a template asks for, once per locale and namespaces. */
  private checkComplete(locale: Locale, namespaces: ReadonlySet<string> | null): void {
    const key = `${locale.code}\u0000${namespaces ? [...namespaces].sort().join(',') : '*'}`;
    if (this.complete.has(key)) return;
    checkComplete(locale, locale.code === REFERENCE_LOCALE ? locale : this.locale(REFERENCE_LOCALE), namespaces);
    this.complete.add(key);
  }

  /**
   * Every character of every translation must have a font before anything is painted; the
   * error names locale, key, character, code point and script, so the fix is obvious.
   */
  checkCoverage(locale: Locale): void {
    if (this.covered.has(locale.code)) return;
    const check = this.coverage(locale.meta.fonts ?? [], locale.code);
    for (const [ns, res] of Object.entries(locale.resources)) {
      for (const key of flattenKeys(res)) {
        const value = valueAt(res, key);
        if (typeof value !== 'string') continue;
        check(value, { file: locale.files[ns], key: `${ns}.${key}` }, (problem, advice) => `locale "${locale.code}", key "${ns}.${key}": ${problem} — ${advice}`);
      }
    }
    // Date names a locale gives itself (a language this system has none for) are printed too.
    for (const field of ['months', 'weekdays'] as const) {
      const where = { file: `locales/${locale.code}/locale.json`, key: `dates.${field}` };
      for (const name of locale.meta.dates?.[field] ?? []) check(name, where, (problem, advice) => `locale "${locale.code}", "dates.${field}": ${problem} — ${advice}`);
    }
    this.covered.add(locale.code);
  }

  /**
   * The same for the text of a brand file (name, tagline, contact), with the brand's typeface
   * first as the document sets it: the error names the brand file and field, not the template
   * line that prints them.
   */
  checkBrandCoverage(brand: Brand, locale: Locale): void {
    const pair = `${brand.id}\u0000${locale.code}`;
    if (this.covered.has(pair)) return;
    const check = this.coverage(documentFamilies(brand, locale), locale.code);
    const perLocale = (field: string, own: boolean) => (own ? `${field}.${locale.code}` : field);
    const name = perLocale('name', brand.names?.[locale.code] !== undefined);
    const tagline = perLocale('tagline', typeof brand.tagline !== 'string');
    const fields: [string, string | null][] = [[name, nameFor(brand, locale.code)], [tagline, taglineFor(brand, locale.code)], ...Object.entries(brand.contact).map(([k, v]): [string, string | null] => [`contact.${k}`, v])];
    for (const [field, value] of fields) {
      if (!value) continue;
      check(value, { file: brand.file, key: field }, (problem) => `field "${field}": ${problem} in the ${locale.code} documents — use characters the fonts have, or add a font with it to fonts/`);
    }
    this.covered.add(pair);
  }

  /**
   * The same for the values of a class's data (a data file or --set): an emoji in an
   * instructor's name is named by its data key, not by a template line that prints it.
   */
  private checkDataCoverage(data: Record<string, unknown>, job: Job, brand: Brand, locale: Locale): void {
    const check = this.coverage(documentFamilies(brand, locale), locale.code);
    for (const key of flattenKeys(data)) {
      const value = valueAt(data, key);
      if (typeof value !== 'string') continue;
      const where = key in job.set ? { key: `--set ${key}` } : { file: job.data ?? undefined, key };
      check(value, where, (problem) => `data "${key}": ${problem} — use characters the fonts have, or add a font with it to fonts/`);
    }
  }

  /** A check that every character of a text has a font, for one set of families; each character is looked up once. */
  private coverage(families: string[], lang: string) {
    const seen = new Set<number>();
    return (value: string, where: SourceRef, message: (problem: string, advice: string) => string): void => {
      for (const ch of value) {
        const cp = ch.codePointAt(0)!;
        if (seen.has(cp)) continue;
        seen.add(cp);
        if (cp < 0x21 || isDefaultIgnorable(cp) || /\s/u.test(ch)) continue;
        const script = scriptOf(cp);
        const chain = this.fonts.chain({ families, bold: false, italic: false, lang }, script);
        if (!chain.some((e) => e.face.covers(cp))) {
          throw new HandoutError('coverage', message(`no font covers "${ch}" (${codePointLabel(cp)}, script ${script})`, fontAdvice(cp)), where);
        }
      }
    };
  }

  /** The job's data, and warnings about values a YAML comment cut short ("Room #2" read as "Room"). */
  readData(job: Job): { data: Record<string, unknown>; warnings: string[] } {
    let data: Record<string, unknown> = {};
    const warnings: string[] = [];
    if (job.data) {
      if (!this.io.exists(job.data)) throw new HandoutError('io', `no such data file${nearFile(this.io, job.data)}`, { file: job.data });
      const text = this.io.readText(job.data);
      if (job.data.endsWith('.json')) data = (parseJsonText(text, job.data, 'invalid-config') ?? {}) as Record<string, unknown>;
      else {
        const doc = yamlDocument(text, { file: job.data, code: 'invalid-config' });
        data = (doc.toJS() ?? {}) as Record<string, unknown>;
        for (const c of cutByComments(doc, text)) {
          if (dottedKey(c.key) in job.set) continue;
          const said = `"${c.key}" is read as "${c.value}": YAML takes "${c.rest}" for a comment; put the value in quotes to keep it ("${c.value} ${c.rest}")`;
          warnings.push(new HandoutError('template-data', said, { file: job.data, line: c.line }).format());
        }
      }
    }
    for (const [path, value] of Object.entries(job.set)) setPath(data, path, value);
    return { data: withLineBreaks(data) as Record<string, unknown>, warnings };
  }

  /**
   * A document that does not fit even at the smallest type: the message names the text most
   * over the locale's usual length against English, the one a translator should shorten first;
   * failing that, a data value of some paragraphs' length, or the data's longest list (29
   * sessions in a two-page handout), which no translation can shorten.
   */
  private fitOrSayWhy(locale: Locale, keys: Set<string>, data: Record<string, unknown>, job: Job, fit: (data: Record<string, unknown>) => LayoutDoc): LayoutDoc {
    try {
      return fit(data);
    } catch (e) {
      if (!(e instanceof HandoutError) || e.code !== 'overflow') throw e;
      const long = longestAgainst(locale, this.locale(REFERENCE_LOCALE), keys);
      if (long) throw new HandoutError('overflow', `${e.message}; the text most over its usual length is "${long.key}" in ${long.file} (${long.times}× the English, where this locale's texts run ${long.usual}×)`, e.where);
      // A value is named only when the document fits with it cut short: four sessions are not
      // why 40 notes lines overflow a one-page template.
      const fitsWithout = (key: string, shorter: unknown): boolean => {
        try {
          fit(withValue(data, key, shorter));
          return true;
        } catch {
          return false;
        }
      };
      // One value far longer than a name, an address or a note: a paste gone wrong, the likelier cause.
      const text = longestText(data);
      if (text && text.length >= LONG_TEXT && fitsWithout(text.key, '…')) {
        const value = job.set[text.key] !== undefined ? `--set ${text.key}` : `"${bracketedKey(text.key)}" in ${job.data ?? 'the data'}`;
        throw new HandoutError('overflow', `${e.message}; ${value} is ${text.length} characters long, perhaps more than the template has room for`, e.where);
      }
      const list = longestList(data);
      if (list && fitsWithout(list.key, (valueAt(data, list.key) as unknown[]).slice(0, 1))) {
        throw new HandoutError('overflow', `${e.message}; ${job.data ?? 'the data'} lists ${list.length} ${list.key}, more than the template has room for`, e.where);
      }
      throw e;
    }
  }

  /** One layout of a document's markup at a type scale (a step of the fit search). */
  private layOut(root: ElementNode, template: CompiledTemplate, brand: Brand, locale: Locale, job: Job, scale: number, brandShrinks: boolean, assets: Io): LayoutDoc {
    return layoutDocument({
      scale,
      brandShrinks,
      root,
      io: assets,
      fonts: this.fonts,
      theme: brand.colors,
      lang: locale.code,
      dir: locale.meta.dir,
      families: documentFamilies(brand, locale),
      lineHeight: locale.meta.lineHeight ?? 1.4,
      print: job.print,
      maxPages: template.pages,
      label: `${job.template} (${job.locale}, ${job.brand})`,
      meta: {
        title: root.attrs.title ?? template.description,
        author: oneLine(nameFor(brand, locale.code)),
        subject: `${template.description} — ${locale.meta.englishName} (${locale.code})${provenance(locale)}`,
        keywords: [job.template, locale.code, brand.id],
      },
    });
  }

  /** The template's markup; a value of the data the helpers cannot use names the data file. */
  private render(template: CompiledTemplate, context: object, locale: Locale, job: Job, keys: Set<string>): string {
    try {
      return template.render(context, { locale, keys });
    } catch (e) {
      if (e instanceof HandoutError && e.code === 'template-data' && !e.where.file) {
        // The helpers name the value they could not use, quoted, or a number as a number
        // ("1e12" as 1000000000000); a --set that gave it is where to look.
        const named = (v: string) => e.message.includes(`"${v}"`) || (v.trim() !== '' && Number.isFinite(Number(v)) && new RegExp(`(?<![\\d.])${String(Number(v)).replace(/[.+]/g, '\\$&')}(?![\\d.])`).test(e.message));
        const set = Object.entries(job.set).find(([, v]) => named(v));
        if (set) throw new HandoutError(e.code, `--set ${set[0]}=${set[1]}: ${e.message}`, { key: `--set ${set[0]}` });
        if (job.data) {
          const key = keyOfValue((context as { data: unknown }).data, e.message);
          throw new HandoutError(e.code, key ? `"${key}": ${e.message}` : e.message, { file: job.data, key });
        }
      }
      throw e;
    }
  }

  /** One document, start to finish: context → markup → tree → layout → PDF bytes. */
  async build(job: Job, date: Date): Promise<BuiltDocument> {
    try {
      return await this.buildUnlocated(job, date);
    } catch (e) {
      throw atKeyLine(this.io, e);
    }
  }

  private async buildUnlocated(job: Job, date: Date): Promise<BuiltDocument> {
    const template = this.templates.get(job.template);
    const locale = this.locale(job.locale);
    const brand = this.brand(job.brand);
    this.checkComplete(locale, template.namespaces);
    this.checkCoverage(locale);
    this.checkBrandCoverage(brand, locale);
    const { data, warnings: cut } = this.readData(job);
    const unread = checkDataNeeds(template, data, job).map((w) => (atKeyLine(this.io, w) as HandoutError).format());
    this.checkDataCoverage(data, job, brand, locale);
    const context = {
      // The brand's address may be written on several lines too.
      brand: withLineBreaks({ ...brand, name: nameFor(brand, locale.code), tagline: taglineFor(brand, locale.code) }),
      locale: { code: locale.code, name: locale.meta.name, dir: locale.meta.dir, script: locale.meta.script },
      data,
      page: { size: job.print.size ?? 'A4' },
    };
    const keys = new Set<string>();
    // What the layout reads, whichever fit step reads it: inputs of the job.
    const read = new Set<string>();
    const assets = noteReads(this.assets, read);
    // The document laid out from some data: the job's, or (to see whether it is why a document
    // overflows) the same with a list or text cut short.
    const layoutFor = (data: Record<string, unknown>): LayoutDoc => {
      const root = parseMarkup(this.render(template, { ...context, data }, locale, job, keys), template.locate);
      return fitToPages(template, (scale, brandShrinks) => this.layOut(root, template, brand, locale, job, scale, brandShrinks, assets));
    };
    const layout = this.fitOrSayWhy(locale, keys, data, job, layoutFor);
    const print = job.print;
    // Checked when the options were read (CLI or config); a message here names the config.
    const where = { file: 'handout.config.yaml', key: 'print' };
    const pdf = await renderPdf(print.twoUp ? imposeTwoUp(layout) : layout, {
      date,
      producer: `${TOOL_NAME} ${TOOL_VERSION}`,
      bleed: print.bleed ? length(print.bleed, where) : 0,
      cropMarks: print.cropMarks ?? false,
      grayscale: print.grayscale ?? false,
      pdfa: print.pdfa ?? false,
    });
    const files = new Set<string>();
    for (const page of layout.pages) for (const b of page.boxes) if (b.kind === 'glyphs') files.add(b.face.file);
    // What the fingerprint hashes whole needs no line of its own; icons and images under
    // templates/ do (it hashes the job's template and the partials, not the folder).
    for (const f of read) if (!f.startsWith('templates/partials/') && !f.startsWith(`brands/${job.brand}/`)) files.add(f);
    return { pdf, layout, files: [...files].sort(), warnings: [...cut, ...unread, ...placeholderContact(brand, template, job, layout), ...this.untranslated(locale)] };
  }

  /** Warnings for texts the locale has word for word as the English, and for keys the English lacks (once per locale, said with every job). */
  private untranslated(locale: Locale): string[] {
    if (locale.code === REFERENCE_LOCALE) return [];
    let warnings = this.againstEnglish.get(locale.code);
    if (warnings) return warnings;
    const english = this.locale(REFERENCE_LOCALE);
    const keys = sameAsReference(locale, english);
    const extra = beyondReference(locale, english);
    // Every key, though the line runs long: a translator works down this list.
    warnings = [
      ...(keys.length ? [`locales/${locale.code}/: ${keys.length} text${keys.length === 1 ? ' is' : 's are'} the English word for word: not translated yet? ${keys.join(', ')}`] : []),
      ...(extra.length ? [`locales/${locale.code}/: ${extra.length} key${extra.length === 1 ? '' : 's'} the English does not have, never printed: misspelt, or left from an older text? ${extra.join(', ')}`] : []),
    ];
    this.againstEnglish.set(locale.code, warnings);
    return warnings;
  }
}

/** The families a document asks for: the brand's typeface first, then the locale's; what they cannot draw falls back per script. */
function documentFamilies(brand: Brand, locale: Locale): string[] {
  return [...(brand.font ? [brand.font.family] : []), ...(locale.meta.fonts ?? [])];
}

/** A copy of the data with the value at a dotted key replaced. */
function withValue(data: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(data);
  setPath(copy, key, value);
  return copy;
}

/** The data's longest list (of at least two items), with its key. */
function longestList(data: unknown, at = ''): { key: string; length: number } | null {
  if (data === null || typeof data !== 'object') return null;
  let best: { key: string; length: number } | null = Array.isArray(data) && data.length >= 2 ? { key: at, length: data.length } : null;
  for (const [k, v] of Object.entries(data)) {
    const found = longestList(v, Array.isArray(data) ? at : at ? `${at}.${k}` : k);
    if (found && (!best || found.length > best.length)) best = found;
  }
  return best;
}

/**
 * Sets a `--set key.path=value`. In a list, the key is an item's number, at most one past the
 * last: `sessions.8` on five sessions left three holes, which the handout skipped, numbering
 * the new one "Session 9".
 */
function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let o: Record<string, unknown> | unknown[] = obj;
  keys.forEach((k, i) => {
    if (Array.isArray(o)) {
      const listKey = keys.slice(0, i).join('.');
      if (!/^\d+$/.test(k)) throw new HandoutError('template-data', `--set ${path}: ${listKey} is a list; name an item by its number, from 0 (like ${listKey}.0)`, { key: `--set ${path}` });
      if (Number(k) > o.length) throw new HandoutError('template-data', `--set ${path}: ${listKey} has ${o.length} items, numbered from 0; ${listKey}.${o.length} adds one`, { key: `--set ${path}` });
    }
    const at = o as Record<string, unknown>;
    if (i === keys.length - 1) at[k] = value;
    else {
      if (typeof at[k] !== 'object' || at[k] === null) at[k] = {};
      o = at[k] as Record<string, unknown>;
    }
  });
}

/** Domains kept for examples (RFC 2606): a contact at one of them reaches no one. */
const EXAMPLE_DOMAIN = /(^|[@.\/])(example\.(com|net|org)|[a-z0-9-]+\.example)(\/|$)/i;

/**
 * An instructor's own class (data other than the template's sample) printed with a brand whose
 * contact is a placeholder (the shipped default's hello@example.org) would reach parents with
 * an address that reaches no one: a warning, as the samples themselves rightly use it.
 */
function placeholderContact(brand: Brand, template: CompiledTemplate, job: Job, layout: LayoutDoc): string[] {
  if (!job.data || (template.sample !== undefined && posix.normalize(job.data) === posix.normalize(template.sample))) return [];
  // Only what the document prints (a sign-in sheet may show no contact at all).
  let text = '';
  for (const page of layout.pages) for (const b of page.boxes) if (b.kind === 'glyphs') text += `${b.text} `;
  const host = (v: string) => v.replace(/^https?:\/\//i, '').replace(/^[^@]*@/, '').replace(/\/.*$/, '');
  const placeholders = [brand.contact.email, brand.contact.web].filter((v): v is string => v !== null && EXAMPLE_DOMAIN.test(v) && text.includes(host(v)));
  if (placeholders.length === 0) return [];
  return [new HandoutError('invalid-brand', `the brand's contact is a placeholder (${placeholders.join(', ')}), printed on your handout: make a brand of your own (README: Adding a brand) and build with -b and its name`, { file: brand.file }).format()];
}

/** "; did you mean data/class-sample.yaml?" for a data file misspelt, of the data files beside where it would be. */
function nearFile(io: Io, file: string): string {
  const folder = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.';
  const near = closest(file, io.list(folder).filter((f) => /\.(ya?ml|json)$/i.test(f)).map((f) => (folder === '.' ? f : `${folder}/${f}`)));
  return near ? `; did you mean ${near}?` : '';
}

/**
 * A value written on several lines (an address as a YAML block, in the data or the brand) keeps its lines: markup
 * collapses a newline into a space, so each becomes U+2028 LINE SEPARATOR, which the layout
 * breaks a line at. Newlines around the value (YAML's `|` ends with one) are dropped.
 */
function withLineBreaks(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\n') ? value.trim().replace(/[ \t]*\r?\n[ \t]*/g, '\u2028') : value;
  if (Array.isArray(value)) return value.map(withLineBreaks);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withLineBreaks(v)]));
  return value;
}

/**
 * What a reader of the PDF's properties learns of its translation: a clinic printing it, or a
 * family's reviewer, sees that it has not been checked by a native speaker (never claimed).
 */
function provenance(locale: Locale): string {
  const t = locale.meta.translation;
  if (t.source) return '';
  return t.reviewedByNativeSpeaker ? '; translation reviewed by a native speaker' : '; translation not yet reviewed by a native speaker';
}

/** SOURCE_DATE_EPOCH when set (reproducible builds), else a fixed date: same inputs, same bytes. */
export function buildDate(env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  // A CI setting it wrong would otherwise get the fixed date without a word.
  if (epoch) throw new HandoutError('usage', `SOURCE_DATE_EPOCH="${epoch}" is not a number of seconds since 1970 (as \`git log -1 --format=%ct\` prints)`);
  return new Date(Date.UTC(2026, 0, 1));
}

/** The key of the data value an error message quotes ("2026-12-08" → sessions[1].start). */
function keyOfValue(data: unknown, message: string): string | undefined {
  const key = flattenKeys(data).find((k) => {
    const v = valueAt(data, k);
    return (typeof v === 'string' || typeof v === 'number') && message.includes(`"${String(v)}"`);
  });
  return key === undefined ? undefined : bracketedKey(key);
}

/** Characters from which a data value, rather than a list, is named as what overflows. */
const LONG_TEXT = 200;

/** The data's longest text, by its dotted key. */
function longestText(data: unknown): { key: string; length: number } | null {
  let best: { key: string; length: number } | null = null;
  for (const key of flattenKeys(data)) {
    const v = valueAt(data, key);
    if (typeof v === 'string' && (!best || v.length > best.length)) best = { key, length: v.length };
  }
  return best;
}
