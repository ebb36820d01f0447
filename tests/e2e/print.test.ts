import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PDFParse } from 'pdf-parse';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, fold, pdfText, ROOT, tempProject, withEdit } from '../helpers.js';
import { hasTool, pageBoxes, streams, structureRoles } from '../pdf-inspect.js';

let dir: string;
const build = async (name: string, args: string[]) => {
  const r = await cli(['build', '--root', dir, '-q', '--force', '--out', `out-${name}`, ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return (brand: string, locale: string, template: string) => fs.readFileSync(path.join(dir, `out-${name}`, brand, locale, `${template}.pdf`));
};

beforeAll(() => {
  dir = tempProject(['en', 'ar', 'de']);
});

describe('paper', () => {
  it.each([
    ['A4', [595.28, 841.89]],
    ['Letter', [612, 792]],
    ['A5', [419.53, 595.28]],
    ['HalfLetter', [396, 612]],
    ['Legal', [612, 1008]],
  ] as const)('%s pages have the right MediaBox, portrait and landscape', async (size, [w, h]) => {
    const get = await build(`size-${size}`, ['-t', 'class-handout', '-l', 'en', '-b', 'default', '--size', size]);
    for (const p of pageBoxes(get('default', 'en', 'class-handout'))) expect(p.media).toEqual([0, 0, w, h]);
    const land = await build(`land-${size}`, ['-t', 'class-handout', '-l', 'en', '-b', 'default', '--size', size, '--orientation', 'landscape']);
    for (const p of pageBoxes(land('default', 'en', 'class-handout'))) expect(p.media).toEqual([0, 0, h, w]);
  });

  it('Letter keeps A4\'s page limit: a class a little long for two pages is fitted to them, not given a third', async () => {
    const sample = fs.readFileSync(path.join(dir, 'data/class-sample.yaml'), 'utf8');
    const start = /( {2}- start: "2026-12-01T10:00"\n)/.exec(sample)![1]!;
    const weeks = Array.from({ length: 12 }, (_, i) => start.replace('12-01', `12-${String(1 + i).padStart(2, '0')}`)).join('');
    fs.writeFileSync(path.join(dir, 'twelve.yaml'), sample.replace(start, weeks));
    const r = await cli(['build', '--root', dir, '--force', '-t', 'class-handout', '-l', 'de', '-b', 'default', '--data', 'twelve.yaml', '--size', 'Letter', '-o', 'twelve-letter.pdf']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/twelve-letter\.pdf \(2 pages, fitted to \d+%/);
  });

  it('every template fits its pages in every shipped locale and brand on A5, the tightest paper offered', async () => {
    // A one-page A4 flyer gets two A5 pages (half-letter, three).
    const locales = fs.readdirSync(path.join(ROOT, 'locales'));
    const all = tempProject(locales);
    // One thread: the paper is under test, not the pool, and vitest's other worker has the
    // second core (a helper thread made it 4.4 s of wall and 8.2 s of CPU against 3.8 and 6.1).
    const r = await cli(['build', '--root', all, '-q', '--force', '-j', '1', '--size', 'A5', '--out', 'out-A5']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^${locales.length * 4} built, 0 up to date, 0 failed`, 'm'));
  });

  it('--bleed 3mm grows the page, sets TrimBox and BleedBox, and extends the header band into the bleed', async () => {
    const get = await build('bleed', ['-t', 'flyer', '-l', 'en', '-b', 'default', '--bleed', '3mm']);
    const pdf = get('default', 'en', 'flyer');
    const b = (3 * 72) / 25.4;
    const [page] = pageBoxes(pdf);
    expect(page!.media[2]).toBeCloseTo(595.28 + 2 * b, 1);
    expect(page!.trim!.map((v) => Math.round(v * 100) / 100)).toEqual([b, b, b + 595.28, b + 841.89].map((v) => Math.round(v * 100) / 100));
    expect(page!.bleed!.map((v) => Math.round(v))).toEqual([0, 0, Math.round(595.28 + 2 * b), Math.round(841.89 + 2 * b)]);
    // The header band starts at the media's corner (-bleed in trim coordinates) and spans it.
    const band = /(-[\d.]+) (-[\d.]+) ([\d.]+) ([\d.]+) re/.exec(streams(pdf).join('\n'));
    expect(Number(band![1])).toBeCloseTo(-b, 2);
    expect(Number(band![2])).toBeCloseTo(-b, 2);
    expect(Number(band![3])).toBeCloseTo(595.28 + 2 * b, 1);
  });

  it('--crop-marks draws marks outside the trim, in registration colour', async () => {
    const get = await build('marks', ['-t', 'flyer', '-l', 'en', '-b', 'default', '--bleed', '3mm', '--crop-marks']);
    const pdf = get('default', 'en', 'flyer');
    const [page] = pageBoxes(pdf);
    expect(page!.trim![0]).toBeGreaterThan(8.5 * 2.83);
    const content = streams(pdf).join('\n');
    expect(content).toMatch(/0\.25 w\s+\/DeviceCMYK CS\s+1 1 1 1 SCN/);
    // Eight marks: two per corner, each outside the trim box.
    expect(content.match(/ m\n[\d.]+ [\d.]+ l/g)?.length).toBeGreaterThanOrEqual(8);
  });

  it('--2up puts two copies of an A5 page on a landscape A4 sheet, with a cut line', async () => {
    const get = await build('2up', ['-t', 'flyer', '-l', 'en', '-b', 'default', '--2up']);
    const pdf = get('default', 'en', 'flyer');
    // The sheet is A4 itself, not two A5 pages' 839.06 pt, which a printer would scale; the cut is at its middle.
    for (const p of pageBoxes(pdf)) expect(p.media).toEqual([0, 0, 841.89, 595.28]);
    expect(streams(pdf).join('\n')).toMatch(/420\.9\d* 0 m\n420\.9\d* 595\.28 l/);
    const text = fold(await pdfText(pdf));
    const title = fold('The benefits of infant massage');
    expect(text.split(title).length - 1).toBe(2);
    expect(streams(pdf).join('\n')).toMatch(/\[4 3\] 0 d/);
  });

  it('--2up with landscape pages puts one above the other on an upright sheet', async () => {
    const get = await build('2up-landscape', ['-t', 'class-handout', '-l', 'en', '-b', 'default', '--2up', '--orientation', 'landscape']);
    const pdf = get('default', 'en', 'class-handout');
    for (const p of pageBoxes(pdf)) expect(p.media).toEqual([0, 0, 595.28, 841.89]);
    const text = fold(await pdfText(pdf));
    expect(text.split(fold('Infant massage class')).length - 1).toBe(2);
  });

  it('--grayscale paints colours as greys', async () => {
    const get = await build('grey', ['-t', 'flyer', '-l', 'en', '-b', 'sunrise-clinic', '--grayscale']);
    const content = streams(get('sunrise-clinic', 'en', 'flyer')).join('\n');
    const colours = [...content.matchAll(/([\d.]+) ([\d.]+) ([\d.]+) (?:scn|SCN)/g)];
    expect(colours.length).toBeGreaterThan(5);
    for (const [, r, g, b] of colours) expect(r === g && g === b).toBe(true);
  });
});

describe('brand colours in CMYK', () => {
  it('a brand colour given as CMYK is painted as CMYK', async () => {
    const get = await withEdit(dir, 'brands/default/brand.yaml', (s) => s.replace('primary: "#1f6f78"', 'primary: { hex: "#1f6f78", cmyk: [85, 20, 35, 30] }'), () =>
      build('cmyk', ['-t', 'flyer', '-l', 'en', '-b', 'default']),
    );
    expect(streams(get('default', 'en', 'flyer')).join('\n')).toMatch(/\/DeviceCMYK cs\s+0\.85 0\.2 0\.35 0\.3 scn/);
  });

  it('is painted as its hex in PDF/A, crop marks too: the file\'s colours are sRGB', async () => {
    const get = await withEdit(dir, 'brands/default/brand.yaml', (s) => s.replace('primary: "#1f6f78"', 'primary: { hex: "#1f6f78", cmyk: [85, 20, 35, 30] }'), () =>
      build('cmyk-pdfa', ['-t', 'flyer', '-l', 'en', '-b', 'default', '--pdfa', '--crop-marks']),
    );
    const content = streams(get('default', 'en', 'flyer')).join('\n');
    expect(content).not.toMatch(/DeviceCMYK|\d k\n|\d K\n/);
    expect(content).toMatch(/0\.122 0\.435 0\.471 (rg|RG|scn)/);
  });
});

describe('accessible and archival', () => {
  let en: Buffer;
  let ar: Buffer;
  beforeAll(async () => {
    const get = await build('a11y', ['-t', 'flyer', '-l', 'en,ar', '-b', 'default']);
    en = get('default', 'en', 'flyer');
    ar = get('default', 'ar', 'flyer');
  });

  it('has a structure tree with the headings and list items of the flyer in reading order', async () => {
    const roles = await structureRoles(en);
    expect(roles.slice(0, 2)).toEqual(['Root', 'Document']);
    const order = roles.filter((r) => ['H1', 'H2', 'H3', 'L', 'LI', 'Figure'].includes(r));
    expect(order).toEqual(['Figure', 'H1', 'H2', 'H3', 'H3', 'H3', 'H3', 'H2', 'L', 'LI', 'LI', 'LI', 'LI', 'LI', 'H2', 'Figure']);
    expect(roles.filter((r) => r === 'Lbl')).toHaveLength(5);
    expect(roles.filter((r) => r === 'LBody')).toHaveLength(5);
  });

  it('carries /Lang, a displayed title, MarkInfo, and decorations as artifacts', () => {
    const raw = ar.toString('latin1');
    expect(raw).toMatch(/\/Lang \(ar\)/);
    expect(raw).toMatch(/\/DisplayDocTitle true/);
    expect(raw).toMatch(/\/Marked true/);
    expect(streams(ar).join('\n')).toMatch(/\/Artifact <<\s*\/Type \/Layout\s*>> BDC/);
  });

  it('marks a passage in another language with its own /Lang', async () => {
    const addFrench = (s: string) => s.replace('<h1>{{t "benefits.title"}}</h1>', '<h1>{{t "benefits.title"}}</h1>\n  <p><span lang="fr">Bonjour à tous</span></p>');
    const get = await withEdit(dir, 'templates/flyer.hbs', addFrench, () => build('span-lang', ['-t', 'flyer', '-l', 'en', '-b', 'default']));
    expect(streams(get('default', 'en', 'flyer')).join('\n')).toMatch(/\/Span <<\s*\/Lang \(fr\)\s*>> BDC/);
  });

  it('embeds every font, as subsets with ToUnicode maps', () => {
    const raw = en.toString('latin1');
    const descriptors = raw.match(/\/Type \/FontDescriptor/g) ?? [];
    expect(descriptors.length).toBeGreaterThan(0);
    expect((raw.match(/\/FontFile2|\/FontFile3/g) ?? []).length).toBe(descriptors.length);
    expect((raw.match(/\/ToUnicode/g) ?? []).length).toBe(descriptors.length);
    if (hasTool('pdffonts')) {
      const rows = execFileSync('pdffonts', ['-'], { input: en, encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
      for (const row of rows) expect(row).toMatch(/ yes yes yes /);
    }
  });

  it('escapes the brand name in the XMP metadata, and keeps it as written in the document info', async () => {
    const name = 'Mother & Baby <North> "Clinic"';
    const get = await withEdit(dir, 'brands/default/brand.yaml', (s) => s.replace(/^name: .*$/m, `name: '${name}'`), () =>
      build('xmp', ['-t', 'flyer', '-l', 'en', '-b', 'default']),
    );
    const pdf = get('default', 'en', 'flyer');
    const xmp = /<\?xpacket begin[\s\S]*?<\?xpacket end="w"\?>/.exec(pdf.toString('utf8'))![0];
    expect(xmp).toContain('<rdf:li>Mother &amp; Baby &lt;North&gt; &quot;Clinic&quot;</rdf:li>');
    // Every & starts an entity and every < a tag: the packet is XML.
    expect(xmp.replace(/&(amp|lt|gt|quot);/g, '')).not.toContain('&');
    expect(xmp).not.toMatch(/<(?![?/a-z])/i);
    // pdf.js reads the packet back as written (it dropped "<North>" and the description before).
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    const { info, metadata } = await parser.getInfo();
    await parser.destroy();
    expect(info.Author).toBe(name);
    expect(metadata?.get('dc:creator')).toEqual([name]);
    expect(metadata?.get('dc:description')).toMatch(/^One-page flyer/);
  });

  it('--pdfa writes PDF/A-2b identification and an sRGB output intent', async () => {
    const get = await build('pdfa', ['-t', 'flyer', '-l', 'en', '-b', 'default', '--pdfa']);
    const raw = get('default', 'en', 'flyer').toString('latin1');
    expect(raw).toMatch(/\/OutputIntents \[\d+ 0 R\]/);
    expect(streams(get('default', 'en', 'flyer')).join('\n')).toMatch(/<pdfaid:part>2<\/pdfaid:part>\s*<pdfaid:conformance>B<\/pdfaid:conformance>/);
  });

  it.skipIf(!hasTool('qpdf'))('qpdf --check finds no errors', () => {
    for (const pdf of [en, ar]) {
      const tmp = path.join(os.tmpdir(), `handout-qpdf-${process.pid}.pdf`);
      fs.writeFileSync(tmp, pdf);
      expect(execFileSync('qpdf', ['--check', tmp], { encoding: 'utf8' })).toMatch(/No syntax or stream encoding errors found/);
    }
  });
});

describe('QR codes', () => {
  it.skipIf(!hasTool('zbarimg') || !hasTool('pdftoppm'))('the footer QR code decodes to the URL in the brand file', async () => {
    const get = await build('qr', ['-t', 'flyer', '-l', 'en,ar', '-b', 'sunrise-clinic']);
    for (const l of ['en', 'ar']) {
      const png = path.join(os.tmpdir(), `handout-qr-${process.pid}-${l}`);
      fs.writeFileSync(`${png}.pdf`, get('sunrise-clinic', l, 'flyer'));
      execFileSync('pdftoppm', ['-png', '-r', '150', '-singlefile', `${png}.pdf`, png]);
      const out = execFileSync('zbarimg', ['-q', '--raw', `${png}.png`], { encoding: 'utf8' });
      expect(out.trim()).toBe('https://www.sunrise-clinic.example');
    }
  });
});

describe('SVG images', () => {
  it('draws an SVG logo as vectors, and names the file of an SVG it cannot read', async () => {
    const get = await build('svg', ['-t', 'flyer', '-l', 'en', '-b', 'sunrise-clinic']);
    const pdf = get('sunrise-clinic', 'en', 'flyer');
    expect(pdf.toString('latin1')).not.toMatch(/\/Subtype \/Image/);
    expect(await structureRoles(pdf)).toContain('Figure');
    const r = await withEdit(dir, 'brands/sunrise-clinic/logo.svg', () => '<svg xmlns="http://www.w3.org/2000/svg"><circle r="3"/></svg>', () =>
      cli(['build', '--root', dir, '-q', '-t', 'flyer', '-l', 'en', '-b', 'sunrise-clinic', '--out', 'out-svg-bad']),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/brands\/sunrise-clinic\/logo\.svg: cannot read image: an SVG needs width and height or a viewBox/);
  });
});

describe('brand fonts', () => {
  it('a brand’s own typeface sets the text; scripts it lacks fall back to the shipped fonts', async () => {
    const brand = path.join(dir, 'brands/default');
    // Any font file will do as "the brand's": the shipped italic stands in for it here.
    fs.copyFileSync(path.join(ROOT, 'fonts/NotoSans-Italic.ttf'), path.join(brand, 'BrandSans.ttf'));
    const get = await withEdit(dir, 'brands/default/brand.yaml', (yaml) => `${yaml}font:\n  family: Brand Sans\n  regular: BrandSans.ttf\n`, () =>
      build('brand-font', ['-t', 'flyer', '-l', 'en,ar', '-b', 'default']),
    );
    const fontsOf = (pdf: Buffer) => [...pdf.toString('latin1').matchAll(/\/BaseFont \/[A-Z]{6}\+([\w-]+)/g)].map((m) => m[1]);
    expect(fontsOf(get('default', 'en', 'flyer'))).toContain('NotoSans-Italic');
    const ar = fontsOf(get('default', 'ar', 'flyer'));
    expect(ar).toContain('NotoNaskhArabic-Regular');
    expect(ar).toContain('NotoSans-Italic');
  });

  it('a WOFF or WOFF2 font is an error naming the file, not a PDF without outlines', async () => {
    const brand = path.join(dir, 'brands/default');
    for (const [format, signature] of [['WOFF2', 'wOF2'], ['WOFF', 'wOFF']] as const) {
      const file = `BrandSans.${format.toLowerCase()}`;
      // The signature is what the check reads; the rest of a real web font does not matter here.
      fs.writeFileSync(path.join(brand, file), Buffer.concat([Buffer.from(signature, 'latin1'), Buffer.alloc(60)]));
      const r = await withEdit(dir, 'brands/default/brand.yaml', (yaml) => `${yaml}font:\n  family: Brand Sans\n  regular: ${file}\n`, () =>
        cli(['build', '--root', dir, '-q', '-t', 'flyer', '-l', 'en', '-b', 'default', '--out', 'out-woff']),
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`brands/default/${file}: ${format} is a web format and cannot be embedded in a PDF: use the font's TTF or OTF file`);
      expect(fs.existsSync(path.join(dir, 'out-woff/default/en/flyer.pdf'))).toBe(false);
    }
  });

  it('a font file cut short is an error naming the file, not an internal error mid-build', async () => {
    const brand = path.join(dir, 'brands/default');
    fs.writeFileSync(path.join(brand, 'BrandSans-Regular.ttf'), fs.readFileSync(path.join(ROOT, 'fonts/NotoSans-Regular.ttf')).subarray(0, 30000));
    const r = await withEdit(dir, 'brands/default/brand.yaml', (yaml) => `${yaml}font:\n  family: Brand Sans\n  regular: BrandSans-Regular.ttf\n`, () =>
      cli(['build', '--root', dir, '-q', '-t', 'flyer', '-l', 'en', '-b', 'default', '--out', 'out-cut']),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/brands\/default\/BrandSans-Regular\.ttf: cannot read font: the file is cut short \(its \w+ table ends at byte \d+, the file has 30000\); copy or download it again/);
    expect(r.stderr).not.toMatch(/internal error/);
  });
});

describe('brand tagline', () => {
  it('prints under the brand name: one text in every locale, or each locale its own and the rest none', async () => {
    const withTagline = (tagline: string) => (s: string) => `${s}\ntagline: ${tagline}\n`;
    let get = await withEdit(dir, 'brands/default/brand.yaml', withTagline('Gentle care for growing families'), () => build('tagline-one', ['-t', 'flyer', '-t', 'class-handout', '-l', 'en,de', '-b', 'default']));
    for (const [locale, template] of [['en', 'flyer'], ['de', 'class-handout']] as const) {
      const text = fold(await pdfText(get('default', locale, template)));
      // Right below the name, above the title.
      expect(text.indexOf(fold('Gentle care for growing families')), `${locale} ${template}`).toBeGreaterThan(text.indexOf(fold('Infant Massage Class')));
    }
    get = await withEdit(dir, 'brands/default/brand.yaml', withTagline('{ en: Gentle care for families, ar: رعاية لطيفة للعائلات }'), () => build('tagline-each', ['-t', 'flyer', '-l', 'en,ar,de', '-b', 'default']));
    expect(fold(await pdfText(get('default', 'en', 'flyer')))).toContain(fold('Gentle care for families'));
    expect(fold(await pdfText(get('default', 'ar', 'flyer')))).toContain(fold('رعاية لطيفة للعائلات'));
    expect(fold(await pdfText(get('default', 'de', 'flyer')))).not.toMatch(/Gentle|رعاية/);
    // A locale the project does not have is named at its line, with the one meant.
    const r = await withEdit(dir, 'brands/default/brand.yaml', withTagline('\n  en: Gentle care\n  AR: رعاية'), () => cli(['build', '--root', dir, '-q', '-t', 'flyer', '-l', 'en', '-b', 'default', '--out', 'out-tagline-bad']));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/brands\/default\/brand\.yaml:\d+: field "tagline\.AR": unknown locale "AR"; did you mean "ar"\?/);
  });

  it('a name per locale: each document its own, the English one where the list names none', async () => {
    const named = (names: string) => (s: string) => s.replace(/^name: .*$/m, `name: ${names}`);
    const get = await withEdit(dir, 'brands/default/brand.yaml', named('{ en: Riverside Family Centre, ar: مركز ريفرسايد للعائلة }'), () => build('name-each', ['-t', 'flyer', '-l', 'en,ar,de', '-b', 'default']));
    const ar = fold(await pdfText(get('default', 'ar', 'flyer')));
    expect(ar).toContain(fold('مركز ريفرسايد للعائلة'));
    expect(ar).not.toContain(fold('Riverside'));
    expect(fold(await pdfText(get('default', 'de', 'flyer')))).toContain(fold('Riverside Family Centre'));
    // Without the English name, the other locales would have none.
    const r = await withEdit(dir, 'brands/default/brand.yaml', named('{ ar: مركز ريفرسايد للعائلة }'), () => cli(['build', '--root', dir, '-q', '-t', 'flyer', '-l', 'ar', '-b', 'default', '--out', 'out-name-bad']));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/brands\/default\/brand\.yaml:2: field "name": give the name in en too: the locales the list does not name print it/);
  });
});
