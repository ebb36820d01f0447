import { decodeHTMLStrict } from 'entities';
import i18next, { type i18n } from 'i18next';
import { z } from 'zod';
import { describeIssue, unknownName } from '../config/schema-issue.js';
import type { Io } from '../io/io.js';
import { parseJsonText } from '../io/json-text.js';
import { HandoutError } from '../model/diagnostic.js';
import { isLanguageTag } from '../model/language-tag.js';
import { checkScript, scriptCodeFor } from './script-code.js';

export const REFERENCE_LOCALE = 'en';
const META_FILE = 'locale.json';

const metaSchema = z
  .object({
    name: z.string().min(1),
    englishName: z.string().min(1),
    dir: z.enum(['ltr', 'rtl']),
    script: z.string().regex(/^[A-Z][a-z]{3}$/, 'an ISO 15924 code such as Latn, Arab, Deva'),
    fonts: z.array(z.string()).optional(),
    lineHeight: z.number().min(1).max(3).optional(),
    /** How dates and times are written, where the language's own habit (CLDR, through Intl) is not wanted or not known. */
    dates: z
      .object({
        /** 24h or 12h, over the language's habit. */
        clock: z.enum(['12h', '24h']).optional(),
        /** Order of a long date's parts: {weekday}, {day}, {month}, {year}. */
        pattern: z.string().regex(/^(?=.*\{day\})(?=.*\{month\})(?=.*\{year\})(?:[^{}]|\{(?:weekday|day|month|year)\})*$/, 'a pattern of {weekday}, {day}, {month} and {year}, with {day}, {month} and {year}').optional(),
        /** Names for a language this system has no date names for (January first, Sunday first). */
        months: z.array(z.string().min(1)).length(12).optional(),
        weekdays: z.array(z.string().min(1)).length(7).optional(),
      })
      .strict()
      .refine((d) => (d.months === undefined) === (d.weekdays === undefined), { message: 'give both months and weekdays, or neither', path: ['weekdays'] })
      .optional(),
    translation: z
      .object({
        source: z.boolean(),
        producedBy: z.string().min(1),
        reviewedByNativeSpeaker: z.boolean(),
        reviewNote: z.string().optional(),
      })
      .strict(),
  })
  .strict();

export type LocaleMeta = z.infer<typeof metaSchema>;

export interface Locale {
  code: string;
  meta: LocaleMeta;
  /** Namespace → resources. */
  resources: Record<string, Record<string, unknown>>;
  /** Namespace → project-relative file, for messages. */
  files: Record<string, string>;
  i18n: i18n;
}

/**
 * What each locale is called, in English and in itself, for a name typed where a code belongs
 * (`-l spanish`); a locale.json that cannot be read gives none.
 */
export function localeNames(io: Io, dir = 'locales'): Record<string, string[]> {
  const names: Record<string, string[]> = {};
  for (const code of listLocales(io, dir)) {
    try {
      const meta = JSON.parse(io.readText(`${dir}/${code}/${META_FILE}`)) as { englishName?: unknown; name?: unknown };
      names[code] = [meta.englishName, meta.name].filter((n): n is string => typeof n === 'string' && n !== '');
    } catch {
      // named by its code only
    }
  }
  return names;
}

/** Locales are folders of `locales/` that hold a `locale.json`. */
export function listLocales(io: Io, dir = 'locales'): string[] {
  return io.list(dir).filter((d) => io.exists(`${dir}/${d}/${META_FILE}`));
}

/** Every text of the reference locale's files, as written (none where they cannot be read). */
function referenceTexts(io: Io, dir: string): Set<string> {
  const texts = new Set<string>();
  for (const f of io.list(`${dir}/${REFERENCE_LOCALE}`)) {
    if (!f.endsWith('.json') || f === META_FILE) continue;
    try {
      for (const t of textsOf(JSON.parse(io.readText(`${dir}/${REFERENCE_LOCALE}/${f}`)))) texts.add(t);
    } catch {
      // The reference's own load names what is wrong with it.
    }
  }
  return texts;
}

/** Every text of a resource tree (a namespace file's, or a locale's namespaces'). */
function textsOf(resources: unknown): string[] {
  return flattenKeys(resources)
    .map((k) => valueAt(resources, k))
    .filter((v): v is string => typeof v === 'string');
}

function readJson(io: Io, path: string): unknown {
  return parseJsonText(io.readText(path), io.relative(path), 'invalid-locale');
}

/**
 * A `locale.json` copied from the English one and not yet rewritten: the PDF's subject and
 * `handout list` would call the language English, and the translation would claim to be the
 * source text the others come from.
 */
function copiedMeta(code: string, meta: LocaleMeta, file: string): void {
  if (code === REFERENCE_LOCALE) return;
  if (meta.translation.source) {
    throw new HandoutError('invalid-locale', `translation.source: true is for the ${REFERENCE_LOCALE} text the others are translated from; a translation says false, and who made it in "producedBy"`, { file, key: 'translation.source' });
  }
  const english = code.split('-')[0]!.toLowerCase() === 'en';
  for (const field of ['name', 'englishName'] as const) {
    if (!english && meta[field] === 'English') {
      throw new HandoutError('invalid-locale', `${field}: "English" is the English locale's; write this language's ${field === 'name' ? 'own name (Türkçe, Kiswahili)' : 'name in English (Turkish, Swahili)'}`, { file, key: field });
    }
  }
}

/** Dotted keys of every string in a resource tree (arrays index by position). */
export function flattenKeys(obj: unknown, prefix = ''): string[] {
  if (obj === null || typeof obj !== 'object') return [prefix];
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) => flattenKeys(v, prefix ? `${prefix}.${k}` : k));
}

/** Folders of `locales/`: the locales, and any being started that have no `locale.json` yet. */
export function localeFolders(io: Io, dir = 'locales'): string[] {
  return io.list(dir).filter((d) => io.isDirectory(`${dir}/${d}`));
}

export function loadLocale(io: Io, code: string, dir = 'locales'): Locale {
  if (!io.exists(`${dir}/${code}/${META_FILE}`)) {
    if (io.isDirectory(`${dir}/${code}`)) {
      // Translations copied in, the metadata not written yet (or misspelt Locale.json).
      throw new HandoutError('invalid-locale', `no ${META_FILE} in this folder: write one with the locale's name, direction, script and who translated it (README: Adding a locale)`, { file: `${dir}/${code}/` });
    }
    throw new HandoutError('unknown-locale', unknownName('locale', code, listLocales(io, dir), localeNames(io, dir)), { file: `${dir}/${code}/` });
  }
  // The folder's name is the language tag that dates, numbers and hyphenation go by (pt_BR is
  // gettext's and Android's spelling).
  if (!isLanguageTag(code)) {
    const hint = code.includes('_') ? `: name the folder ${code.replace(/_/g, '-')}` : ' like es, pt-BR or zh-Hant';
    throw new HandoutError('invalid-locale', `"${code}" is not a BCP 47 language tag${hint}`, { file: `${dir}/${code}/` });
  }
  // Tags match whatever their case, but i18next, the output paths and every other place a
  // locale is named go by the folder's name as written: "PT-br" found none of its texts.
  const canonical = Intl.getCanonicalLocales(code)[0]!;
  if (canonical.toLowerCase() === code.toLowerCase() && canonical !== code) {
    throw new HandoutError('invalid-locale', `"${code}" is written ${canonical} as a language tag: name the folder ${canonical}`, { file: `${dir}/${code}/` });
  }
  const metaPath = `${dir}/${code}/${META_FILE}`;
  const meta = readJson(io, metaPath);
  const parsed = metaSchema.safeParse(meta);
  if (!parsed.success) {
    const issue = describeIssue(metaSchema, parsed.error, meta);
    const field = issue.path.join('.');
    const given = (meta as { script?: unknown } | null)?.script;
    const meant = field === 'script' && typeof given === 'string' ? scriptCodeFor(given) : null;
    const message = `${issue.message}${meant ? `; did you mean "${meant}"?` : ''}`;
    throw new HandoutError('invalid-locale', field ? `${field}: ${message}` : message, { file: io.relative(metaPath), key: field || undefined });
  }
  copiedMeta(code, parsed.data, io.relative(metaPath));
  const resources: Record<string, Record<string, unknown>> = {};
  const files: Record<string, string> = {};
  for (const f of io.list(`${dir}/${code}`)) {
    if (!f.endsWith('.json') || f === META_FILE) continue;
    const ns = f.slice(0, -5);
    const path = `${dir}/${code}/${f}`;
    resources[ns] = readJson(io, path) as Record<string, unknown>;
    files[ns] = io.relative(path);
  }
  // Texts still as in English (a translation in progress) say nothing of the locale's own
  // direction and script: a Thai locale a third translated was told to write "Latn".
  const english = code === REFERENCE_LOCALE ? new Set<string>() : referenceTexts(io, dir);
  const text = withoutPlaceholders(
    textsOf(resources)
      .filter((v) => !english.has(v))
      .join(' '),
  );
  checkDirection(parsed.data.dir, text, io.relative(metaPath));
  checkScript(parsed.data.script, text, io.relative(metaPath));
  checkPlainText(code, resources, files);
  const digits = new Intl.NumberFormat(code);
  const inst = i18next.createInstance();
  void inst.init({
    lng: code,
    fallbackLng: false,
    resources: { [code]: resources },
    ns: Object.keys(resources),
    initAsync: false,
    interpolation: {
      escapeValue: false,
      // A number (a session's) prints in the locale's digits, as its dates do: ۱ in Persian,
      // ১ in Bengali, १ in Nepali.
      alwaysFormat: true,
      format: (value: unknown) => (typeof value === 'number' ? digits.format(value) : value),
    },
    returnNull: false,
    returnEmptyString: true,
    showSupportNotice: false,
  } as Parameters<typeof inst.init>[0]);
  return { code, meta: parsed.data, resources, files, i18n: inst };
}

// Letters of the scripts written right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan,
// Mandaic, and their presentation forms).
const RTL_LETTER = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/gu;
const LETTER = /\p{L}/gu;

/**
 * A locale's `dir` must be the direction its texts are written in: a locale.json copied from
 * English for Pashto or Kurdish, still saying "ltr", laid the flyer out left to right, with
 * headings and lists on the wrong side.
 */
function checkDirection(dir: 'ltr' | 'rtl', text: string, file: string): void {
  const rtl = text.match(RTL_LETTER)?.length ?? 0;
  const letters = text.match(LETTER)?.length ?? 0;
  // Too little text to tell (a locale being started).
  if (letters < 20) return;
  const written = rtl > letters - rtl ? 'rtl' : 'ltr';
  if (written !== dir) {
    const how = written === 'rtl' ? 'right to left' : 'left to right';
    throw new HandoutError('invalid-locale', `dir: "${dir}", but the translations are written ${how}: write "dir": "${written}"`, { file, key: 'dir' });
  }
}

/**
 * Translations are plain text, which the template escapes and styles: HTML a translator brings
 * from web work (`<strong>`, `<br/>`, `&nbsp;`) would be printed as it is written.
 */
function checkPlainText(code: string, resources: Record<string, Record<string, unknown>>, files: Record<string, string>): void {
  for (const [ns, res] of Object.entries(resources)) {
    for (const key of flattenKeys(res)) {
      const value = valueAt(res, key);
      if (typeof value !== 'string') continue;
      const tag = HTML_TAG.exec(value)?.[0];
      const entity = [...value.matchAll(HTML_ENTITY)].map((m) => m[0]).find((e) => decodeHTMLStrict(e) !== e);
      if (tag === undefined && entity === undefined) continue;
      const why =
        tag !== undefined
          ? `has the markup "${tag}", which would be printed as it is: a translation is plain text, and bold or a line break belongs in the template`
          : `has "${entity}", an HTML entity that would be printed as it is: write ${entityText(entity!)} itself`;
      throw new HandoutError('invalid-locale', `locale "${code}", key "${ns}.${key}" ${why}`, { file: files[ns], key: `${ns}.${key}` });
    }
  }
}

/**
 * A tag of the HTML that text on the web is written in, with its attributes: "<<doux>>" or
 * "<un an et >6" are text.
 */
const HTML_TAG = /<\/?(?:a|abbr|b|big|blockquote|br|center|code|del|div|em|font|h[1-6]|hr|i|img|ins|li|mark|nobr|ol|p|q|s|small|span|strike|strong|sub|sup|table|td|th|tr|u|ul|wbr)(?:\s+[A-Za-z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]+))?)*\s*\/?>/i;

/** Candidates for an HTML entity; only those HTML defines count ("R&D;" is text). */
const HTML_ENTITY = /&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);/g;

/** What an HTML entity stands for, as a translator would be told to write it. */
function entityText(entity: string): string {
  const char = decodeHTMLStrict(entity);
  const code = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  if (char === '\u00a0') return `the no-break space (${code})`;
  if (char === '\u00ad') return `the soft hyphen (${code})`;
  // Spaces and invisible characters are named by code point; the rest shown as they are.
  if (/[\p{Z}\p{C}]/u.test(char)) return `the character ${code}`;
  return `"${char}"`;
}

/**
 * Every key the reference locale has must exist here too (in `namespaces`, those a template
 * asks for: a new template's texts do not stop the others), with text where the reference has
 * text: one error lists them all, so a translator fixes a locale in one pass instead of one
 * build per missing key. A plural group (`k_one`, `k_other` …) needs the forms of this
 * locale's language, not the reference's: Japanese has only `k_other`, Arabic six forms, and a
 * form i18next looks for and does not find prints the bare key. For the reference itself only
 * that is checked.
 */
export function checkComplete(locale: Locale, reference: Locale, namespaces: ReadonlySet<string> | null = null): void {
  const missing: string[] = [];
  /** Keys missing: an object renamed is one entry of `missing` for all its keys. */
  let count = 0;
  // A number or true where the English has text would be printed as "5" or "true".
  let notText: { ns: string; key: string; value: unknown } | undefined;
  // A placeholder renamed in translation ({{numero}}) was printed as it is, and the value lost.
  const renamed: { ns: string; key: string; problem: string }[] = [];
  const forms = pluralForms(locale.code);
  const missingFiles = new Set<string>();
  const noFile: string[] = [];
  for (const [ns, res] of Object.entries(reference.resources)) {
    if (namespaces && !namespaces.has(ns)) continue;
    // A namespace file not there at all (a new template's texts, translated in en only so far).
    if (!locale.resources[ns] && locale.code !== reference.code) {
      noFile.push(ns);
      continue;
    }
    const have = new Set(flattenKeys(locale.resources[ns]));
    const keys = flattenKeys(res);
    const groups = pluralGroups(keys);
    // Keys the reference lacks: a key renamed in translation ("telefon" for "phone").
    const known = new Set(keys);
    const extra = [...have].filter((k) => !known.has(k) && !groups.has(PLURAL_FORM.exec(k)?.[1] ?? ''));
    const insteadOf = (key: string) => {
      const parent = key.includes('.') ? key.slice(0, key.lastIndexOf('.') + 1) : '';
      const near = extra.filter((k) => k.startsWith(parent) && !k.slice(parent.length).includes('.'));
      return near.length === 1 ? `the file has "${ns}.${near[0]}" instead` : undefined;
    };
    // An object renamed in translation ("ares" for "areas"): none of its keys is there, and the
    // file has each under one other name at the same place. Said once for all of them.
    const renamedObject = (key: string): { object: string; as: string } | undefined => {
      const parts = key.split('.');
      for (let i = 0; i < parts.length - 1; i++) {
        const object = parts.slice(0, i + 1).join('.');
        if ([...have].some((k) => k.startsWith(`${object}.`))) continue;
        const above = parts.slice(0, i).map((p) => `${p}.`).join('');
        const below = `.${parts.slice(i + 1).join('.')}`;
        const as = new Set(extra.filter((k) => k.startsWith(above) && k.endsWith(below) && k.split('.').length === parts.length).map((k) => k.split('.').slice(0, i + 1).join('.')));
        return as.size === 1 ? { object, as: [...as][0]! } : undefined;
      }
      return undefined;
    };
    const saidObjects = new Set<string>();
    const wanted: { key: string; english: unknown; why?: string }[] = [];
    for (const key of keys) {
      if (!groups.has(PLURAL_FORM.exec(key)?.[1] ?? '')) wanted.push({ key, english: valueAt(res, key) });
    }
    for (const base of groups) {
      for (const form of forms) {
        const key = `${base}_${form}`;
        // A form English lacks (Arabic's _few) is compared with English's _other.
        const english = String(valueAt(res, key) ?? valueAt(res, `${base}_other`));
        wanted.push({ key, english, why: `a plural form ${locale.code} needs` });
      }
    }
    for (const { key, english, why } of wanted) {
      const value = valueAt(locale.resources[ns], key);
      if (!have.has(key)) {
        const renamedAs = why ? undefined : renamedObject(key);
        missingFiles.add(locale.files[ns]!);
        if (renamedAs) {
          count++;
          if (saidObjects.has(renamedAs.object)) continue;
          saidObjects.add(renamedAs.object);
          missing.push(`${ns}.${renamedAs.object}.* (the file has "${ns}.${renamedAs.as}" instead)`);
          continue;
        }
        const note = why ?? insteadOf(key);
        missing.push(`${ns}.${key}${note ? ` (${note})` : ''}`);
        count++;
      }
      // Translation tools export what is not translated yet as "": printed, the text would
      // just be gone from the flyer.
      else if (typeof value === 'string' && value.trim() === '' && String(english).trim() !== '') {
        missing.push(`${ns}.${key} (empty)`);
        count++;
        missingFiles.add(locale.files[ns]!);
      }
      else if (!notText && typeof english === 'string' && typeof value !== 'string') notText = { ns, key, value };
      else if (typeof value === 'string') {
        // A plural form may spell its number out ("one session", "جلستان") or print it.
        const problem = placeholderProblem(String(english), value, why ? ['count'] : []);
        if (problem) renamed.push({ ns, key, problem });
      }
    }
  }
  const files = noFile.map((ns) => `${ns}.json`).join(', ');
  const copy = noFile.length ? `has no ${files}: copy ${noFile.length === 1 ? 'it' : 'them'} from locales/${reference.code}/ and translate ${noFile.length === 1 ? 'it' : 'them'}` : '';
  if (missing.length === 0 && copy) throw new HandoutError('missing-translation', `locale "${locale.code}" ${copy}`, { file: `locales/${locale.code}/` });
  if (missing.length > 0) {
    const shown = missing.slice(0, 12).join(', ') + (missing.length > 12 ? ` … and ${missing.length - 12} more` : '');
    // One file to open when they are all in one; the folder when they are spread over several.
    const [only] = missingFiles.size === 1 && !copy ? [...missingFiles] : [];
    throw new HandoutError('missing-translation', `locale "${locale.code}" is missing ${count} key${count === 1 ? '' : 's'}: ${shown}${copy ? `; and it ${copy}` : ''}`, {
      file: only ?? `locales/${locale.code}/`,
      // A key renamed in translation is found at the line of its new name.
      key: /the file has "([^"]+)" instead/.exec(missing[0]!)?.[1] ?? missing[0]!.replace(/ \(.*\)$/, ''),
    });
  }
  if (notText) {
    const { ns, key, value } = notText;
    throw new HandoutError('invalid-locale', `locale "${locale.code}", key "${ns}.${key}" must be text, not ${JSON.stringify(value)}`, { file: locale.files[ns], key: `${ns}.${key}` });
  }
  if (renamed.length > 0) {
    const [first] = renamed as [(typeof renamed)[0]];
    const list = renamed.map((r) => `"${r.ns}.${r.key}" ${r.problem}`).join('; ');
    throw new HandoutError('invalid-locale', `locale "${locale.code}": keep the {{placeholders}} of the English text as they are: ${list}`, { file: locale.files[first.ns], key: `${first.ns}.${first.key}` });
  }
}

/** i18next's suffixes of a plural form (cardinal). */
const PLURAL_FORM = /^(.+)_(zero|one|two|few|many|other)$/;

/** The base keys of the plural groups among a namespace's keys: those with an `_other` form. */
function pluralGroups(keys: string[]): Set<string> {
  const all = new Set(keys);
  const groups = new Set<string>();
  for (const key of keys) {
    const base = PLURAL_FORM.exec(key)?.[1];
    if (base !== undefined && all.has(`${base}_other`)) groups.add(base);
  }
  return groups;
}

/** The plural forms a language has, as i18next chooses among them (CLDR, through Intl). */
export function pluralForms(code: string): string[] {
  return new Intl.PluralRules(code).resolvedOptions().pluralCategories as string[];
}

/**
 * The keys whose text is still the reference's, word for word: a locale made by copying the
 * English files and left partly untranslated prints English in, say, a Swahili flyer. Only
 * prose counts (a word of four letters and a space, placeholders left out): "{{date}},
 * {{time}}" or a name may rightly stay as they are.
 */
export function sameAsReference(locale: Locale, reference: Locale): string[] {
  const keys: string[] = [];
  for (const [ns, res] of Object.entries(reference.resources)) {
    for (const key of flattenKeys(res)) {
      const english = valueAt(res, key);
      if (typeof english !== 'string' || valueAt(locale.resources[ns], key) !== english) continue;
      const words = withoutPlaceholders(english);
      if (/\p{L}{4}/u.test(words) && /\S\s+\S/.test(words.trim())) keys.push(`${ns}.${key}`);
    }
  }
  return keys;
}

/**
 * The keys a locale has that the reference lacks: no template asks for them, so their text is
 * never printed (a key misspelt beside the right one, or left from an older English). A plural
 * form of a group the reference has (Arabic's `k_few`) and an item of a list the reference has
 * (a list may be longer in translation) belong.
 */
export function beyondReference(locale: Locale, reference: Locale): string[] {
  const keys: string[] = [];
  for (const [ns, res] of Object.entries(locale.resources)) {
    const english = reference.resources[ns];
    const groups = pluralGroups(english ? flattenKeys(english) : []);
    for (const key of flattenKeys(res)) {
      if (english && valueAt(english, key) !== undefined) continue;
      if (groups.has(PLURAL_FORM.exec(key)?.[1] ?? '')) continue;
      if (key.includes('.') && Array.isArray(valueAt(english, key.slice(0, key.lastIndexOf('.'))))) continue;
      keys.push(`${ns}.${key}`);
    }
  }
  return keys;
}

/** A text without its interpolation placeholders, which are no words of the language. */
const withoutPlaceholders = (text: string) => text.replace(/\{\{[^}]*\}\}/g, '');

/** The names of a text's interpolation placeholders: {{name}}, {{- name}}, {{name, format}}. */
function placeholders(text: string): Set<string> {
  return new Set([...text.matchAll(/\{\{-?\s*([^{},]+?)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]!));
}

/**
 * How a translation's placeholders differ from the reference's, or null when they do not.
 * `free` ones may be there or not: a plural form may spell its number out ("one session"),
 * or need it where the English form has none (Russian "one" also covers 21, 31 …).
 */
function placeholderProblem(reference: string, translation: string, free: string[] = []): string | null {
  const want = placeholders(reference);
  const have = placeholders(translation);
  const extra = [...have].filter((p) => !want.has(p) && !free.includes(p)).map((p) => `{{${p}}}`);
  const lacking = [...want].filter((p) => !have.has(p) && !free.includes(p)).map((p) => `{{${p}}}`);
  if (extra.length && lacking.length) return `has ${extra.join(', ')} instead of ${lacking.join(', ')}`;
  if (extra.length) return `has ${extra.join(', ')}, which the English text does not`;
  if (lacking.length) return `lacks ${lacking.join(', ')}`;
  return null;
}

/** The value at a dotted key path of a resource (as `flattenKeys` lists them). */
export const valueAt = (res: unknown, key: string): unknown => key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], res);

/** Texts without variables, per locale: every document of a batch asks for the same ones. */
const plainTexts = new WeakMap<Locale, Map<string, unknown>>();

/** Looks a `namespace.key.path` up; a missing key is an error naming locale, key and file. */
export function translate(locale: Locale, fullKey: string, vars: Record<string, unknown> = {}, objects = false): unknown {
  let memo = plainTexts.get(locale);
  if (!memo) plainTexts.set(locale, (memo = new Map()));
  const plain = Object.keys(vars).length === 0;
  const memoKey = `${objects ? 'o' : 's'}${fullKey}`;
  if (plain && memo.has(memoKey)) return memo.get(memoKey);
  const dot = fullKey.indexOf('.');
  const ns = dot > 0 ? fullKey.slice(0, dot) : '';
  const key = dot > 0 ? fullKey.slice(dot + 1) : fullKey;
  const file = locale.files[ns] ?? `locales/${locale.code}/${ns || '?'}.json`;
  if ('count' in vars) vars = { ...vars, count: pluralCount(fullKey, vars.count) };
  if (!locale.resources[ns] || !locale.i18n.exists(key, { ns, count: vars.count as number | undefined })) {
    // Without a count i18next prints a plural group's bare key.
    if (locale.resources[ns] && valueAt(locale.resources[ns], `${key}_other`) !== undefined) {
      throw new HandoutError('template-data', `"${fullKey}" has plural forms: give it count=, the number that chooses the form, like {{t "${fullKey}" count=data.sessions.length}}`, { key: fullKey });
    }
    throw new HandoutError('missing-translation', `missing translation "${fullKey}" in locale "${locale.code}"`, { file, key: fullKey });
  }
  const text = locale.i18n.t(key, { ns, ...vars, returnObjects: objects });
  if (plain) memo.set(memoKey, text);
  return text;
}

/** The number a plural form is chosen by; a word would choose "other" and print itself. */
function pluralCount(fullKey: string, value: unknown): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  // Strict mode lets a missing value through to a helper's hash: said as such, not "count=undefined".
  if (value === undefined || value === null) throw new HandoutError('template-data', `count= of "${fullKey}" has no value: the data lacks the number it reads (ask for an optional one with {{#if}} first)`, { key: fullKey });
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new HandoutError('template-data', `count=${JSON.stringify(value)} of "${fullKey}" is not a number`, { key: fullKey });
  return n;
}

/** A translation far longer than its kind in this locale usually is, against the reference. */
export interface LongText {
  key: string;
  file: string;
  /** Its length against the reference's text, and the locale's usual (median) ratio. */
  times: number;
  usual: number;
}

/**
 * Among the texts a document used (`keys`, as templates name them), the one most over the
 * locale's usual length against the reference locale: where a translator looks first when the
 * document does not fit. Null for the reference itself, or when no text stands out.
 */
export function longestAgainst(locale: Locale, reference: Locale, keys: Iterable<string>): LongText | null {
  if (locale.code === reference.code) return null;
  const pairs: { key: string; ns: string; mine: number; theirs: number }[] = [];
  for (const fullKey of keys) {
    const dot = fullKey.indexOf('.');
    const ns = fullKey.slice(0, dot);
    const key = fullKey.slice(dot + 1);
    const mine = valueAt(locale.resources[ns], key);
    // A list (tlist) counts text by text.
    for (const sub of typeof mine === 'string' ? [''] : flattenKeys(mine)) {
      const path = sub ? `${key}.${sub}` : key;
      const a = valueAt(locale.resources[ns], path);
      const b = valueAt(reference.resources[ns], path);
      // Short labels say little about length (and CJK runs shorter by nature).
      if (typeof a === 'string' && typeof b === 'string' && b.length >= 20) pairs.push({ key: `${ns}.${path}`, ns, mine: [...a].length, theirs: [...b].length });
    }
  }
  if (pairs.length === 0) return null;
  const ratios = pairs.map((p) => p.mine / p.theirs).sort((x, y) => x - y);
  const usual = ratios[Math.floor(ratios.length / 2)]!;
  let worst = pairs[0]!;
  for (const p of pairs) if (p.mine - p.theirs * usual > worst.mine - worst.theirs * usual) worst = p;
  const times = worst.mine / worst.theirs;
  if (times < usual * 1.3) return null;
  return { key: worst.key, file: locale.files[worst.ns] ?? `locales/${locale.code}/${worst.ns}.json`, times: Math.round(times * 10) / 10, usual: Math.round(usual * 10) / 10 };
}
