import Handlebars from 'handlebars';
import { z } from 'zod';
import { closest, unknownName } from '../config/schema-issue.js';
import { validateYaml } from '../config/yaml-file.js';
import { flattenKeys, REFERENCE_LOCALE } from '../i18n/locales.js';
import type { Io } from '../io/io.js';
import { HandoutError, lineAt } from '../model/diagnostic.js';
import type { SourcePos } from '../model/doc-tree.js';
import { own } from '../model/own.js';
import { checkHelperCalls } from './helper-check.js';
import { registerHelpers, type HelperContext } from './helpers.js';
import { markSources } from './source-marks.js';
import type { LineMapper } from '../markup/parse.js';

const DIR = 'templates';
const PARTIALS = `${DIR}/partials`;

const frontSchema = z
  .object({
    description: z.string(),
    pages: z.number().int().min(1).optional(),
    /** How far type may grow to fill the pages when a translation runs short (1.15 = 115%). */
    grow: z.number().min(1).max(1.5).optional(),
    needs: z.array(z.string()).default([]),
    optional: z.array(z.string()).default([]),
    /** Values that must be numbers, within bounds: a class of -30 minutes ended before it began. */
    numbers: z.record(z.string(), z.object({ min: z.number().optional(), max: z.number().optional() }).strict()).default({}),
    sample: z.string().optional(),
  })
  .strict()
  .superRefine((front, ctx) => {
    if (front.grow !== undefined && front.pages === undefined) ctx.addIssue({ code: 'custom', path: ['grow'], message: 'type grows to fill the pages a template may take: give pages too' });
    for (const key of Object.keys(front.numbers)) {
      if (!front.needs.includes(key) && !front.optional.includes(key)) ctx.addIssue({ code: 'custom', path: ['numbers', key], message: `"${key}" is not in needs or optional: declare it there too` });
    }
  });

export interface TemplateInfo {
  name: string;
  file: string;
  description: string;
  /** Most pages the content may take; more is an overflow error. */
  pages?: number;
  /** Largest type scale used to fill the pages when the content leaves room. */
  grow?: number;
  /** Data fields the template uses (shown by `handout list`). */
  needs: string[];
  /** Data fields the template prints when the data has them. */
  optional: string[];
  /** Declared fields that must be numbers, with their bounds. */
  numbers: Record<string, { min?: number; max?: number }>;
  /** Data file used when a job gives none. */
  sample?: string;
}

export interface CompiledTemplate extends TemplateInfo {
  /**
   * The translation namespaces the template and the partials can ask for (`benefits` of
   * {{t "benefits.title"}}), or null when a key is computed: a locale needs these complete.
   */
  namespaces: ReadonlySet<string> | null;
  render(context: object, helpers: HelperContext): string;
  /** Maps a place of rendered markup back to the template or partial line that wrote it (see LineMapper). */
  locate: LineMapper;
}

export function listTemplates(io: Io): string[] {
  return io.list(DIR).filter((f) => f.endsWith('.hbs')).map((f) => f.slice(0, -4));
}

const FRONT = /^(\{\{!--\s*handout\s*\n)([\s\S]*?)--\}\}\s*\n?/;

export function readTemplateInfo(io: Io, name: string): TemplateInfo {
  const file = `${DIR}/${name}.hbs`;
  if (!io.exists(file)) {
    throw new HandoutError('unknown-template', unknownName('template', name, listTemplates(io)), { file });
  }
  const source = io.readText(file);
  const m = FRONT.exec(source);
  if (!m) return { name, file, description: '', needs: [], optional: [], numbers: {} };
  // The YAML starts after "{{!-- handout" and any blank lines below it.
  const lineOffset = m[1]!.split('\n').length - 1;
  const front = validateYaml(m[2]!, frontSchema, { file, code: 'template-syntax', lineOffset, field: 'front matter field', whenEmpty: {} });
  return { name, file, ...front };
}

/**
 * Whether a template may read the job's data (itself or any partial mentions `data`, or looks
 * values up by name): a `--set` for templates that read none would be printed nowhere. One that
 * does not parse counts as reading it; its build names the syntax error.
 */
export function templateReadsData(io: Io, name: string): boolean {
  const partials = io.list(PARTIALS).filter((f) => f.endsWith('.hbs')).map((f) => `${PARTIALS}/${f}`);
  return [`${DIR}/${name}.hbs`, ...partials].some((file) => {
    try {
      return mentionsData(Handlebars.parse(io.readText(file)));
    } catch {
      return true;
    }
  });
}

/** The helpers whose first argument is a translation key. */
const KEYED = new Set(['t', 'tlist', 'timeRange']);

/** Adds the namespaces of the keys a syntax tree asks for; false when one is not a literal. */
function keyNamespaces(value: unknown, into: Set<string>): boolean {
  if (Array.isArray(value)) return value.every((v) => keyNamespaces(v, into));
  if (value === null || typeof value !== 'object') return true;
  const node = value as { type?: string; path?: { original?: string }; params?: { type: string; value?: unknown }[] };
  if ((node.type === 'MustacheStatement' || node.type === 'SubExpression' || node.type === 'BlockStatement') && KEYED.has(node.path?.original ?? '')) {
    const key = node.params?.[0];
    if (key?.type !== 'StringLiteral') return false;
    into.add(String(key.value).split('.')[0]!);
  }
  return Object.entries(node).every(([k, v]) => k === 'loc' || keyNamespaces(v, into));
}

function mentionsData(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(mentionsData);
  if (value === null || typeof value !== 'object') return false;
  const node = value as { type?: string; parts?: string[]; data?: boolean };
  if (node.type === 'PathExpression') {
    const [first, second] = node.parts ?? [];
    if (first === 'data' || first === 'lookup' || (node.data && first === 'root' && second === 'data')) return true;
  }
  return Object.entries(node).some(([k, v]) => k !== 'loc' && mentionsData(v));
}

/** Handlebars' grammar tokens in a parse error, as a template author knows them. */
const TOKENS: Record<string, string> = {
  EOF: 'the end of the file',
  OPEN_ENDBLOCK: '{{/…}}',
  OPEN_INVERSE_CHAIN: '{{else …}}',
  INVERSE: '{{else}}',
  CLOSE: '}}',
  CLOSE_RAW_BLOCK: '}}',
  CLOSE_UNESCAPED: '}}',
  OPEN_SEXPR: '(',
  CLOSE_SEXPR: ')',
  ID: 'a name',
  STRING: 'a string',
  NUMBER: 'a number',
  BOOLEAN: 'true or false',
  DATA: '@name',
  EQUALS: '=',
  INVALID: 'a character Handlebars does not expect',
};

/**
 * Handlebars' parse errors span four lines of grammar ("Expecting 'OPEN_INVERSE_CHAIN',
 * 'INVERSE', 'OPEN_ENDBLOCK', got 'EOF'"); the first, all a one-line message kept, said
 * nothing. A block left open is named with the line it opens on; otherwise the message says
 * what was expected and what came, in template terms.
 */
export function syntaxMessage(message: string, source: string): string {
  const got = /got '(\w+)'/.exec(message)?.[1];
  if (got === 'EOF') {
    const open = unclosedBlock(source);
    if (open) return `{{#${open.name}}} opened on line ${open.line} is not closed: add {{/${open.name}}}`;
  }
  if (message.startsWith('Lexical error')) {
    // A {{!-- comment whose --}} went missing (a front matter's closing, say) swallows the rest.
    const comment = /\{\{!--(?![\s\S]*?--\}\})/.exec(source);
    if (comment) return `the comment {{!-- opened on line ${lineAt(source, comment.index)} is not closed: end it with --}}`;
  }
  const mismatch = /^(\S+) doesn't match (\S+)/.exec(message);
  if (mismatch) return `{{/${mismatch[2]}}} cannot close {{#${mismatch[1]}}}: close it with {{/${mismatch[1]}}} first`;
  const expected = /Expecting (.*), got/.exec(message)?.[1]?.match(/'(\w+)'/g)?.map((t) => TOKENS[t.slice(1, -1)] ?? t.slice(1, -1).toLowerCase());
  if (got && expected) {
    const found = TOKENS[got] ?? got.toLowerCase();
    // Most often an expression missing its closing braces: the parser would accept many things.
    if (expected.includes('}}')) return `a {{…}} expression is not closed with }} (found ${found})`;
    return `expected ${[...new Set(expected)].slice(0, 3).join(' or ')} but found ${found}`;
  }
  return message.split('\n')[0]!.replace(/ - \d+:\d+$/, '');
}

/** The innermost block ({{#if}}, {{#each}}, {{^unless}} …) still open at the end of the source. */
function unclosedBlock(source: string): { name: string; line: number } | null {
  // Comments may hold braces; they are blanked out, keeping their line breaks.
  const text = source.replace(/\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}/g, (c) => c.replace(/[^\n]/g, ' '));
  const open: { name: string; line: number }[] = [];
  for (const m of text.matchAll(/\{\{~?\s*([#^/])\s*\*?\s*([\w.-]+)/g)) {
    const line = lineAt(text, m.index);
    if (m[1] === '/') open.pop();
    else open.push({ name: m[2]!, line });
  }
  return open.at(-1) ?? null;
}

/** Line number of a Handlebars error ("Parse error on line 5", "- 12:4"). */
function errorLine(message: string): number | undefined {
  const m = /on line (\d+)/.exec(message) ?? /- (\d+):\d+/.exec(message);
  return m ? Number(m[1]) : undefined;
}

/**
 * One Handlebars environment per project: partials from `templates/partials`, the helpers,
 * strict mode (a value the template uses but the data lacks is an error), compiled once.
 */
export class TemplateEnvironment {
  private readonly hb = Handlebars.create();
  private readonly cache = new Map<string, CompiledTemplate>();
  private readonly sources = new Map<string, string>();
  private readonly located = new Map<string, number[]>();
  private current: HelperContext | null = null;
  private readonly brokenPartials = new Map<string, HandoutError>();
  /** The namespaces each partial asks for (null: a computed key). */
  private readonly partialNamespaces = new Map<string, Set<string> | null>();

  constructor(private readonly io: Io) {
    registerHelpers(this.hb, () => {
      if (!this.current) throw new Error('helper called outside a render');
      return this.current;
    });
    for (const f of io.list(PARTIALS)) {
      if (!f.endsWith('.hbs')) continue;
      const path = `${PARTIALS}/${f}`;
      const src = io.readText(path);
      this.sources.set(path, src);
      // Parsed now (Handlebars compiles on first use), so a partial's mistakes name its line;
      // they fail the templates that use the partial, not every build.
      let ast: ReturnType<typeof Handlebars.parse>;
      try {
        ast = this.parse(src, path);
      } catch (e) {
        if (!(e instanceof HandoutError)) throw e;
        this.brokenPartials.set(f.slice(0, -4), e);
        continue;
      }
      const namespaces = new Set<string>();
      this.partialNamespaces.set(f.slice(0, -4), keyNamespaces(ast, namespaces) ? namespaces : null);
      this.hb.registerPartial(f.slice(0, -4), this.hb.compile(markSources(ast, path), { strict: true, noEscape: false }));
    }
  }

  /** The source's syntax tree, its helper calls checked; a syntax error names the file and line. */
  private parse(source: string, file: string): ReturnType<typeof Handlebars.parse> {
    let ast: ReturnType<typeof Handlebars.parse>;
    try {
      ast = this.hb.parse(source);
    } catch (e) {
      throw new HandoutError('template-syntax', syntaxMessage((e as Error).message, source), { file, line: errorLine((e as Error).message) });
    }
    checkHelperCalls(ast, Object.keys(this.hb.helpers), file);
    return ast;
  }

  get(name: string): CompiledTemplate {
    const hit = this.cache.get(name);
    if (hit) return hit;
    const info = readTemplateInfo(this.io, name);
    const source = this.io.readText(info.file);
    this.sources.set(info.file, source);
    this.located.clear();
    // Parsed once: syntax and helper calls are checked with the file and line.
    const ast = this.parse(source, info.file);
    let fn: Handlebars.TemplateDelegate;
    try {
      fn = this.hb.compile(markSources(ast, info.file), { strict: true });
      // Compile eagerly so what Handlebars finds only while compiling surfaces here, not mid-batch.
      this.hb.precompile(ast, { strict: true });
    } catch (e) {
      throw new HandoutError('template-syntax', syntaxMessage((e as Error).message, source), { file: info.file, line: errorLine((e as Error).message) });
    }
    // The namespaces of the partials it uses (all, where it names one by an expression): a
    // new text in a partial the template does not use is no reason to refuse a locale for it.
    const used = this.checkPartials(info.file, source);
    let namespaces: Set<string> | null = new Set();
    if (!keyNamespaces(ast, namespaces)) namespaces = null;
    for (const name of used ?? this.partialNamespaces.keys()) {
      const ns = this.partialNamespaces.get(name);
      if (ns === null) namespaces = null;
      else if (ns) for (const n of ns) namespaces?.add(n);
    }
    const compiled: CompiledTemplate = {
      ...info,
      namespaces,
      render: (context, helpers) => {
        this.current = helpers;
        try {
          return fn(context);
        } catch (e) {
          // Every locale has every key of the reference in the namespaces the template asks
          // for (checked before it renders), so a key missing here is missing from all of
          // them: the template names a key that does not exist, and its line is where to look.
          if (e instanceof HandoutError && e.code === 'missing-translation' && e.where.key) {
            const at = this.locateKey(info.file, e.where.key);
            const ns = e.where.key.split('.')[0];
            const keys = Object.entries(helpers.locale.resources).flatMap(([n, res]) => flattenKeys(res).map((k) => `${n}.${k}`));
            const near = closest(e.where.key, keys);
            const meant = near ? ` (did you mean "${near}"?)` : '';
            if (at.line > 0) throw new HandoutError('missing-translation', `no translation has the key "${e.where.key}": it is misspelt here${meant}, or add it to locales/${REFERENCE_LOCALE}/${ns}.json and the other locales`, { ...at, key: e.where.key });
          }
          // A template's own mistake with a key (a plural text without its count) is at its line.
          if (e instanceof HandoutError && e.where.key && !e.where.file) {
            // Of a plural text asked for without its count, the call that lacks it.
            const at = this.locateKey(info.file, e.where.key, e.message.includes('give it count=') ? (args) => !/\bcount\s*=/.test(args) : undefined);
            throw new HandoutError(e.code, e.message, { ...(at.line > 0 ? at : { file: info.file }), key: e.where.key });
          }
          if (e instanceof HandoutError) throw e;
          const msg = (e as Error).message;
          const partial = /partial (\S+) could not be found/.exec(msg);
          const code = partial ? 'template-syntax' : 'template-data';
          // Handlebars says '"name" not defined in [object Object] - 23:63'; a helper's argument
          // under a missing value fails as JavaScript does ("Cannot read properties of undefined").
          const missing = /^"(.+)" not defined in .* - (\d+):(\d+)$/.exec(msg);
          const brandFields = Object.keys((context as { brand?: object }).brand ?? {});
          const said = missing ? this.missingValue(info.file, missing[1]!, Number(missing[2]), Number(missing[3]), brandFields) : null;
          if (said) throw new HandoutError(code, said.message, { file: said.file, line: Number(missing![2]) });
          const text = msg
            .replace(/ in (\[object Object\]|undefined|null)/, '')
            .replace(/ - \d+:\d+$/, '')
            .replace(/^"(.+)" not defined/, 'the data has no value "$1"')
            .replace(/^Cannot read properties of (undefined|null) \(reading '(.+)'\)$/, 'the data has no value to read "$2" from');
          throw new HandoutError(code, text, { file: info.file, line: errorLine(msg) });
        } finally {
          this.current = null;
        }
      },
      locate: (line, hint, file) => this.locate(file ?? info.file, line, hint),
    };
    this.cache.set(name, compiled);
    return compiled;
  }

  /**
   * A partial that does not exist fails at render time in Handlebars, without a line: here it
   * fails with one. Returns the partials the source uses, in turn theirs too; null where one is
   * named by an expression (`{{> (lookup …)}}`), which could be any.
   */
  private checkPartials(file: string, source: string, seen = new Set<string>()): Set<string> | null {
    let known = !/\{\{~?#?>\s*\(/.test(source);
    // Inline partials ({{#*inline "name"}}) are defined by the template itself.
    const inline = new Set([...source.matchAll(/\{\{~?#\*inline\s+["']([^"']+)["']/g)].map((m) => m[1]));
    for (const m of source.matchAll(/\{\{~?#?>\s*([\w./-]+)/g)) {
      const broken = this.brokenPartials.get(m[1]!);
      if (broken) throw broken;
      if (inline.has(m[1]!)) continue;
      if (own(this.hb.partials, m[1]!) !== undefined) {
        // The partials it uses, in turn.
        const path = `${PARTIALS}/${m[1]}.hbs`;
        if (!seen.has(m[1]!) && this.sources.has(path)) {
          seen.add(m[1]!);
          if (this.checkPartials(path, this.sources.get(path)!, seen) === null) known = false;
        }
        continue;
      }
      const names = Object.keys(this.hb.partials).sort().join(', ');
      throw new HandoutError('template-syntax', `{{> ${m[1]}}}: no partial ${PARTIALS}/${m[1]}.hbs (known: ${names || 'none'})`, { file, line: lineAt(source, m.index) });
    }
    return known ? seen : null;
  }

  /** The template's source, then the partials': where a message about it looks first. */
  private templateFirst(file: string): string[] {
    return [file, ...[...this.sources.keys()].filter((f) => f !== file)];
  }

  /**
   * The line of a call of a translation key ("key" or 'key') by a helper that takes one (KEYED),
   * in the template or else a partial: the first, or the first whose arguments `wrong` picks out.
   */
  private locateKey(file: string, key: string, wrong?: (args: string) => boolean): SourcePos {
    const call = new RegExp(`\\b(?:${[...KEYED].join('|')})\\s+(["'])${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\1([^}]*)`, 'g');
    for (const f of this.templateFirst(file)) {
      const source = this.sources.get(f)!;
      const m = [...source.matchAll(call)].find((c) => !wrong || wrong(c[2]!));
      if (m) return { file: f, line: lineAt(source, m.index) };
    }
    return { file, line: 0 };
  }

  /**
   * A value strict mode found missing, named by the whole path the template wrote at that line
   * and column (Handlebars names its last part only: "logoo", "address"): the brand's fields
   * with the one likely meant, or the data's with the {{#if}} an optional value needs.
   */
  private missingValue(file: string, name: string, line: number, column: number, brandFields: string[]): { file: string; message: string } | null {
    for (const f of this.templateFirst(file)) {
      const text = this.sources.get(f)?.split('\n')[line - 1];
      if (text === undefined) continue;
      const path = [...text.matchAll(/[@\w.]+(?:\/[\w.]+)*/g)].find((m) => m.index! <= column + name.length && m.index! + m[0].length >= column && m[0].split(/[./]/).includes(name))?.[0];
      if (!path) continue;
      const [root, ...rest] = path.replace(/^(\.\.\/)+/, '').split('.');
      if (root === 'brand') {
        const near = rest.length === 1 ? closest(rest[0]!, brandFields) : null;
        return { file: f, message: `the brand has no value "${path}"${near ? `; did you mean "brand.${near}"?` : ''}` };
      }
      if (root === 'data') return { file: f, message: `the data has no value "${rest.join('.')}": give it in the data or, where it may be left out, ask for it with {{#if ${path}}} first` };
      return null;
    }
    return null;
  }

  /**
   * The line of `file` with the tag (`hint`) nearest the line the marked elements before it
   * give (see markup/parse.ts), as loops and stripped lines shift what follows them; failing
   * the tag, that line itself.
   */
  private locate(file: string, line: number, hint: string): SourcePos {
    if (hint) {
      const key = `${file}\u0000${hint}`;
      let lines = this.located.get(key);
      if (lines === undefined) {
        lines = (this.sources.get(file) ?? '').split('\n').flatMap((l, i) => (l.includes(hint) ? [i + 1] : []));
        this.located.set(key, lines);
      }
      if (lines.length > 0) return { file, line: lines.reduce((best, l) => (Math.abs(l - line) < Math.abs(best - line) ? l : best)) };
    }
    return { file, line };
  }
}
