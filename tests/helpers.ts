import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { PDFParse } from 'pdf-parse';
import { createNodeIo } from '../src/io/node-io.js';
import { FontRegistry } from '../src/fonts/registry.js';
import type { TextStyle } from '../src/model/style.js';

export const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'bin', 'handout.js');
const run = promisify(execFile);

let registry: FontRegistry | null = null;
/** The shipped fonts, loaded once for all unit tests of a file. */
export function fonts(): FontRegistry {
  registry ??= new FontRegistry(createNodeIo(ROOT));
  return registry;
}

export function style(lang: string, over: Partial<TextStyle> = {}): TextStyle {
  return { families: [], bold: false, italic: false, size: 12, lineHeight: 1.4, color: { hex: '#000000' }, lang, ...over };
}

/** Text of a PDF as pdf-parse (pdf.js) extracts it. Our runs carry their own spaces, so no cell separator. */
export async function pdfText(data: Uint8Array): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(data) });
  try {
    const r = await parser.getText({ cellSeparator: '', pageJoiner: '' });
    return r.text;
  } finally {
    await parser.destroy();
  }
}

/**
 * Comparison form: NFKC, white space and invisible format characters (bidi marks, zero-width
 * joiners) folded away. Extractors guess word gaps from glyph positions (pdf.js splits some
 * Indic conjuncts with a space) and drop or keep joiners as they like, so the visible
 * characters and their order are what is compared.
 */
export function fold(s: string): string {
  return s.normalize('NFKC').replace(/[\s\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069]+/g, '');
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI; a run still going after `timeout` ms (a hang) is killed and comes back without exit code 0 or 1. */
export async function cli(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}, timeout = 0): Promise<CliResult> {
  try {
    const r = await run(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 32 * 1024 * 1024, timeout });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/**
 * A throw-away copy of the project (templates, brands, data, config and the named locales),
 * with the shipped fonts linked rather than copied, for tests that break or add inputs.
 */
export function tempProject(locales: string[] = ['en', 'es']): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handout-test-'));
  for (const d of ['templates', 'brands', 'data']) fs.cpSync(path.join(ROOT, d), path.join(dir, d), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'handout.config.yaml'), path.join(dir, 'handout.config.yaml'));
  for (const l of locales) fs.cpSync(path.join(ROOT, 'locales', l), path.join(dir, 'locales', l), { recursive: true });
  fs.mkdirSync(path.join(dir, 'fonts'));
  for (const f of fs.readdirSync(path.join(ROOT, 'fonts'))) fs.symlinkSync(path.join(ROOT, 'fonts', f), path.join(dir, 'fonts', f));
  return dir;
}

export function write(dir: string, file: string, content: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), content);
}

export function read(dir: string, file: string): string {
  return fs.readFileSync(path.join(dir, file), 'utf8');
}

/** Runs `fn` with a project file changed by `edit`, and puts the file back afterwards. */
export async function withEdit<T>(dir: string, file: string, edit: (content: string) => string, fn: () => Promise<T>): Promise<T> {
  const before = read(dir, file);
  write(dir, file, edit(before));
  try {
    return await fn();
  } finally {
    write(dir, file, before);
  }
}
