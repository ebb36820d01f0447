import * as path from 'node:path';
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadBrand, oneLine } from '../../src/config/brand.js';
import { loadConfig } from '../../src/config/project.js';
import { cutByComments, yamlDocument } from '../../src/config/yaml-file.js';
import { checkComplete, listLocales, loadLocale, localeNames, sameAsReference, translate, beyondReference } from '../../src/i18n/locales.js';
import { createMemoryIo } from '../../src/io/memory-io.js';
import { createNodeIo } from '../../src/io/node-io.js';
import { utf8Text } from '../../src/io/utf8-text.js';
import { jsonProblem } from '../../src/io/json-text.js';
import { HandoutError, lineAt } from '../../src/model/diagnostic.js';
import { planJobs } from '../../src/batch/plan.js';
import { TemplateEnvironment } from '../../src/template/templates.js';
import { parseMarkup } from '../../src/markup/parse.js';
import type { DocNode } from '../../src/model/doc-tree.js';
import { checkDataNeeds } from '../../src/template/data-needs.js';
import { unknownName } from '../../src/config/schema-issue.js';
import { ROOT } from '../helpers.js';

const real = createNodeIo(ROOT);
const catchError = (fn: () => unknown): HandoutError => {
  try {
    fn();
  } catch (e) {
    return e as HandoutError;
  }
  throw new Error('no error');
};

describe('brands', () => {
  it('loads a brand into typed values with derived colours', () => {
    const b = loadBrand(real, 'sunrise-clinic');
    expect(b.name).toBe('Sunrise Family Clinic');
    expect(b.logo).toBe('brands/sunrise-clinic/logo.svg');
    expect(b.colors.primary.hex).toBe('#9c3d2b');
    expect(b.colors.onPrimary.hex).toBe('#ffffff');
    expect(b.contact.phone).toBe('+1 555 0187');
  });

  it('names the file, field and line of an invalid value', () => {
    const io = createMemoryIo('/p', { 'brands/bad/brand.yaml': 'name: Bad\ncolors:\n  primary: "#12345"\n' });
    const e = catchError(() => loadBrand(io, 'bad'));
    expect(e.code).toBe('invalid-brand');
    expect(e.format()).toBe('brands/bad/brand.yaml:3: field "colors.primary": "#12345" is not a colour here: write # and six hexadecimal digits, in quotes ("#2a6f97"; three, "#f60", also do)');
    // A colour's name, an e-mail address without its @ or given as a list: the value, and what is wrong with it.
    const brand = (yaml: string) => catchError(() => loadBrand(createMemoryIo('/p', { 'brands/bad/brand.yaml': `name: Bad\n${yaml}` }), 'bad')).format();
    expect(brand('colors:\n  primary: red\n')).toMatch(/field "colors\.primary": "red" is not a colour here: write # and six/);
    expect(brand('colors: { primary: "#000000" }\ncontact:\n  email: a.badtest.org\n')).toBe('brands/bad/brand.yaml:4: field "contact.email": "a.badtest.org" is not an e-mail address: it has no @');
    expect(brand('colors: { primary: "#000000" }\ncontact:\n  email: [a@b.org]\n')).toBe('brands/bad/brand.yaml:4: field "contact.email": must be one text, not a list');
    // Several mistakes: all in one message, each at its line (five had taken five runs).
    expect(brand('colors:\n  primary: red\n  accnt: "#ffffff"\ncontact:\n  email: a.badtest.org\n  phone: 5551234\n')).toBe(
      [
        'brands/bad/brand.yaml:4: field "colors.accnt": "accnt" is not a field here; did you mean "accent"?',
        '  also brands/bad/brand.yaml:3: field "colors.primary": "red" is not a colour here: write # and six hexadecimal digits, in quotes ("#2a6f97"; three, "#f60", also do)',
        '  also brands/bad/brand.yaml:6: field "contact.email": "a.badtest.org" is not an e-mail address: it has no @',
        '  also brands/bad/brand.yaml:7: field "contact.phone": must be text: put the value in quotes (YAML reads digits as a number and drops leading zeros)',
      ].join('\n'),
    );
    // Neither a colour text nor hex with cmyk: the two forms are named (was "Invalid input").
    const primary = (wrong: string) => catchError(() => loadBrand(createMemoryIo('/p', { 'brands/bad/brand.yaml': `name: Bad\ncolors:\n  primary: ${wrong}\n` }), 'bad')).format();
    for (const wrong of ['0x2a6f97', '["#2a6f97"]']) {
      expect(primary(wrong), wrong).toBe('brands/bad/brand.yaml:3: field "colors.primary": must be a colour in quotes ("#2a6f97"), or for print { hex: "#2a6f97", cmyk: [72, 26, 0, 41] }');
    }
    for (const wrong of ['{ hex: "#2a6f97", cmyk: [72, 26, 0] }', '{ cmyk: [72, 26, 0, 41] }']) {
      expect(primary(wrong), wrong).toMatch(/field "colors\.primary": a colour for print is \{ hex: "#2a6f97", cmyk: \[72, 26, 0, 41\] \}: the hex and four cmyk numbers from 0 to 100$/);
    }
    // The hex without its #, which YAML reads as a number.
    expect(primary('884488')).toBe('brands/bad/brand.yaml:3: field "colors.primary": 884488 is a number to YAML: write the colour with its # and in quotes, "#884488"');
  });

  it('rejects unknown fields, bad YAML and a missing logo file', () => {
    const io = createMemoryIo('/p', {
      'brands/a/brand.yaml': 'name: A\ncolours: {}\n',
      'brands/b/brand.yaml': 'name: B\ntagline: "unclosed\ncolors: {primary: "#000000"}\n',
      'brands/c/brand.yaml': 'name: C\nlogo: nope.png\ncolors: {primary: "#000000"}\n',
      'brands/d/brand.yaml': 'name: D\nlogo: logo.svg\ncolors: {primary: "#000000"}\n',
      'brands/d/logo.png': new Uint8Array([0x89]),
    });
    // The misspelt field is the cause, not the "colors" it leaves missing.
    expect(catchError(() => loadBrand(io, 'a')).format()).toBe('brands/a/brand.yaml:2: field "colours": "colours" is not a field here; did you mean "colors"?');
    // At its line, without YAML's own "at line 2, column 10:" and code excerpt.
    expect(catchError(() => loadBrand(io, 'b')).format()).toBe('brands/b/brand.yaml:2: not valid YAML: Missing closing "quote');
    expect(catchError(() => loadBrand(io, 'c')).format()).toMatch(/brands\/c\/brand\.yaml: field "logo": file "nope\.png" not found next to the brand file$/);
    // The picture the folder has, where the brand names another.
    expect(catchError(() => loadBrand(io, 'd')).format()).toMatch(/field "logo": file "logo\.svg" not found next to the brand file; did you mean "logo\.png"\?$/);
    // The mistakes people make most, said with what to change.
    const yaml = (text: string) => catchError(() => yamlDocument(text, { file: 'd.yaml', code: 'invalid-config' })).format();
    expect(yaml('place:\n  name: Centro Cívico: Sala 3\n')).toBe('d.yaml:2: not valid YAML: a second ": " in one line: put a value with ": " in it in quotes (name: "Centro Cívico: Sala 3")');
    const noColon = (line: number, text: string) => `d.yaml:${line}: not valid YAML: "${text}" is no "key: value" line: a colon missing after the key?`;
    expect(yaml('place:\n  email lucia@example.org\n  name: Sala 3\n')).toBe(noColon(2, 'email lucia@example.org'));
    // The same as a block's last line, and as a file's first line before its comments.
    expect(yaml('place:\n  name: Sala 3\n  14 Mill Lane\ninstructor:\n  name: Ana\n')).toBe(noColon(3, '14 Mill Lane'));
    expect(yaml('Riverside class\n# a comment\n\ndurationMinutes: 60\n')).toBe(noColon(1, 'Riverside class'));
    expect(yaml('sessions:\n  - start: a\n - start: b\nplace: 1\n')).toBe('d.yaml:3: not valid YAML: this line is indented unlike the ones above it: the items of one list or map start in the same column');
    expect(yaml('a:\n\t- b\n')).toBe('d.yaml:2: not valid YAML: a tab indents this line: YAML indents with spaces');
    expect(yaml('a: 1\nb: 2\na: 3\n')).toBe('d.yaml:3: not valid YAML: "a" is given twice in the same map');
    // A # that was part of a value: found with its key and line; comments meant as such are not.
    const text = 'place:\n  name: Room #2 - Riverside\n  address: 14 Mill Lane  # the old one\n  note: x # also a comment\nsessions:\n  - start: "a #1"\n  - start: b #2\n';
    expect(cutByComments(yamlDocument(text, { file: 'd.yaml', code: 'invalid-config' }), text)).toEqual([
      { key: 'place.name', value: 'Room', rest: '#2 - Riverside', line: 2 },
      { key: 'sessions[1].start', value: 'b', rest: '#2', line: 7 },
    ]);
    expect(catchError(() => loadBrand(io, 'zzz')).code).toBe('unknown-brand');
  });

  it('words schema problems for whoever edits the file: typos, numbers for text, missing fields', () => {
    const io = createMemoryIo('/p', {
      'brands/a/brand.yaml': 'name: A\ncolors:\n  primary: "#1d5c8c"\n  secundary: "#333333"\n',
      'brands/b/brand.yaml': 'name: B\ncolors:\n  primary: "#1d5c8c"\ncontact:\n  phone: 05551234\n',
      'brands/c/brand.yaml': 'name: C\ncolors:\n  secondary: "#1d5c8c"\n',
      'brands/d/brand.yaml': 'name: D\ncolors:\n  primary: "#1d5c8c"\n  wibble: "#333333"\n',
      // Two letters swapped, inside a colour's second form (a union: its fields are looked up too).
      'brands/e/brand.yaml': 'name: E\ncolors:\n  primary: { hex: "#1d5c8c", cmky: [86, 34, 0, 45] }\n',
      'locales/xx/locale.json': '{"name": "X", "englishname": "X", "dir": "ltr", "script": "Latn", "translation": {"source": false, "producedBy": "t", "reviewedByNativeSpeaker": false}}',
    });
    expect(catchError(() => loadBrand(io, 'a')).format()).toBe('brands/a/brand.yaml:4: field "colors.secundary": "secundary" is not a field here; did you mean "secondary"?');
    expect(catchError(() => loadBrand(io, 'b')).format()).toBe('brands/b/brand.yaml:5: field "contact.phone": must be text: put the value in quotes (YAML reads digits as a number and drops leading zeros)');
    expect(catchError(() => loadBrand(io, 'c')).format()).toBe('brands/c/brand.yaml:2: field "colors.primary": missing: this field is required');
    // Nothing close: the known fields are listed.
    expect(catchError(() => loadBrand(io, 'd')).message).toMatch(/"wibble" is not a field here \(known: primary, secondary, accent, /);
    expect(catchError(() => loadLocale(io, 'xx')).format()).toBe('locales/xx/locale.json: englishname: "englishname" is not a field here; did you mean "englishName"?');
    expect(catchError(() => loadBrand(io, 'e')).format()).toBe('brands/e/brand.yaml:3: field "colors.primary.cmky": "cmky" is not a field here; did you mean "cmyk"?');
  });
});

describe('locales', () => {
  it('ships at least 22 locales, each marked as not reviewed by a native speaker', () => {
    const codes = listLocales(real);
    expect(codes.length).toBeGreaterThanOrEqual(22);
    for (const code of codes) {
      const l = loadLocale(real, code);
      expect(l.meta.translation.reviewedByNativeSpeaker).toBe(false);
      expect(l.meta.translation.producedBy.length).toBeGreaterThan(10);
    }
  });

  it('every locale has every key of the English source', () => {
    const en = loadLocale(real, 'en');
    for (const code of listLocales(real)) expect(() => checkComplete(loadLocale(real, code), en)).not.toThrow();
  });

  it('lists all missing keys of an incomplete locale in one error', () => {
    const io = createMemoryIo('/p', {
      'locales/xx/locale.json': JSON.stringify({ name: 'X', englishName: 'X', dir: 'ltr', script: 'Latn', translation: { source: false, producedBy: 'test', reviewedByNativeSpeaker: false } }),
      'locales/xx/benefits.json': JSON.stringify({ title: 'T' }),
    }, real);
    const e = catchError(() => checkComplete(loadLocale(io, 'xx'), loadLocale(real, 'en')));
    expect(e.code).toBe('missing-translation');
    expect(e.message).toMatch(/^locale "xx" is missing \d+ keys: benefits\.tagline, benefits\.intro/);
    // Spread over several files: the folder is where to look.
    expect(e.where.file).toBe('locales/xx/');
  });

  it('names the one file missing keys are in, and a key renamed in translation', () => {
    const es = (edit: (res: Record<string, unknown>) => void) => {
      const res = JSON.parse(fs.readFileSync(path.join(ROOT, 'locales/es/common.json'), 'utf8'));
      edit(res);
      return catchError(() => checkComplete(loadLocale(createMemoryIo(ROOT, { 'locales/es/common.json': JSON.stringify(res) }, real), 'es'), loadLocale(real, 'en')));
    };
    const renamed = es((res) => {
      res.telefono = res.phone;
      delete res.phone;
    });
    expect(renamed.message).toBe('locale "es" is missing 1 key: common.phone (the file has "common.telefono" instead)');
    expect(renamed.where.file).toBe('locales/es/common.json');
    // Two keys gone from the same level: no guess which is which.
    expect(es((res) => {
      delete res.phone;
      delete res.email;
    }).message).toBe('locale "es" is missing 2 keys: common.phone, common.email');
  });

  it('names an object renamed in translation once, for all the keys it holds, at the line of its new name', () => {
    const file = 'locales/es/benefits.json';
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    const check = (edited: string) => catchError(() => checkComplete(loadLocale(createMemoryIo(ROOT, { [file]: edited }, real), 'es'), loadLocale(real, 'en')));
    const areas = check(text.replace('"areas": {', '"ares": {'));
    expect(areas.message).toBe('locale "es" is missing 8 keys: benefits.areas.* (the file has "benefits.ares" instead)');
    expect(areas.where).toMatchObject({ file, key: 'benefits.ares' });
    // Deeper down, beside keys that are there.
    expect(check(text.replace('"relief": {', '"alivio": {')).message).toBe('locale "es" is missing 2 keys: benefits.areas.relief.* (the file has "benefits.areas.alivio" instead)');
  });

  it('turns away a locale.json copied from the English one and not rewritten', () => {
    const en = JSON.parse(fs.readFileSync(path.join(ROOT, 'locales/en/locale.json'), 'utf8'));
    const meta = (m: object) => catchError(() => loadLocale(createMemoryIo(ROOT, { 'locales/tr/locale.json': JSON.stringify(m), 'locales/tr/common.json': '{}' }, real), 'tr')).format();
    expect(meta(en)).toBe('locales/tr/locale.json: translation.source: true is for the en text the others are translated from; a translation says false, and who made it in "producedBy"');
    expect(meta({ ...en, translation: { ...en.translation, source: false } })).toBe(
      'locales/tr/locale.json: name: "English" is the English locale\'s; write this language\'s own name (Türkçe, Kiswahili)',
    );
    expect(meta({ ...en, name: 'Türkçe', translation: { ...en.translation, source: false } })).toMatch(/englishName: "English" is the English locale's; write this language's name in English/);
    // A script named by its name, or a code in another case: the code meant is named.
    const tr = { ...en, name: 'Türkçe', englishName: 'Turkish', translation: { ...en.translation, source: false } };
    expect(meta({ ...tr, script: 'Latin' })).toBe('locales/tr/locale.json: script: an ISO 15924 code such as Latn, Arab, Deva; did you mean "Latn"?');
    expect(meta({ ...tr, script: 'latn' })).toMatch(/; did you mean "Latn"\?$/);
    expect(meta({ ...tr, script: 'Roman' })).toBe('locales/tr/locale.json: script: an ISO 15924 code such as Latn, Arab, Deva');
    // English of another country may say English.
    expect(() => loadLocale(createMemoryIo(ROOT, { 'locales/en-GB/locale.json': JSON.stringify({ ...en, translation: { ...en.translation, source: false } }), 'locales/en-GB/common.json': '{}' }, real), 'en-GB')).not.toThrow();
  });

  it('are plain text: HTML markup or entities from web work are named, not printed as written', () => {
    const withIntro = (intro: string) =>
      createMemoryIo(ROOT, { 'locales/fr/benefits.json': JSON.stringify({ ...JSON.parse(fs.readFileSync(path.join(ROOT, 'locales/fr/benefits.json'), 'utf8')), intro }) }, real);
    const problem = (intro: string) => catchError(() => loadLocale(withIntro(intro), 'fr')).format();
    expect(problem('Le massage <strong>aide</strong> bébé')).toBe(
      'locales/fr/benefits.json: locale "fr", key "benefits.intro" has the markup "<strong>", which would be printed as it is: a translation is plain text, and bold or a line break belongs in the template',
    );
    expect(problem('Ligne 1<br />Ligne 2')).toMatch(/has the markup "<br \/>"/);
    expect(problem('Avant 6&nbsp;mois')).toMatch(/has "&nbsp;", an HTML entity that would be printed as it is: write the no-break space \(U\+00A0\) itself$/);
    expect(problem('b&eacute;b&eacute;')).toMatch(/has "&eacute;"/);
    expect(problem('6&#8239;mois')).toMatch(/write the character U\+202F itself$/);
    expect(problem('b&eacute;b&eacute;')).toMatch(/write "é" itself$/);
    expect(problem('&laquo; doux &raquo;')).toMatch(/has "&laquo;", .* write "«" itself$/);
    expect(problem('un <span class="x">moment</span>')).toMatch(/has the markup "<span class="x">"/);
    // What is only like markup is text: no HTML tag or entity.
    for (const text of ['bébé & parents < 6 mois, a<b, 3 > 2, R&D; Q&A', 'un moment <<doux>> pour bébé', 'de <un an et >6 semaines', '<3 mois>'])
      expect(() => loadLocale(withIntro(text), 'fr'), text).not.toThrow();
  });

  it('translates with interpolation and never falls back to the key name', () => {
    const es = loadLocale(real, 'es');
    expect(translate(es, 'handout.sessionLabel', { number: 3 })).toMatch(/3/);
    const e = catchError(() => translate(es, 'benefits.nope'));
    expect(e.format()).toBe('locales/es/benefits.json: missing translation "benefits.nope" in locale "es"');
  });

  it('writes the oxytocin and serotonin facts correctly in English', () => {
    const en = loadLocale(real, 'en');
    const body = String(translate(en, 'benefits.areas.relaxation.body'));
    expect(body).toMatch(/raises oxytocin and serotonin/);
    expect(body).toMatch(/lowers the stress hormones cortisol and norepinephrine/);
  });
});

describe('job matrix', () => {
  it('expands the config into templates × locales × brands, narrowed by options', () => {
    const all = planJobs(real, loadConfig(real), {});
    expect(all.length).toBe(2 * 2 * listLocales(real).length);
    const some = planJobs(real, loadConfig(real), { templates: ['flyer'], locales: ['es', 'fr'], brands: ['default'] });
    expect(some.map((j) => j.output)).toEqual(['output/default/es/flyer.pdf', 'output/default/fr/flyer.pdf']);
    const handout = planJobs(real, loadConfig(real), { templates: ['class-handout'], locales: ['en'], brands: ['default'] });
    expect(handout[0]!.data).toBe('data/class-sample.yaml');
  });

  it('rejects unknown names in options with the known ones', () => {
    const e = catchError(() => planJobs(real, loadConfig(real), { locales: ['xx'] }));
    expect(e.code).toBe('unknown-locale');
    expect(e.message).toMatch(/unknown locale "xx" \(known: am, ar, bn/);
  });

  it('validates the project config with file, field and line', () => {
    const io = createMemoryIo('/p', { 'handout.config.yaml': 'output: out.pdf\njobs:\n  - templates: flyer\n' });
    expect(catchError(() => loadConfig(io)).format()).toMatch(/^handout\.config\.yaml:3: field "jobs\.0\.templates"/);
    // yes is text to YAML 1.2: said so, not "expected boolean, received string".
    const yes = createMemoryIo('/p', { 'handout.config.yaml': 'print: { grayscale: yes }\njobs:\n  - templates: [flyer]\n' });
    expect(catchError(() => loadConfig(yes)).format()).toBe('handout.config.yaml:1: field "print.grayscale": must be true or false (YAML reads yes as text)');
  });

  it('writes a name given on several lines as one line where one line is wanted (PDF author, handout list)', () => {
    expect(oneLine('Riverside\nFamily Centre\n')).toBe('Riverside Family Centre');
    expect(oneLine('Sunrise Family Clinic')).toBe('Sunrise Family Clinic');
  });

  it('takes a bare domain as an https address and a three-digit colour as CSS does; a web address with spaces is an error', () => {
    const io = createMemoryIo('/p', {
      'brands/a/brand.yaml': 'name: A\ncolors:\n  primary: "#136"\ncontact:\n  web: www.example.org/classes\n',
      'brands/b/brand.yaml': 'name: B\ncolors:\n  primary: "#136"\ncontact:\n  web: www example org\n',
    });
    const a = loadBrand(io, 'a');
    expect(a.contact.web).toBe('https://www.example.org/classes');
    expect(a.colors.primary).toEqual({ hex: '#113366' });
    expect(catchError(() => loadBrand(io, 'b')).format()).toBe('brands/b/brand.yaml:5: field "contact.web": a web address like https://www.example.org');
    // A colour without quotes is a YAML comment: the field has no value.
    const bare = createMemoryIo('/p', { 'brands/c/brand.yaml': 'name: C\ncolors:\n  primary: #2a6f97\n' });
    expect(catchError(() => loadBrand(bare, 'c')).format()).toBe('brands/c/brand.yaml:3: field "colors.primary": has no value (in YAML a # starts a comment: write a colour in quotes, "#2a6f97")');
  });

  it('says a bound as a sentence: an empty list, a page count of 0', () => {
    const io = createMemoryIo('/p', { 'handout.config.yaml': 'jobs:\n  - templates: [flyer]\n    locales: []\n', 'templates/t.hbs': '{{!-- handout\ndescription: T\npages: 0\n--}}\n<document/>' });
    expect(catchError(() => loadConfig(io)).format()).toBe('handout.config.yaml:3: field "jobs.0.locales": must list at least one');
    // An item of a block list is named at its own line.
    const listed = createMemoryIo('/p', { 'handout.config.yaml': 'jobs:\n  - templates: [flyer]\n    locales:\n      - en\n      - EN\n' });
    expect(catchError(() => loadConfig(listed, undefined, { template: ['flyer'], locale: ['en', 'es'], brand: ['default'] })).format()).toMatch(/^handout\.config\.yaml:5: field "jobs\.0\.locales\.1": unknown locale "EN"; did you mean "en"\?/);
    expect(catchError(() => new TemplateEnvironment(io).get('t')).format()).toBe('templates/t.hbs:3: front matter field "pages": must be at least 1');
    // A choice names the choices (zod: 'Invalid option: expected one of "A4"|"Letter"|…'), and the one meant.
    const paper = (size: string) => catchError(() => loadConfig(createMemoryIo('/p', { 'handout.config.yaml': `print:\n  size: ${size}\n` }))).format();
    expect(paper('A55')).toBe('handout.config.yaml:2: field "print.size": must be one of "A4", "Letter", "A5", "HalfLetter", "Legal"; did you mean "A5"?');
    expect(paper('B4')).toBe('handout.config.yaml:2: field "print.size": must be one of "A4", "Letter", "A5", "HalfLetter", "Legal"; did you mean "A4"?');
    expect(paper('Tabloid')).toBe('handout.config.yaml:2: field "print.size": must be one of "A4", "Letter", "A5", "HalfLetter", "Legal"');
    // A list given as one word, or as a mapping (zod: "Invalid input", "expected array, received object").
    const config = (text: string) => catchError(() => loadConfig(createMemoryIo('/p', { 'handout.config.yaml': text }))).format();
    expect(config('jobs:\n  - templates: flyer\n')).toBe('handout.config.yaml:2: field "jobs.0.templates": must be "all" or a list: [a, b] on one line, or one "- a" a line below it');
    expect(config('jobs:\n  - templates: [flyer]\n    locales: al\n')).toBe('handout.config.yaml:3: field "jobs.0.locales": must be "all" or a list: [a, b] on one line, or one "- a" a line below it; did you mean "all"?');
    expect(config('jobs:\n  templates: [flyer]\n')).toBe('handout.config.yaml:1: field "jobs": must be a list: [a, b] on one line, or one "- a" a line below it');
    // A word for a number, at its own line too, not zod's "expected number, received string".
    const words = createMemoryIo('/p', { 'templates/t.hbs': '{{!-- handout\ndescription: T\nneeds: []\npages: two\n--}}\n<document/>' });
    expect(catchError(() => new TemplateEnvironment(words).get('t')).format()).toBe('templates/t.hbs:4: front matter field "pages": must be a number');
    // Blank lines after "{{!-- handout" count; a fraction of a page is named as such.
    const spaced = createMemoryIo('/p', { 'templates/t.hbs': '{{!-- handout\n\ndescription: T\npages: 1.5\n--}}\n<document/>' });
    expect(catchError(() => new TemplateEnvironment(spaced).get('t')).format()).toBe('templates/t.hbs:4: front matter field "pages": must be a whole number');
    // A bound for a value the template does not declare would check nothing.
    const undeclared = createMemoryIo('/p', { 'templates/t.hbs': '{{!-- handout\ndescription: T\nneeds: [minutes]\nnumbers:\n  minutes: { min: 1 }\n  mins: { min: 1 }\n--}}\n<document/>' });
    expect(catchError(() => new TemplateEnvironment(undeclared).get('t')).format()).toBe('templates/t.hbs:6: front matter field "numbers.mins": "mins" is not in needs or optional: declare it there too');
    // Growth fills the pages a template may take; without a page count there is nothing to fill.
    const unbounded = createMemoryIo('/p', { 'templates/t.hbs': '{{!-- handout\ndescription: T\ngrow: 1.2\n--}}\n<document/>' });
    expect(catchError(() => new TemplateEnvironment(unbounded).get('t')).format()).toBe('templates/t.hbs:3: front matter field "grow": type grows to fill the pages a template may take: give pages too');
    const huge = createMemoryIo('/p', { 'templates/t.hbs': '{{!-- handout\ndescription: T\npages: 1\ngrow: 3\n--}}\n<document/>' });
    expect(catchError(() => new TemplateEnvironment(huge).get('t')).format()).toBe('templates/t.hbs:4: front matter field "grow": must be at most 1.5');
  });

  it('takes a project config of comments only as every default; says what a brand file of nothing or a list is', () => {
    expect(loadConfig(createMemoryIo('/p', { 'handout.config.yaml': '# defaults for now\n' }))).toEqual(loadConfig(createMemoryIo('/p', {})));
    const io = createMemoryIo('/p', { 'brands/e/brand.yaml': '# to do\n', 'brands/l/brand.yaml': '- name: A\n' });
    expect(catchError(() => loadBrand(io, 'e')).format()).toBe('brands/e/brand.yaml: the file is empty, where fields belong (name, tagline, logo, colors, font, contact)');
    expect(catchError(() => loadBrand(io, 'l')).format()).toBe('brands/l/brand.yaml: the file is a list, where fields belong (name, tagline, logo, colors, font, contact)');
  });
});

describe('files a brand names', () => {
  it('are paths from its folder: a missing one is named, an absolute one told how to write it', () => {
    const brand = (logo: string) => catchError(() => loadBrand(createMemoryIo('/p', { 'brands/b/brand.yaml': `name: B\nlogo: ${logo}\ncolors:\n  primary: "#1f6f78"\n` }), 'b')).format();
    expect(brand('logo.png')).toBe('brands/b/brand.yaml: field "logo": file "logo.png" not found next to the brand file');
    expect(brand('/home/ana/brand/logo.png')).toBe(
      'brands/b/brand.yaml: field "logo": file "/home/ana/brand/logo.png" is a path from the disk\'s root: give it from the brand\'s folder ("logo.png", with the file copied there)',
    );
    expect(brand('C:\\Users\\ana\\logo.png')).toMatch(/is a path from the disk's root: give it from the brand's folder \("logo\.png"/);
  });
});

describe('brand contrast', () => {
  it('rejects body text that would be hard to read, naming the field and the ratio', () => {
    const io = createMemoryIo('/p', { 'brands/pale/brand.yaml': 'name: Pale\ncolors:\n  primary: "#1f6f78"\n  text: "#9aa5b1"\n' });
    const e = catchError(() => loadBrand(io, 'pale'));
    expect(e.format()).toMatch(/^brands\/pale\/brand\.yaml: field "colors\.text": #9aa5b1 on the white page \(#ffffff\) has contrast 2\.\d\d:1, below the 4\.5:1/);
  });

  it('checks subtitles as text, and that the accent shows on the page and on a card', () => {
    const brand = (colors: string) => catchError(() => loadBrand(createMemoryIo('/p', { 'brands/b/brand.yaml': `name: B\ncolors:\n  primary: "#1f6f78"\n${colors}` }), 'b')).format();
    expect(brand('  secondary: "#e0c0e0"\n')).toMatch(/field "colors\.secondary": #e0c0e0 on the white page \(#ffffff\) has contrast 1\.\d\d:1, below the 4\.5:1 subtitles need to be readable/);
    expect(brand('  accent: "#f8f0f8"\n')).toMatch(/field "colors\.accent": #f8f0f8 on the white page .* below the 1\.5:1 icons and rules need to be seen/);
    // On the card colour the brand gave: the message names both and points at the background.
    expect(brand('  accent: "#f0c0f0"\n  background: "#f6eef6"\n')).toMatch(
      /field "colors\.background": colors\.accent #f0c0f0 on colors\.background \(#f6eef6\) has contrast 1\.\d\d:1, below the 1\.5:1 icons need to be seen on a card; change either colour/,
    );
    // A background the brand leaves out is named as the default it gets.
    expect(brand('  accent: "#cecece"\n')).toMatch(/field "colors\.accent": #cecece on the default card colour \(#f4f7f7\) has contrast 1\.\d\d:1, below the 1\.5:1 icons need to be seen on a card; change it, or give colors\.background$/);
    expect(brand('  background: "#c9a0c9"\n')).toMatch(/field "colors\.background": colors\.primary #1f6f78 on colors\.background .* below the 3:1 headings need on a card/);
  });

  it('the shipped brands meet 4.5:1 for body text', () => {
    for (const id of ['default', 'sunrise-clinic']) expect(() => loadBrand(real, id)).not.toThrow();
  });
});

describe('dates and times', () => {
  it('formats class dates in the locale and keeps a time of day on one line', async () => {
    const { formatDate, formatTime } = await import('../../src/template/helpers.js');
    expect(formatDate('es', '2026-12-01T10:00')).toBe('martes, 1 de diciembre de 2026');
    expect(formatTime('en', '2026-12-01T10:00', 60)).toBe('11:00\u00a0AM');
    // Arabic-script dates take the Arabic comma (ICU gives Persian a Latin one).
    expect(formatDate('fa', '2026-12-01T10:00')).toBe('۱۴۰۵ آذر ۱۰، سه‌شنبه');
    // French writes the first of the month as an ordinal; ICU gives the bare number.
    expect(formatDate('fr', '2026-12-01T10:00')).toBe('mardi 1er décembre 2026');
    expect(formatDate('fr', '2027-01-11T10:00')).toBe('lundi 11 janvier 2027');
    expect(formatDate('fr', '2026-12-01T10:00', 'short')).toBe('1er déc. 2026');
    // A time no calendar has, from a duration typed with too many digits.
    expect(() => formatTime('en', '2026-12-01T10:00', 1e12)).toThrow('1000000000000 minutes after "2026-12-01T10:00" is no time a calendar has');
  });

  it('write a day period both ends of a time range share once, where the language puts it', async () => {
    const { formatTimeRange } = await import('../../src/template/helpers.js');
    const range = (lang: string, from: string, plus: number, habits?: { clock?: '12h' | '24h' }) => formatTimeRange(lang, from, undefined, plus, habits);
    const nb = (s: string) => s.replace(/ /g, '\u00a0');
    expect(range('en', '2026-12-01T10:00', 60)).toEqual({ start: '10:00', end: nb('11:00 AM') });
    // Morning to afternoon: each keeps its own.
    expect(range('en', '2026-12-01T11:30', 90)).toEqual({ start: nb('11:30 AM'), end: nb('1:00 PM') });
    // Chinese puts the period first, so the end loses it; Arabic's follows the end.
    expect(range('zh-Hant', '2026-12-01T10:00', 60)).toEqual({ start: '上午10:00', end: '11:00' });
    expect(range('ar', '2026-12-01T10:00', 60)).toEqual({ start: '10:00', end: nb('11:00 ص') });
    expect(range('ko', '2026-12-01T10:00', 60)).toEqual({ start: nb('AM 10:00'), end: '11:00' });
    // The times stay as a single time is written (ICU's Japanese range says 10時00分～11時00分).
    expect(range('ja', '2026-12-01T10:00', 60)).toEqual({ start: '10:00', end: '11:00' });
    expect(range('ko', '2026-12-01T10:00', 60, { clock: '24h' })).toEqual({ start: '10:00', end: '11:00' });
    // A class of no length prints both whole; an end before the start is a typo in the data.
    expect(range('en', '2026-12-01T10:00', 0)).toEqual({ start: nb('10:00 AM'), end: nb('10:00 AM') });
    expect(formatTimeRange('en', '2026-12-01T10:00', '2026-12-01T11:15', 0)).toEqual({ start: '10:00', end: nb('11:15 AM') });
    expect(() => formatTimeRange('en', '2026-12-01T10:00', '2026-12-01T09:00', 0)).toThrow('the time range from "2026-12-01T10:00" ends before it starts ("2026-12-01T09:00")');
  });

  it('follow a locale’s own date settings: order, clock, and names where the system has none', async () => {
    const { formatDate, formatTime } = await import('../../src/template/helpers.js');
    // Persian in its usual order, with its own names, digits and calendar.
    expect(formatDate('fa', '2026-12-01T10:00', 'long', { pattern: '{weekday} {day} {month} {year}' })).toBe('سه‌شنبه ۱۰ آذر ۱۴۰۵');
    // Korean on the 24-hour clock rather than CLDR's "AM 10:00".
    expect(formatTime('ko', '2026-12-01T15:30')).toBe('PM\u00a03:30');
    expect(formatTime('ko', '2026-12-01T15:30', 0, { clock: '24h' })).toBe('15:30');
    expect(formatTime('en', '2026-12-01T15:30', 0, { clock: '24h' })).toBe('15:30');
    // Haitian Creole: Node's ICU has no date names for it, so English would be printed.
    expect(() => formatDate('ht', '2026-12-01T10:00')).toThrow(/dates in "ht" would be written in English/);
    const ht = loadLocale(real, 'ht').meta.dates;
    expect(formatDate('ht', '2026-12-01T10:00', 'long', ht)).toBe('madi 1 desanm 2026');
    expect(formatTime('ht', '2026-12-01T15:30', 0, ht)).toBe('15:30');
    // The settings are checked where they are written.
    const meta = (dates: unknown) => ({ name: 'X', englishName: 'X', dir: 'ltr', script: 'Latn', dates, translation: { source: false, producedBy: 't', reviewedByNativeSpeaker: false } });
    const withDates = (dates: unknown) => catchError(() => loadLocale(createMemoryIo('/p', { 'locales/xx/locale.json': JSON.stringify(meta(dates)) }), 'xx')).format();
    expect(withDates({ months: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'] })).toBe('locales/xx/locale.json: dates.weekdays: give both months and weekdays, or neither');
    expect(withDates({ pattern: '{weekday} {day} {month}' })).toMatch(/dates\.pattern: a pattern of \{weekday\}, \{day\}, \{month\} and \{year\}, with \{day\}, \{month\} and \{year\}$/);
    expect(withDates({ clock: '24' })).toMatch(/dates\.clock: /);
  });

  it('prints a number in a translation in the locale’s digits, as its dates', () => {
    const label = (code: string) => translate(loadLocale(real, code), 'handout.sessionLabel', { number: 12 });
    expect(label('en')).toBe('Session 12');
    expect(label('fa')).toBe('جلسهٔ ۱۲');
    expect(label('bn')).toBe('পর্ব ১২');
    expect(label('ne')).toBe('सत्र १२');
  });

  it('refuses dates that do not exist instead of rolling them over', async () => {
    const { parseWallClock } = await import('../../src/template/helpers.js');
    expect(parseWallClock('2028-02-29').toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(parseWallClock('2026-12-31T23:59').toISOString()).toBe('2026-12-31T23:59:00.000Z');
    for (const bad of ['2026-13-01', '2026-02-29', '2026-04-31T10:00', '2026-12-01T24:00', '2026-12-01T10:60', 'next tuesday']) {
      expect(() => parseWallClock(bad)).toThrow(`"${bad}" is not a date`);
    }
    // Two near misses are told what to change, not offered a date alone (which a session refuses).
    expect(() => parseWallClock('2026-12-08T9:00')).toThrow('"2026-12-08T9:00" is not a date (write the hour with two digits: 2026-12-08T09:00)');
    expect(() => parseWallClock('2026-12-1')).toThrow('"2026-12-1" is not a date (write the month and day with two digits: 2026-12-01)');
    expect(() => parseWallClock('2026-1-5T9:30')).toThrow('(write the month, day and hour with two digits: 2026-01-05T09:30)');
    // What does not exist is named.
    expect(() => parseWallClock('2026-13-01T09:00')).toThrow('"2026-13-01T09:00" is not a date (there is no month 13)');
    expect(() => parseWallClock('2026-02-30T09:00')).toThrow('(February 2026 has 28 days)');
    expect(() => parseWallClock('2028-02-30')).toThrow('(February 2028 has 29 days)');
    expect(() => parseWallClock('2026-12-01T24:00')).toThrow("(there is no hour 24: the day's last is 23)");
    expect(() => parseWallClock('tuesday')).toThrow('(expected YYYY-MM-DD or YYYY-MM-DDTHH:MM, like 2026-12-01T10:00)');
    // Where a time is needed (a session's start), the hint has one; a time zone is dropped from the time given.
    expect(() => parseWallClock('2026-12-1', true)).toThrow('(write the month and day with two digits, and the time of day: 2026-12-01T10:00 for 10 am)');
    expect(() => parseWallClock('26-12-01T09:00', true)).toThrow('(expected YYYY-MM-DDTHH:MM, like 2026-12-01T10:00)');
    expect(() => parseWallClock('2026-12-01T15:30Z')).toThrow("(write it without a time zone, in the class's local time (2026-12-01T15:30))");
    expect(() => parseWallClock('2026-12-08T10:00+01:00')).toThrow(/without a time zone, in the class's local time/);
  });
});

describe('templates', () => {
  const project = (template: string) =>
    createMemoryIo('/p', { 'templates/t.hbs': `{{!-- handout\ndescription: test\n--}}\n${template}`, 'templates/partials/box.hbs': '<p>{{text}}</p>' });
  const compileError = (template: string) => {
    try {
      new TemplateEnvironment(project(template)).get('t');
    } catch (e) {
      return (e as HandoutError).format();
    }
    return 'compiled';
  };

  it('know the translation namespaces they ask for, partials included, or that a key is computed', () => {
    const namespaces = (template: string) => new TemplateEnvironment(project(template)).get('t').namespaces;
    expect(namespaces('{{t "poster.title"}}{{#each (tlist "handout.bring")}}{{this}}{{/each}}{{timeRange "common.range" start}}')).toEqual(new Set(['poster', 'handout', 'common']));
    expect(namespaces('{{t key}}')).toBeNull();
    expect(new TemplateEnvironment(real).get('flyer').namespaces).toEqual(new Set(['benefits', 'common']));
  });

  it('says what a Handlebars syntax error is, in template terms, with its line', () => {
    expect(compileError('<document>\n{{#if brand.name}}\n<p>x</p>\n</document>')).toBe('templates/t.hbs:7: {{#if}} opened on line 5 is not closed: add {{/if}}');
    // A comment with braces in it does not count as a block.
    expect(compileError('{{!-- {{#each}} --}}\n{{#with brand}}\n{{/with}}\n{{#if x}}')).toBe('templates/t.hbs:7: {{#if}} opened on line 7 is not closed: add {{/if}}');
    expect(compileError('{{#each x}}{{/if}}')).toBe('templates/t.hbs:4: {{/if}} cannot close {{#each}}: close it with {{/each}} first');
    expect(compileError('<p>{{t "a.b"</p>')).toBe('templates/t.hbs:4: a {{…}} expression is not closed with }} (found a character Handlebars does not expect)');
    expect(compileError('<document>\n{{!-- a note\n<p>x</p>\n</document>')).toBe('templates/t.hbs:5: the comment {{!-- opened on line 5 is not closed: end it with --}}');
  });

  it('give every element of the markup the file and line it is written at, past stripped lines, loops and partials', () => {
    const io = createMemoryIo('/p', {
      'templates/t.hbs': '{{!-- handout\ndescription: t\n--}}\n<document>\n  {{#if ok}}\n  <p size="1">a</p>\n  {{/if}}\n  {{~> part}}\n  {{#each list}}\n  <p size="{{this}}">b</p>\n  {{/each}}\n  <section><p size="3">c</p>\n  </section>\n</document>\n',
      'templates/partials/part.hbs': '{{!-- a comment\nover lines --}}\n<row>\n  <p size="4">d</p>\n</row>\n',
    });
    const t = new TemplateEnvironment(io).get('t');
    const root = parseMarkup(t.render({ ok: true, list: [1, 2] }, { locale: null as never, keys: new Set() } as never), t.locate);
    const where: string[] = [];
    const walk = (n: DocNode) => {
      if (n.type !== 'element') return;
      where.push(`${n.name}${n.attrs.size ?? ''} ${n.pos.file}:${n.pos.line}`);
      n.children.forEach(walk);
    };
    walk(root);
    expect(where).toEqual([
      'document templates/t.hbs:4',
      'p1 templates/t.hbs:6',
      'row templates/partials/part.hbs:3',
      'p4 templates/partials/part.hbs:4',
      'p1 templates/t.hbs:10',
      'p2 templates/t.hbs:10',
      'section templates/t.hbs:12',
      'p3 templates/t.hbs:12',
    ]);
    // The marks are the parser's alone: no element keeps them as an attribute.
    expect(JSON.stringify(root)).not.toContain('handout-src');
  });

  it('finds a partial that does not exist when compiling, with its line; inline partials count', () => {
    expect(compileError('<document>\n{{> boxx text="a"}}\n</document>')).toBe('templates/t.hbs:5: {{> boxx}}: no partial templates/partials/boxx.hbs (known: box)');
    expect(compileError('{{#*inline "row"}}<p>r</p>{{/inline}}\n<document>{{> row}}{{> box text="b"}}</document>')).toBe('compiled');
  });

  it('finds a helper that does not exist, or a call without its argument, with file and line', () => {
    expect(compileError('<document>\n<p>{{upper brand.name}}</p></document>')).toMatch(/^templates\/t\.hbs:5: \{\{upper …\}\}: there is no helper "upper" \(helpers: t, tlist, date/);
    expect(compileError('<document>\n{{#each (shout "x")}}{{/each}}</document>')).toMatch(/^templates\/t\.hbs:5: \{\{shout …\}\}: there is no helper "shout"/);
    expect(compileError('<document>\n{{dte start}}</document>')).toMatch(/there is no helper "dte"; did you mean "date"\?/);
    expect(compileError('<document>\n{{timerange "a.b" start}}</document>')).toMatch(/there is no helper "timerange"; did you mean "timeRange"\?/);
    expect(compileError('<document>\n\n<p>{{t}}</p></document>')).toBe('templates/t.hbs:6: {{t}} needs an argument, like {{t "benefits.title"}}');
    expect(compileError('<document>{{#if (eq brand.name)}}x{{/if}}</document>')).toBe('templates/t.hbs:4: {{eq}} needs 2 arguments, like {{#if (eq a b)}}');
    // Values, blocks and Handlebars' own helpers are no calls of a missing helper.
    expect(compileError('<document><p>{{brand.name}} {{data.place.name}}{{#if brand.logo}}{{@index}}{{/if}}{{lookup brand "name"}}{{t "a.b" n=1}}</p></document>')).toBe('compiled');
  });

  it('reports a broken partial, or one missing inside a partial, at its own line, for the templates that use it', () => {
    const io = createMemoryIo('/p', {
      'templates/t.hbs': '{{!-- handout\ndescription: test\n--}}\n<document>{{> outer}}</document>',
      'templates/u.hbs': '{{!-- handout\ndescription: test\n--}}\n<document><p>fine</p></document>',
      'templates/partials/outer.hbs': '<p>a</p>\n{{> inner}}',
      'templates/partials/inner.hbs': '<p>\n{{#if x}}</p>',
    });
    const env = new TemplateEnvironment(io);
    expect(catchError(() => env.get('t')).format()).toBe('templates/partials/inner.hbs:2: {{#if}} opened on line 2 is not closed: add {{/if}}');
    expect(env.get('u').name).toBe('u');
    const missing = createMemoryIo('/p', { 'templates/t.hbs': '{{!-- handout\ndescription: test\n--}}\n<document>{{> outer}}</document>', 'templates/partials/outer.hbs': '<p>a</p>\n{{> innr}}' });
    expect(catchError(() => new TemplateEnvironment(missing).get('t')).format()).toBe('templates/partials/outer.hbs:2: {{> innr}}: no partial templates/partials/innr.hbs (known: outer)');
  });
});

describe('locale direction', () => {
  it('must be the direction the translations are written in', () => {
    const meta = (code: string, dir: string) => JSON.stringify({ ...JSON.parse(fs.readFileSync(path.join(ROOT, 'locales', code, 'locale.json'), 'utf8')), dir });
    const io = createMemoryIo(ROOT, { 'locales/fa/locale.json': meta('fa', 'ltr'), 'locales/de/locale.json': meta('de', 'rtl') }, real);
    expect(catchError(() => loadLocale(io, 'fa')).format()).toBe('locales/fa/locale.json: dir: "ltr", but the translations are written right to left: write "dir": "rtl"');
    expect(catchError(() => loadLocale(io, 'de')).format()).toBe('locales/de/locale.json: dir: "rtl", but the translations are written left to right: write "dir": "ltr"');
    for (const code of listLocales(real)) expect(() => loadLocale(real, code)).not.toThrow();
  });

  it('and script must be those the translations are written in', () => {
    const meta = (code: string, script: string) => JSON.stringify({ ...JSON.parse(fs.readFileSync(path.join(ROOT, 'locales', code, 'locale.json'), 'utf8')), script });
    const io = createMemoryIo(ROOT, { 'locales/my/locale.json': meta('my', 'Latn'), 'locales/ru/locale.json': meta('ru', 'Latn'), 'locales/ja/locale.json': meta('ja', 'Hans'), 'locales/zh-Hant/locale.json': meta('zh-Hant', 'Hans') }, real);
    expect(catchError(() => loadLocale(io, 'my')).format()).toBe('locales/my/locale.json: script: "Latn", but the translations are written in Myanmar letters: write "script": "Mymr"');
    expect(catchError(() => loadLocale(io, 'ru')).format()).toMatch(/script: "Latn", but the translations are written in Cyrillic letters: write "script": "Cyrl"$/);
    // Hans for Japanese is a mistake of the letters' script.
    expect(catchError(() => loadLocale(io, 'ja')).format()).toMatch(/script: "Hans", but the translations are written in (Hiragana|Han) letters/);
    // Simplified and traditional Chinese told apart by the characters that differ.
    expect(catchError(() => loadLocale(io, 'zh-Hant')).format()).toBe('locales/zh-Hant/locale.json: script: "Hans", but the translations are written in traditional Chinese characters: write "script": "Hant"');
    const hant = createMemoryIo(ROOT, { 'locales/zh-Hans/locale.json': meta('zh-Hans', 'Hant') }, real);
    expect(catchError(() => loadLocale(hant, 'zh-Hans')).format()).toMatch(/script: "Hant", but the translations are written in simplified Chinese characters: write "script": "Hans"$/);
  });

  it('have no key the English lacks, counting plural forms and list items as belonging', () => {
    const en = loadLocale(real, 'en');
    // Arabic's plural forms (_zero, _two, _few, _many) and every list's items are the English's keys.
    for (const code of listLocales(real)) expect(beyondReference(loadLocale(real, code), en), code).toEqual([]);
    const es = loadLocale(real, 'es');
    const extra = { ...es, resources: { ...es.resources, benefits: { ...es.resources.benefits, slogan: 'x' }, clinic: { hours: 'y' } } };
    expect(beyondReference(extra, en)).toEqual(['benefits.slogan', 'clinic.hours']);
    // A plural group with the forms of its language, and a list longer than the English one.
    const reference = { ...en, resources: { t: { n_one: '{{count}} session', n_other: '{{count}} sessions', bring: ['a', 'b'] } } };
    const arabic = { ...en, resources: { t: { n_zero: '0', n_one: '1', n_two: '2', n_few: '3', n_many: '11', n_other: '100', bring: ['a', 'b', 'c'], m_few: 'x' } } };
    expect(beyondReference(arabic, reference)).toEqual(['t.m_few']);
  });

  it('are told by the texts translated so far, not by those still in English', () => {
    // A Thai locale begun from copies of the English files: three texts translated.
    const english = (ns: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'locales/en', `${ns}.json`), 'utf8')) as Record<string, unknown>;
    const benefits = { ...english('benefits'), title: 'ประโยชน์ของการนวดทารก', tagline: 'สัมผัสแห่งความรักเพื่อลูกน้อยที่ผ่อนคลาย', intro: 'พ่อแม่ทุกวัฒนธรรมนวดลูกเพื่อทำความรู้จักกัน' };
    const files: Record<string, string> = {
      'locales/th/locale.json': JSON.stringify({ name: 'ไทย', englishName: 'Thai', dir: 'ltr', script: 'Thai', translation: { source: false, producedBy: 'test', reviewedByNativeSpeaker: false } }),
      'locales/th/benefits.json': JSON.stringify(benefits),
      'locales/th/common.json': JSON.stringify(english('common')),
      'locales/th/handout.json': JSON.stringify(english('handout')),
    };
    expect(loadLocale(createMemoryIo(ROOT, files, real), 'th').meta.script).toBe('Thai');
    // Wrong for what is translated, it is still named.
    const latin = { ...files, 'locales/th/locale.json': files['locales/th/locale.json']!.replace('"script":"Thai"', '"script":"Latn"') };
    expect(catchError(() => loadLocale(createMemoryIo(ROOT, latin, real), 'th')).format()).toBe('locales/th/locale.json: script: "Latn", but the translations are written in Thai letters: write "script": "Thai"');
  });

  it('is named by a BCP 47 tag: a folder called pt_BR is told its name', () => {
    const io = createMemoryIo(ROOT, { 'locales/pt_BR/locale.json': fs.readFileSync(path.join(ROOT, 'locales/pt-BR/locale.json')) }, real);
    expect(catchError(() => loadLocale(io, 'pt_BR')).format()).toBe('locales/pt_BR/: "pt_BR" is not a BCP 47 language tag: name the folder pt-BR');
    // A tag in another case was taken, and then found none of its texts.
    for (const folder of ['PT-br', 'pt-br']) {
      const cased = createMemoryIo(ROOT, { [`locales/${folder}/locale.json`]: fs.readFileSync(path.join(ROOT, 'locales/pt-BR/locale.json')) }, real);
      expect(catchError(() => loadLocale(cased, folder)).format()).toBe(`locales/${folder}/: "${folder}" is written pt-BR as a language tag: name the folder pt-BR`);
    }
  });
});

describe('plural texts', () => {
  // A project whose English counts sessions with i18next's plural forms.
  const meta = (dir: string, script = 'Latn') => JSON.stringify({ name: 'X', englishName: 'X', dir, script, translation: { source: false, producedBy: 'test', reviewedByNativeSpeaker: false } });
  const SCRIPTS: Record<string, string> = { ar: 'Arab', ru: 'Cyrl', ja: 'Jpan' };
  const project = (files: Record<string, unknown>) =>
    createMemoryIo('/p', Object.fromEntries(Object.entries(files).map(([f, v]) => [f, typeof v === 'string' ? v : JSON.stringify(v)])), real);
  const english = { sessions_one: '{{count}} session', sessions_other: '{{count}} sessions' };
  const check = (code: string, texts: Record<string, string>, dir = 'ltr', en: Record<string, string> = english) => {
    const io = project({ 'locales/en/locale.json': meta('ltr'), 'locales/en/h.json': en, [`locales/${code}/locale.json`]: meta(dir, SCRIPTS[code]), [`locales/${code}/h.json`]: texts });
    const locale = loadLocale(io, code);
    checkComplete(locale, loadLocale(io, 'en'));
    return locale;
  };

  it('need the forms of the locale’s own language, not the English ones', () => {
    // Japanese has one form; Arabic six, and may spell out one and two without {{count}}.
    const ja = check('ja', { sessions_other: '{{count}}回' });
    expect(translate(ja, 'h.sessions', { count: 1 })).toBe('1回');
    const ar = check('ar', { sessions_zero: 'لا جلسات', sessions_one: 'جلسة واحدة', sessions_two: 'جلستان', sessions_few: '{{count}} جلسات', sessions_many: '{{count}} جلسة', sessions_other: '{{count}} جلسة' }, 'rtl');
    expect([0, 1, 2, 5, 11, 100].map((n) => translate(ar, 'h.sessions', { count: n }))).toEqual(['لا جلسات', 'جلسة واحدة', 'جلستان', '5 جلسات', '11 جلسة', '100 جلسة']);
    // Spanish has a form for millions, which i18next would print as the bare key if it were missing.
    expect(catchError(() => check('es', { sessions_one: '{{count}} sesión', sessions_other: '{{count}} sesiones' })).message).toBe(
      'locale "es" is missing 1 key: h.sessions_many (a plural form es needs)',
    );
    const es = check('es', { sessions_one: '{{count}} sesión', sessions_many: '{{count}} de sesiones', sessions_other: '{{count}} sesiones' });
    expect([1, 5, 1e6].map((n) => translate(es, 'h.sessions', { count: n }))).toEqual(['1 sesión', '5 sesiones', '1.000.000 de sesiones']);
    // A form that drops {{count}} is fine; one with a placeholder English lacks is not.
    expect(catchError(() => check('ja', { sessions_other: '{{n}}回' })).message).toMatch(/"h\.sessions_other" has \{\{n\}\}, which the English text does not/);
    // Handlebars' triple braces are i18next's {{raw}} between two braces, quoted as such.
    expect(catchError(() => check('ja', { sessions_other: '{{{raw}}}回' })).message).toMatch(/"h\.sessions_other" has \{\{raw\}\}, which/);
    // Nor does a form that prints the number where English's spells it out: Russian "one" is
    // also 21 and 31.
    const ru = check('ru', { sessions_one: '{{count}} занятие', sessions_few: '{{count}} занятия', sessions_many: '{{count}} занятий', sessions_other: '{{count}} занятия' }, 'ltr', { sessions_one: 'One session', sessions_other: '{{count}} sessions' });
    expect([1, 21, 3, 5].map((n) => translate(ru, 'h.sessions', { count: n }))).toEqual(['1 занятие', '21 занятие', '3 занятия', '5 занятий']);
  });

  it('in English need English’s forms too; a count is a number, and a plural text without one is an error', () => {
    const io = project({ 'locales/en/locale.json': meta('ltr'), 'locales/en/h.json': { sessions_other: '{{count}} sessions' } });
    const en = loadLocale(io, 'en');
    expect(catchError(() => checkComplete(en, en)).message).toBe('locale "en" is missing 1 key: h.sessions_one (a plural form en needs)');
    const ok = check('de', { sessions_one: '{{count}} Termin', sessions_other: '{{count}} Termine' });
    expect(translate(ok, 'h.sessions', { count: '3' })).toBe('3 Termine');
    expect(catchError(() => translate(ok, 'h.sessions')).message).toMatch(/^"h\.sessions" has plural forms: give it count=/);
    expect(catchError(() => translate(ok, 'h.sessions', { count: 'many' })).message).toBe('count="many" of "h.sessions" is not a number');
    // A value the data lacks (strict mode passes it to the hash): not "count=undefined".
    expect(catchError(() => translate(ok, 'h.sessions', { count: undefined })).message).toBe('count= of "h.sessions" has no value: the data lacks the number it reads (ask for an optional one with {{#if}} first)');
  });
});

describe('texts still in English', () => {
  it('are none in the shipped locales; a copied locale is found, placeholders-only texts are not', () => {
    const en = loadLocale(real, 'en');
    for (const code of listLocales(real).filter((c) => c !== 'en')) expect(sameAsReference(loadLocale(real, code), en), code).toEqual([]);
    const copy = { ...en, code: 'sw', resources: JSON.parse(JSON.stringify(en.resources)) };
    (copy.resources.benefits as Record<string, unknown>).title = 'Faida za masaji ya watoto';
    const left = sameAsReference(copy, en);
    expect(left).not.toContain('benefits.title');
    expect(left).toContain('benefits.intro');
    expect(left).not.toContain('handout.sessionWhen');
    expect(left).not.toContain('handout.timeRange');
  });
});

describe('JSON a person edits', () => {
  const at = (text: string) => {
    const p = jsonProblem(text);
    return p && `${lineAt(text, p.offset)}: ${p.problem}`;
  };

  it('is named at the line of its mistake, in words: JSON.parse says only "Unexpected token"', () => {
    expect(at('{\n  "sessions": [\n    {"start": "2026-12-01T10:00"},\n  ],\n  "x": 1\n}')).toBe('3: a comma before "]": JSON allows none after the last item');
    expect(at('{\n  "a": 1,\n}')).toBe('2: a comma before "}": JSON allows none after the last item');
    // A missing comma is missing at the end of the line before.
    expect(at('{\n  "a": 1\n  "b": 2\n}')).toBe('2: "," or "}" expected after an item (a comma missing?)');
    // A quote inside a text, not escaped: the text ended early, and a word follows it.
    expect(at('{\n  "web": "Sitio "web""\n}')).toBe('2: a text ends at a " that is part of it: write \\" inside a text, or typographic quotes (“web”)');
    expect(at('{\n  "a": 1,\n  "b": "\\qT"\n}')).toBe('3: "\\q" is no escape JSON knows: write \\\\ for a backslash, \\n for a new line, \\" for a quote');
    expect(at('{\n  "a": "x\ty"\n}')).toBe('2: a tab inside a text: write \\t');
    expect(at("{\n  'a': 1\n}")).toBe('2: a name in single quotes: JSON takes double quotes');
    expect(at('{\n  "a": 1 // why\n}')).toBe('2: a comment, which JSON does not allow');
    expect(at('{\n  "a": "two\nlines"\n}')).toMatch(/^2: a line break inside a text/);
    expect(at('{\n  "a": [1, 2\n')).toBe('3: the file ends inside [ … ]: a closing ] is missing');
    expect(at('{"a": tru}')).toMatch(/^1: a value \(text in double quotes, number, true, false or null\) expected, not "tru}"/);
    expect(at('{"a": "x\\"y"}\n}')).toMatch(/^2: more after the end/);
    expect(at('  \n')).toBe('1: the file is empty');
    // What JSON.parse takes, this takes: escapes, numbers, nesting, unicode.
    for (const ok of ['{"a": "x\\"y\\\\ \\/ \\u00e9\\n", "b": [-1.5e3, 0, true, false, null, {}], "c": {"d": []}}', '"text"', '[]', ' 42 ']) {
      expect(() => JSON.parse(ok)).not.toThrow();
      expect(at(ok)).toBeNull();
    }
    for (const code of listLocales(real)) for (const f of ['benefits', 'common', 'handout', 'locale']) expect(at(fs.readFileSync(path.join(ROOT, 'locales', code, `${f}.json`), 'utf8'))).toBeNull();
  });
});

describe('text files', () => {
  const read = (bytes: number[]) => utf8Text(new Uint8Array(bytes), 'locales/es/x.json');
  const A = 0x41;
  const E_ACUTE = [0xc3, 0xa9];

  it('are UTF-8, with a byte-order mark dropped', () => {
    expect(read([0xef, 0xbb, 0xbf, A, ...E_ACUTE])).toBe('Aé');
    expect(read([A, 0x0a, ...E_ACUTE])).toBe('A\né');
  });

  it('with a byte that is not UTF-8 name its line and the byte, after a byte-order mark too', () => {
    const fails = (bytes: number[]) => {
      try {
        read(bytes);
      } catch (e) {
        return [(e as HandoutError).message, (e as HandoutError).where];
      }
      return null;
    };
    // Windows-1252 é (0xE9) on the second line, after a UTF-8 é.
    expect(fails([A, 0x0a, 0x42, ...E_ACUTE, 0xe9, 0x43])).toEqual([
      'not UTF-8 text: byte 0xE9 after "Bé" is not a character in UTF-8; save the file with UTF-8 encoding',
      { file: 'locales/es/x.json', line: 2 },
    ]);
    expect(fails([0xef, 0xbb, 0xbf, A, 0x42, 0xe9])?.[0]).toMatch(/^not UTF-8 text: byte 0xE9 after "AB"/);
    expect(fails([0xe9, A])?.[0]).toMatch(/^not UTF-8 text: byte 0xE9 at the start of the line/);
  });
});

describe('data a template declares', () => {
  const info = { name: 'mini', file: 'templates/mini.hbs', description: '', needs: ['place.name', 'minutes'], optional: ['extras[].name', 'extras[].price'], numbers: { minutes: { min: 1, max: 720 }, 'extras[].price': { min: 0 } } };
  const job = { data: 'd.yaml', set: {} };
  it('an optional list may be empty or missing; a needed value may not', () => {
    const place = { name: 'Hall' };
    expect(() => checkDataNeeds(info, { place, minutes: 60, extras: [] }, job)).not.toThrow();
    expect(() => checkDataNeeds(info, { place, minutes: 60 }, job)).not.toThrow();
    expect(() => checkDataNeeds(info, { place, minutes: 60, extras: [{ name: 'Tea' }] }, job)).not.toThrow();
    expect(catchError(() => checkDataNeeds(info, { place, minutes: 60, extras: [{ name: ['a', 'b'] }] }, job)).message).toBe('"extras[0].name" is a list of 2, where the mini template prints one value');
    expect(catchError(() => checkDataNeeds(info, { minutes: 60, extras: [] }, job)).format()).toBe('d.yaml: the mini template needs "place.name"; this data has no value for it');
  });

  it('a value declared a number is one, within its bounds (a --set value is text that reads as one)', () => {
    const place = { name: 'Hall' };
    expect(() => checkDataNeeds(info, { place, minutes: 90.5, extras: [{ name: 'Tea', price: 0 }] }, job)).not.toThrow();
    expect(() => checkDataNeeds(info, { place, minutes: '45' }, { data: 'd.yaml', set: { minutes: '45' } })).not.toThrow();
    expect(catchError(() => checkDataNeeds(info, { place, minutes: -30 }, job)).format()).toBe('d.yaml: "minutes" is the number -30, where the mini template needs a number from 1 to 720');
    expect(catchError(() => checkDataNeeds(info, { place, minutes: 'an hour' }, job)).message).toBe('"minutes" is the text "an hour", where the mini template needs a number from 1 to 720');
    expect(catchError(() => checkDataNeeds(info, { place, minutes: '0' }, { data: 'd.yaml', set: { minutes: '0' } })).format()).toBe('--set minutes=0: the mini template needs a number from 1 to 720');
    expect(catchError(() => checkDataNeeds(info, { place, minutes: 60, extras: [{ name: 'Tea', price: -1 }] }, job)).message).toBe('"extras[0].price" is the number -1, where the mini template needs a number of at least 0');
  });

  it('a value the template never reads is a warning naming the value it was likely meant for', () => {
    const said = (data: Record<string, unknown>) => checkDataNeeds(info, data, job).map((w) => w.format());
    expect(said({ place: { name: 'Hall' }, minutes: 60, extras: [{ name: 'Tea' }] })).toEqual([]);
    // One warning for a key however many list items have it.
    expect(said({ place: { name: 'Hall', nme: 'x' }, minutes: 60, extras: [{ nam: 'Tea' }, { nam: 'Cake' }] })).toEqual([
      'd.yaml: "place.nme" is read by no part of the mini template; did you mean "place.name"?',
      'd.yaml: "extras[0].nam" is read by no part of the mini template; did you mean "extras[].name"?',
    ]);
    expect(said({ place: { name: 'Hall' }, minutes: 60, colour: 'red' })).toEqual(['d.yaml: "colour" is read by no part of the mini template (it reads place.name, minutes, extras[].name, extras[].price)']);
    // A needed value missing beside one the template does not read: that one is named.
    expect(catchError(() => checkDataNeeds(info, { place: { nombre: 'Sala' }, minutes: 60 }, job)).message).toBe(
      'the mini template needs "place.name"; this data has no value for it, though it has "place.nombre", which the template does not read',
    );
    // A misspelt map: the key is spelt nearly as the one needed; the message points at it.
    const plac = catchError(() => checkDataNeeds(info, { plac: { name: 'Sala' }, minutes: 60 }, job));
    expect(plac.message).toBe('the mini template needs "place.name"; this data has no value for it, though it has "plac.name", which the template does not read');
    expect(plac.where.key).toBe('plac.name');
    // A misspelt list is named once, not by its items' values, which are not spelt like it.
    const extra = catchError(() => checkDataNeeds({ ...info, needs: [...info.needs, 'extras[].name'] }, { place: { name: 'Hall' }, minutes: 60, extra: [{ name: 'Tea' }, { name: 'Cake' }] }, job));
    expect(extra.message).toBe('the mini template needs "extras"; this data has no value for it, though it has "extra", which the template does not read');
    expect(extra.where.key).toBe('extra');
    // Dates of a list out of order: the year left unchanged across New Year, most often.
    const days = { ...info, needs: ['days[].on'], optional: [] };
    const order = (on: string[]) => checkDataNeeds(days, { days: on.map((d) => ({ on: d })) }, job).map((w) => w.format());
    expect(order(['2026-12-29T18:30', '2027-01-05T18:30'])).toEqual([]);
    expect(order(['2026-12-22T18:30', '2026-12-29T18:30', '2026-01-05T18:30', '2026-01-12T18:30'])).toEqual([
      'd.yaml: "days[2].on" 2026-01-05T18:30 comes before "days[1].on" 2026-12-29T18:30, the one above it in the list: is the date right? The mini template prints them in the order given',
    ]);
    // Every such place, a date given twice, and a date from --set named as such.
    expect(order(['2026-12-01T10:00', '2026-12-01T10:00', '2026-12-08T10:00', '2026-11-01T10:00', '2026-12-15T10:00', '2025-10-01T10:00']).map((w) => w.replace(/, the one above.*/, ''))).toEqual([
      'd.yaml: "days[1].on" 2026-12-01T10:00 is the same as "days[0].on"',
      'd.yaml: "days[3].on" 2026-11-01T10:00 comes before "days[2].on" 2026-12-08T10:00',
      'd.yaml: "days[5].on" 2025-10-01T10:00 comes before "days[4].on" 2026-12-15T10:00',
    ]);
    const set = checkDataNeeds(days, { days: [{ on: '2026-12-01T10:00' }, { on: '2025-12-08T10:00' }] }, { data: 'd.yaml', set: { 'days.1.on': '2025-12-08T10:00' } }).map((w) => w.format());
    expect(set).toEqual(['--set days.1.on=2025-12-08T10:00 comes before "days[0].on" 2026-12-01T10:00, the one above it in the list: is the date right (its year?)? The mini template prints them in the order given']);
    // A file that is a list, or a text, has no key to name: it had been called "".
    const list = catchError(() => checkDataNeeds(info, [{ start: 'x' }, { start: 'y' }] as unknown as Record<string, unknown>, job));
    expect(list.format()).toBe('d.yaml: the file is a list of 2, where the mini template needs a map with place …');
  });
});

describe('unknown names', () => {
  const locales = listLocales(real);
  const guess = (kind: string, name: string, known: string[]) => /did you mean (.*)\? \(known/.exec(unknownName(kind, name, known))?.[1] ?? null;
  it('are matched case-blind, a locale first by its language, then by spelling', () => {
    expect(guess('locale', 'pt', locales)).toBe('"pt-BR"');
    expect(guess('locale', 'zh', locales)).toBe('"zh-Hans" or "zh-Hant"');
    expect(guess('locale', 'es-MX', locales)).toBe('"es"');
    expect(guess('locale', 'EN', locales)).toBe('"en"');
    // Or by what the language is called, in English or in itself.
    const names = localeNames(real);
    expect(guess('locale', 'spanish', locales)).toBeNull();
    expect(unknownName('locale', 'spanish', locales, names)).toMatch(/did you mean "es" \(Spanish\)\?/);
    expect(unknownName('locale', 'Español', locales, names)).toMatch(/did you mean "es" \(Spanish\)\?/);
    // Two letters that are no code but begin a language's name ("sp" is not Somali's "so").
    expect(unknownName('locale', 'sp', locales, names)).toMatch(/did you mean "es" \(Spanish\)\?/);
    expect(unknownName('locale', 'chin', locales, names)).toMatch(/did you mean "zh-Hans" \(Chinese \(Simplified\)\) or "zh-Hant" \(Chinese \(Traditional\)\)\?/);
    expect(guess('locale', 'xx', locales)).toBeNull();
    expect(guess('template', 'flyr', ['flyer', 'class-handout'])).toBe('"flyer"');
    // Swapped neighbours are one slip, as one letter left out is; two swaps are too far for five letters.
    expect(guess('template', 'fyler', ['flyer', 'class-handout'])).toBe('"flyer"');
    expect(guess('brand', 'sunrise-cilnic', ['default', 'sunrise-clinic'])).toBe('"sunrise-clinic"');
    expect(guess('template', 'fyelr', ['flyer', 'class-handout'])).toBeNull();
    // A name cut short: the names it starts.
    expect(guess('brand', 'sunrise', ['default', 'sunrise-clinic'])).toBe('"sunrise-clinic"');
    expect(guess('template', 'class', ['flyer', 'class-handout', 'class-poster'])).toBe('"class-handout" or "class-poster"');
    expect(guess('template', 'cl', ['flyer', 'class-handout'])).toBeNull();
  });
});
