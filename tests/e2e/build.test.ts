import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLocales, loadLocale } from '../../src/i18n/locales.js';
import { createNodeIo } from '../../src/io/node-io.js';
import { formatDate } from '../../src/template/helpers.js';
import stringWidth from '../../src/cli/string-width.js';
import { cli, fold, pdfText, ROOT } from '../helpers.js';
import { hasTool } from '../pdf-inspect.js';

const io = createNodeIo(ROOT);
const locales = listLocales(io);
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'handout-e2e-'));
const texts = new Map<string, string>();
let build: Awaited<ReturnType<typeof cli>>;

const json = (l: string, ns: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'locales', l, `${ns}.json`), 'utf8'));

/** Sentences of a text, whatever the script's full stop. */
const sentences = (s: string) => s.split(/(?<=[.。।۔؟!?።။])\s*/u).filter((x) => x.trim().length > 12);

/**
 * Where pdf.js (inside pdf-parse) is known to misread correct PDFs: it classifies some
 * Arabic-script letters (U+0654, U+06BA) with an old bidi table, loses letters next to a
 * zero-width non-joiner, and drops Bengali split vowels (U+09CB, U+09CC). Only for text with
 * these characters does pdftotext (poppler) decide, and only when pdf-parse misses it.
 */
const PDFJS_WEAK_SPOTS = /[\u0654\u06ba\u200c\u09cb\u09cc]/u;

/** poppler-utils is a second opinion: CI installs it (.ci/run); without it those checks are skipped. */
const hasPoppler = hasTool('pdftotext');

const popplerText = new Map<string, string>();
function poppler(l: string, template: string): string {
  const key = `${l}/${template}`;
  if (!popplerText.has(key)) popplerText.set(key, fold(execFileSync('pdftotext', [path.join(out, 'default', l, `${template}.pdf`), '-'], { encoding: 'utf8' })));
  return popplerText.get(key)!;
}

/** Whether the text is in the PDF; undefined when only poppler could tell and it is not installed. */
function found(l: string, template: string, s: string): boolean | undefined {
  if (texts.get(`${l}/${template}`)!.includes(fold(s))) return true;
  if (!PDFJS_WEAK_SPOTS.test(s)) return false;
  return hasPoppler ? poppler(l, template).includes(fold(s)) : undefined;
}

const unverified: string[] = [];

function expectIn(l: string, template: string, s: string): void {
  const hit = found(l, template, s);
  if (hit === undefined) unverified.push(`${l}/${template}: "${s}"`);
  else expect(hit, `"${s}" in ${l}/${template}.pdf`).toBe(true);
}

/** At least one whole sentence of the body text, in reading order. */
function expectSentence(l: string, template: string, body: string[]): void {
  const all = body.flatMap(sentences);
  const results = all.map((s) => found(l, template, s));
  if (results.includes(true)) return;
  if (results.includes(undefined)) unverified.push(`${l}/${template}: a whole sentence`);
  else expect.fail(`no whole sentence of ${l}/${template}.pdf found; tried ${all.length}`);
}

afterAll(() => {
  if (unverified.length) console.warn(`pdftotext is not installed: ${unverified.length} check(s) only poppler can make were skipped (apt-get install poppler-utils):\n  ${unverified.join('\n  ')}`);
});

beforeAll(async () => {
  build = await cli(['build', '--quiet', '--out', out], ROOT);
  for (const l of locales) {
    for (const t of ['flyer', 'class-handout']) {
      const file = path.join(out, 'default', l, `${t}.pdf`);
      if (fs.existsSync(file)) texts.set(`${l}/${t}`, fold(await pdfText(fs.readFileSync(file))));
    }
  }
}, 300_000);

describe('handout build (every template × locale × brand)', () => {
  it('builds every job and exits 0', () => {
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
    expect(build.stdout).toMatch(new RegExp(`^${locales.length * 4} built, 0 up to date, 0 failed`, "m"));
    for (const brand of ['default', 'sunrise-clinic']) {
      for (const l of locales) {
        for (const t of ['flyer', 'class-handout']) expect(fs.existsSync(path.join(out, brand, l, `${t}.pdf`))).toBe(true);
      }
    }
  });

  it.each(locales)('%s: flyer and handout carry title, the four benefit areas, a sentence, the brand and its contact', (l) => {
    const b = json(l, 'benefits');
    const h = json(l, 'handout');
    const areas = Object.values(b.areas as Record<string, { title: string; body: string }>);
    const titles = areas.map((a) => a.title);
    for (const s of [b.title, ...titles, 'Infant Massage Class', '+1 555 0100', 'hello@example.org', 'www.iaim.net']) expectIn(l, 'flyer', s);
    expectSentence(l, 'flyer', [b.intro, ...areas.map((a) => a.body)]);
    for (const s of [h.courseTitle, ...titles, 'Maria Lopez', 'maria.lopez@example.org']) expectIn(l, 'class-handout', s);
    expectSentence(l, 'class-handout', [h.welcome, ...areas.map((a) => a.body)]);
  });

  it.each(locales)('%s: class dates are written in the locale’s own format', (l) => {
    const dates = loadLocale(io, l).meta.dates;
    for (const d of ['2026-12-01T10:00', '2027-01-05T10:00']) expectIn(l, 'class-handout', formatDate(l, d, 'long', dates));
  });

  it('writes a label\'s colon as the language does: French with a thin space before it, Chinese and Japanese full-width with no space after', async () => {
    const raw = async (l: string, t: string) => (await pdfText(fs.readFileSync(path.join(out, 'default', l, `${t}.pdf`)))).replace(/\s*\n\s*/g, '\n');
    expect(await raw('en', 'flyer')).toContain('Phone: +1 555 0100');
    // The thin no-break space (U+202F) comes out of pdf-parse as a space.
    expect(await raw('fr', 'flyer')).toMatch(/Téléphone[\u202f ]: \+1 555 0100/);
    expect(await raw('fr', 'class-handout')).toMatch(/E-mail[\u202f ]: maria\.lopez@example\.org/);
    // Were "电话: +1 555 0100" and "信息： www.iaim.net", a gap of one and a half characters.
    const zh = await raw('zh-Hans', 'flyer');
    expect(zh).toContain('电话：+1 555 0100');
    expect(zh).toMatch(/信息：\n?www\.iaim\.net/);
    expect(await raw('ja', 'class-handout')).toContain('メール：maria.lopez@example.org');
  });

  it('sets each class date with its time on one line, two-digit days too (the dates box is the wider)', async () => {
    for (const [l, date] of [['en', 'Tuesday, December 15, 2026,'], ['pt-BR', 'terça-feira, 22 de dezembro de 2026,'], ['so', 'Talaado, Diseembar 15, 2026,']]) {
      const raw = await pdfText(fs.readFileSync(path.join(out, 'default', l!, 'class-handout.pdf')));
      expect(raw, l).toMatch(new RegExp(`${date!.replace(/[.,]/g, '\\$&')} 10:00[^\\n]*11:00`));
    }
  });

  it('writes a day period the class\'s start and end share once, as the language does', async () => {
    const raw = async (l: string) => (await pdfText(fs.readFileSync(path.join(out, 'default', l, 'class-handout.pdf')))).replace(/[\u00a0\u202f]/g, ' ');
    const en = await raw('en');
    expect(en.match(/10:00 – 11:00 AM/g)).toHaveLength(5);
    expect(en).not.toContain('10:00 AM');
    const zh = await raw('zh-Hant');
    expect(zh.match(/上午10:00 – 11:00/g)).toHaveLength(5);
    expect(zh).not.toMatch(/– 上午/);
  });

  it('writes the dates of en, es and fr as people there write them', () => {
    expect(texts.get('en/class-handout')).toContain(fold('Tuesday, December 1, 2026'));
    expect(texts.get('es/class-handout')).toContain(fold('martes, 1 de diciembre de 2026'));
    // The first of the month as French writes it (ICU gives "1").
    expect(texts.get('fr/class-handout')).toContain(fold('mardi 1er décembre 2026'));
    expect(texts.get('fr/class-handout')).toContain(fold('mardi 8 décembre 2026'));
  });

  it.skipIf(!hasPoppler).each(['ar', 'he', 'hi', 'zh-Hans'])('%s: the same check passes with poppler’s pdftotext', (l) => {
    const b = json(l, 'benefits');
    const flyer = poppler(l, 'flyer');
    for (const s of [b.title, ...Object.values(b.areas as Record<string, { title: string }>).map((a) => a.title)]) expect(flyer).toContain(fold(s));
    const all = [b.intro, ...Object.values(b.areas as Record<string, { body: string }>).map((a) => a.body)].flatMap(sentences);
    expect(all.filter((s) => flyer.includes(fold(s))).length).toBeGreaterThan(0);
  });

  it('lists every locale in columns a terminal shows aligned, CJK names two columns a character', async () => {
    const r = await cli(['list', '--root', ROOT]);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^ {2}(ja|ko|zh-Hant|en|pt-BR|ar)\s/.test(l));
    expect(rows).toHaveLength(6);
    // Where the English name starts, in terminal columns, is the same on every row (for en it
    // is the second "English").
    const column = (row: string) => stringWidth(row.slice(0, Math.max(...['Japanese', 'Korean', 'Chinese', 'English', 'Portuguese', 'Arabic'].map((n) => row.lastIndexOf(`${n} `)))));
    expect(new Set(rows.map(column)).size).toBe(1);
  });

  it('marks the PDFs with title, author and language', async () => {
    const pdf = fs.readFileSync(path.join(out, 'sunrise-clinic', 'ar', 'flyer.pdf')).toString('latin1');
    expect(pdf).toMatch(/\/Lang \(ar\)/);
    expect(pdf).toMatch(/\/DisplayDocTitle true/);
    expect(pdf).toMatch(/\/Author \d+ 0 R|\/Author \(Sunrise Family Clinic\)/);
    const en = loadLocale(io, 'en');
    expect(en.meta.dir).toBe('ltr');
  });

  it('says in the PDF\'s subject that a translation is not yet reviewed by a native speaker, and nothing of the English source', async () => {
    const subject = async (l: string) => {
      const parser = new PDFParse({ data: new Uint8Array(fs.readFileSync(path.join(out, 'default', l, 'flyer.pdf'))) });
      try {
        return String((await parser.getInfo()).info?.Subject);
      } finally {
        await parser.destroy();
      }
    };
    expect(await subject('es')).toBe('One-page flyer on the benefits of infant massage — Spanish (es); translation not yet reviewed by a native speaker');
    expect(await subject('ar')).toMatch(/— Arabic \(ar\); translation not yet reviewed by a native speaker$/);
    expect(await subject('en')).toBe('One-page flyer on the benefits of infant massage — English (en)');
  });

  it('gives byte-identical files when built again', async () => {
    const again = fs.mkdtempSync(path.join(os.tmpdir(), 'handout-e2e-again-'));
    const r = await cli(['build', '--quiet', '--out', again, '-l', 'en,ar,hi,zh-Hans', '-b', 'sunrise-clinic'], ROOT);
    expect(r.code).toBe(0);
    for (const l of ['en', 'ar', 'hi', 'zh-Hans']) {
      for (const t of ['flyer', 'class-handout']) {
        const a = fs.readFileSync(path.join(out, 'sunrise-clinic', l, `${t}.pdf`));
        const b = fs.readFileSync(path.join(again, 'sunrise-clinic', l, `${t}.pdf`));
        expect(a.equals(b), `${l}/${t}`).toBe(true);
      }
    }
  });
});
