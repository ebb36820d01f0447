import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDate, Workspace } from '../../src/batch/workspace.js';
import { createNodeIo } from '../../src/io/node-io.js';
import { cli, fold, pdfText, ROOT, tempProject, write } from '../helpers.js';

const SENTENCE = 'Մերսումը օգնում է երեխային հանգստանալ։';

/** A locale whose every key (of the English source) holds one sentence of its language. */
function oneSentenceLocale(dir: string, code: string, sentence: string, meta: { name: string; englishName: string; script: string }): void {
  // Keep interpolation placeholders ({{number}}) so the templates' values still land.
  const text = (v: string) => [sentence, ...(v.match(/\{\{\w+\}\}/g) ?? [])].join(' ');
  const fill = (v: unknown): unknown =>
    typeof v === 'string' ? text(v) : Array.isArray(v) ? v.map(fill) : Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, fill(x)]));
  for (const ns of ['benefits', 'handout', 'common']) {
    const en = JSON.parse(fs.readFileSync(path.join(ROOT, 'locales/en', `${ns}.json`), 'utf8'));
    write(dir, `locales/${code}/${ns}.json`, JSON.stringify(fill(en), null, 2));
  }
  write(dir, `locales/${code}/locale.json`, JSON.stringify({
    ...meta, dir: 'ltr',
    translation: { source: false, producedBy: 'test fixture', reviewedByNativeSpeaker: false },
  }));
}

const armenianLocale = (dir: string) => oneSentenceLocale(dir, 'hy', SENTENCE, { name: 'Հայերեն', englishName: 'Armenian', script: 'Armn' });

describe('adding a language whose script the project does not ship', () => {
  it('fails before painting, naming locale, key, character, code point and script', async () => {
    const dir = tempProject(['en']);
    armenianLocale(dir);
    const r = await cli(['build', '--root', dir, '-l', 'hy', '-t', 'flyer', '-b', 'default']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/locales\/hy\/benefits\.json:2: locale "hy", key "benefits\.title": no font covers "Մ" \(U\+0544, script Armenian\) — add a font for Armenian to fonts\//);
    expect(fs.existsSync(path.join(dir, 'output/default/hy/flyer.pdf'))).toBe(false);
    // `list`, where a translator looks for what is left to do, says so too (it had shown the
    // locale as fine), and exits 1.
    const list = await cli(['list', '--root', dir]);
    expect(list.code).toBe(1);
    expect(list.stdout).toMatch(/hy\s+Հայերեն\s+Armenian\s+Armn ltr\s+locale "hy", key "benefits\.title": no font covers "Մ" \(U\+0544, script Armenian\)/);
  });

  it('builds with no code change once a font file is dropped into fonts/', async () => {
    const dir = tempProject(['en']);
    armenianLocale(dir);
    fs.copyFileSync(path.join(ROOT, 'tests/fixtures/fonts/NotoSansArmenian-Regular.ttf'), path.join(dir, 'fonts/NotoSansArmenian-Regular.ttf'));
    const r = await cli(['build', '--root', dir, '-l', 'hy', '-b', 'default']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const t of ['flyer', 'class-handout']) {
      const text = fold(await pdfText(fs.readFileSync(path.join(dir, `output/default/hy/${t}.pdf`))));
      expect(text).toContain(fold(SENTENCE));
    }
    let list = await cli(['list', '--root', dir]);
    expect(list.stdout).toMatch(/hy\s+Հայերեն\s+Armenian\s+Armn ltr\s+not yet reviewed by a native speaker$/m);
    // A language this system has no date names for: its class handouts would be refused.
    oneSentenceLocale(dir, 'ny', 'Kusisita mwana kumathandiza kuti agone bwino komanso asangalale.', { name: 'Chichewa', englishName: 'Chichewa', script: 'Latn' });
    list = await cli(['list', '--root', dir]);
    expect(list.stdout).toMatch(/ny\s+Chichewa\s+Chichewa\s+Latn ltr\s+a class handout's dates would be written in English: this system has no date names for "ny"; give them in locale\.json's "dates"$/m);
  });

});

describe('a script whose letters are drawn in another order than typed', () => {
  it('draws Myanmar in its written order, and the CLI shapes as the library does', async () => {
    // Reordered (ေ and ြ go before their consonant), stacked and kinzi syllables.
    // Words that need each fontkit mend: ကြိုး (a backtrack rule), တွေ့ကြုံ (a glyph multiplied in context).
    const burmese = 'ကလေးနှိပ်နယ်ခြင်းသည် မိဘနှင့် ကလေးကြား ဆက်ဆံရေးကို ခိုင်မာစေသည်။ အင်္ဂလိပ် ကမ္ဘာ ကြိုး တွေ့ကြုံ';
    const dir = tempProject(['en', 'bn', 'ne']);
    oneSentenceLocale(dir, 'my', burmese, { name: 'မြန်မာ', englishName: 'Burmese', script: 'Mymr' });
    const r = await cli(['build', '--root', dir, '-t', 'flyer', '-l', 'my,bn,ne', '-b', 'default']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Extractors get the typed order back (the glyphs are drawn in another one).
    expect(fold(await pdfText(fs.readFileSync(path.join(dir, 'output/default/my/flyer.pdf'))))).toContain(fold(burmese));
    // The unit tests compare the library's glyphs with HarfBuzz's; the bundled CLI must give the
    // same bytes, so the fontkit mends and the Myanmar order are in force there too.
    const ws = new Workspace(createNodeIo(dir));
    for (const locale of ['my', 'bn', 'ne']) {
      const built = await ws.build({ template: 'flyer', locale, brand: 'default', data: null, set: {}, print: {}, output: 'x.pdf' }, buildDate());
      expect(Buffer.from(built.pdf).equals(fs.readFileSync(path.join(dir, `output/default/${locale}/flyer.pdf`)))).toBe(true);
    }
  });
});
