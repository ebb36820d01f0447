import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, fold, pdfText, ROOT, tempProject, write } from '../helpers.js';

const SENTENCE = 'Մերսումը օգնում է երեխային հանգստանալ։';

/** A locale of only Armenian text: every key of the English source, in Armenian. */
function armenianLocale(dir: string): void {
  // Keep interpolation placeholders ({{number}}) so the templates' values still land.
  const text = (v: string) => [SENTENCE, ...(v.match(/\{\{\w+\}\}/g) ?? [])].join(' ');
  const fill = (v: unknown): unknown =>
    typeof v === 'string' ? text(v) : Array.isArray(v) ? v.map(fill) : Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, fill(x)]));
  for (const ns of ['benefits', 'handout', 'common']) {
    const en = JSON.parse(fs.readFileSync(path.join(ROOT, 'locales/en', `${ns}.json`), 'utf8'));
    write(dir, `locales/hy/${ns}.json`, JSON.stringify(fill(en), null, 2));
  }
  write(dir, 'locales/hy/locale.json', JSON.stringify({
    name: 'Հայերեն', englishName: 'Armenian', dir: 'ltr', script: 'Armn',
    translation: { source: false, producedBy: 'test fixture', reviewedByNativeSpeaker: false },
  }));
}

describe('adding a language whose script the project does not ship', () => {
  it('fails before painting, naming locale, key, character, code point and script', async () => {
    const dir = tempProject(['en']);
    armenianLocale(dir);
    const r = await cli(['build', '--root', dir, '-l', 'hy', '-t', 'flyer', '-b', 'default']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/locales\/hy\/benefits\.json: locale "hy", key "benefits\.title": no font covers "Մ" \(U\+0544, script Armenian\) — add a font for Armenian to fonts\//);
    expect(fs.existsSync(path.join(dir, 'output/default/hy/flyer.pdf'))).toBe(false);
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
    const list = await cli(['list', '--root', dir]);
    expect(list.stdout).toMatch(/hy\s+Հայերեն\s+Armenian\s+Armn ltr/);
  });
});
