import * as fs from 'node:fs';
import YAML from 'yaml';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, fold, pdfText, ROOT, tempProject, withEdit } from '../helpers.js';
import { execFileSync } from 'node:child_process';
import { hasTool } from '../pdf-inspect.js';

/**
 * Every kind of bad input: one message naming the file (and line, key or field), a non-zero
 * exit, and the good PDFs from an earlier build left exactly as they were.
 */
let dir: string;
let good: Buffer;
const goodPdf = () => path.join(dir, 'output/default/en/flyer.pdf');

beforeAll(async () => {
  dir = tempProject(['en', 'es']);
  const r = await cli(['build', '--root', dir, '-q']);
  expect(r.code).toBe(0);
  good = fs.readFileSync(goodPdf());
});

/** Applies a breaking edit, builds, restores the file, and returns the result. */
function breakAndBuild(file: string, edit: (s: string) => string, args: string[] = []) {
  return withEdit(dir, file, edit, () => cli(['build', '--root', dir, '-q', '-l', 'en', '-b', 'default', ...args]));
}

function expectUntouched() {
  expect(fs.readFileSync(goodPdf()).equals(good)).toBe(true);
  const leftovers = fs.readdirSync(path.dirname(goodPdf())).filter((f) => f.endsWith('.tmp'));
  expect(leftovers).toEqual([]);
}

describe('bad input', () => {
  it('unknown template, locale or brand: usage error (exit 2) listing the known ones', async () => {
    for (const [flag, value, what, meant] of [['-t', 'flyr', 'template', 'flyer'], ['-l', 'xx', 'locale', ''], ['-l', 'EN', 'locale', 'en'], ['-l', 'es-MX', 'locale', 'es'], ['-b', 'acme', 'brand', '']] as const) {
      const r = await cli(['build', '--root', dir, flag, value]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`unknown ${what} "${value}"${meant ? `; did you mean "${meant}"\\?` : ''} \\(known: `));
    }
    // In a job of the config: its line, before any job fails for it.
    const r = await withEdit(dir, 'handout.config.yaml', (s) => s.replace('locales: all', 'locales: [en, ES]'), () => cli(['build', '--root', dir]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/handout\.config\.yaml:\d+: field "jobs\.0\.locales\.1": unknown locale "ES"; did you mean "es"\?/);
    expectUntouched();
  });

  it('a file not saved as UTF-8 names its line and byte; a byte-order mark is no error', async () => {
    const file = path.join(dir, 'locales/en/benefits.json');
    const original = fs.readFileSync(file);
    const text = original.toString('utf8');
    const at = text.indexOf('infant massage');
    try {
      // "é" as Windows-1252 saves it: the one byte 0xE9, which is no character in UTF-8.
      fs.writeFileSync(file, Buffer.concat([Buffer.from(text.slice(0, at), 'utf8'), Buffer.from([0xe9]), Buffer.from(text.slice(at), 'utf8')]));
      let r = await cli(['build', '--root', dir, '-q', '-l', 'en', '-b', 'default']);
      expect(r.code).toBe(1);
      const line = text.slice(0, at).split('\n').length;
      expect(r.stderr).toContain(`locales/en/benefits.json:${line}: not UTF-8 text: byte 0xE9 after "`);
      expect(r.stderr).toMatch(/save the file with UTF-8 encoding/);
      expectUntouched();
      // The mark some Windows editors put first is not part of the text.
      fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), original]));
      r = await cli(['build', '--root', dir, '-q', '-l', 'en', '-b', 'default', '-t', 'flyer']);
      expect(r.code).toBe(0);
      expect(await pdfText(fs.readFileSync(goodPdf()))).toContain('The benefits of infant massage');
    } finally {
      fs.writeFileSync(file, original);
    }
    expectUntouched();
  });

  it('options that select no job of the config are a usage error, not a run of 0 jobs that passes', async () => {
    // A template just written, which no job of handout.config.yaml lists yet.
    fs.writeFileSync(path.join(dir, 'templates/poster.hbs'), '{{!-- handout\ndescription: A poster\n--}}\n<document><h1>x</h1></document>');
    try {
      for (const command of ['build', 'check']) {
        const r = await cli([command, '--root', dir, '-t', 'poster', '-l', 'en', '-b', 'default']);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/handout\.config\.yaml: template "poster" is in no job \(the jobs build flyer, class-handout\): add it to a job's templates, or write templates: all/);
      }
    } finally {
      fs.rmSync(path.join(dir, 'templates/poster.hbs'));
    }
    // Each name is in a job, but no job has them together.
    const r = await withEdit(dir, 'handout.config.yaml', () => 'jobs:\n  - templates: [flyer]\n    locales: [en]\n  - templates: [class-handout]\n    locales: [es]\n', () => cli(['build', '--root', dir, '-t', 'flyer', '-l', 'es']));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the options select no job: none has that template, locale and brand together/);
    expectUntouched();
  });

  it('--out ending in .pdf names the file; two documents for one file are a usage error', async () => {
    let r = await cli(['build', '--root', dir, '-q', '-t', 'flyer', '-l', 'en', '-b', 'default', '--out', 'my-flyer.pdf']);
    expect(r.code).toBe(0);
    expect(fs.statSync(path.join(dir, 'my-flyer.pdf')).isFile()).toBe(true);
    r = await cli(['build', '--root', dir, '-q', '-t', 'flyer', '-l', 'en', '--out', 'my-flyer.pdf']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out my-flyer\.pdf: two jobs would write my-flyer\.pdf \(brand default and sunrise-clinic\); add \{brand\} to it, give a folder, or narrow the run to one document/);
    r = await cli(['build', '--root', dir, '-q', '-t', 'flyer', '-l', 'en', '-b', 'default,sunrise-clinic', '--out', 'by-brand/{brand}.pdf']);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'by-brand')).sort()).toEqual(['default.pdf', 'sunrise-clinic.pdf']);
  });

  it('an output folder that cannot be made is an error, not a hang (Node 20\'s recursive mkdir spins under /proc)', async () => {
    if (!fs.existsSync('/proc/self')) return;
    const r = await cli(['build', '--root', dir, '-q', '-t', 'flyer', '-l', 'en', '-b', 'default', '-o', '/proc/handout-test'], ROOT, {}, 20_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^  \/proc\/handout-test\/default\/en\/flyer\.pdf: cannot write: ENOENT: no such file or directory, mkdir '\/proc\/handout-test'$/m);
    // A file where a folder belongs is named, not the temporary file written first.
    fs.writeFileSync(path.join(dir, 'a-file'), '');
    const file = await cli(['build', '--root', dir, '-q', '-t', 'flyer', '-l', 'en', '-b', 'default', '-o', path.join(dir, 'a-file/x.pdf')]);
    fs.rmSync(path.join(dir, 'a-file'));
    expect(file.stderr).toContain(`cannot write: ENOTDIR: not a directory, open '${path.join(dir, 'a-file/x.pdf')}'`);
  });

  it('a Handlebars syntax error names the template and line, and says what is wrong', async () => {
    let r = await breakAndBuild('templates/flyer.hbs', (s) => s.replace('{{t "benefits.intro"}}', '{{t "benefits.intro"'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/templates\/flyer\.hbs:10: a \{\{…\}\} expression is not closed with \}\} \(found a character Handlebars does not expect\)/);
    // A block left open: Handlebars reports the end of the file; the message names the opener.
    r = await breakAndBuild('templates/flyer.hbs', (s) => s.replace('{{/each}}', ''));
    expect(r.stderr).toMatch(/templates\/flyer\.hbs:\d+: \{\{#each\}\} opened on line 17 is not closed: add \{\{\/each\}\}/);
    r = await breakAndBuild('templates/flyer.hbs', (s) => s.replace('{{/each}}', '{{/if}}'));
    expect(r.stderr).toMatch(/templates\/flyer\.hbs:17: \{\{\/if\}\} cannot close \{\{#each\}\}: close it with \{\{\/each\}\} first/);
    r = await breakAndBuild('templates/flyer.hbs', (s) => s.replace('{{> contact-footer}}', '{{> contact-fotter}}'));
    expect(r.stderr).toMatch(/templates\/flyer\.hbs:25: \{\{> contact-fotter\}\}: no partial templates\/partials\/contact-fotter\.hbs \(known: benefit-cards, brand-header, contact-footer\)/);
    expectUntouched();
  });

  it('an unknown markup element or attribute names the template and line', async () => {
    let r = await breakAndBuild('templates/flyer.hbs', (s) => s.replace('<h2 space-before="8">', '<heading2 space-before="8">').replace('</h2>\n  {{> benefit', '</heading2>\n  {{> benefit'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/templates\/flyer\.hbs:11: unknown element <heading2>/);
    r = await breakAndBuild('templates/partials/contact-footer.hbs', (s) => s.replace('<rule color="accent"', '<rule colour="accent"'));
    expect(r.stderr).toMatch(/templates\/partials\/contact-footer\.hbs:2: unknown attribute "colour" on <rule>/);
    // Of the template's many <p>, the one left open (it was the file's first <p>, line 9).
    r = await breakAndBuild('templates/flyer.hbs', (s) => s.replace('{{t "benefits.family.body"}}</p>', '{{t "benefits.family.body"}}'), ['-t', 'flyer']);
    expect(r.stderr).toMatch(/templates\/flyer\.hbs:22: <p> is never closed: <\/section> on line 23 comes before its <\/p>/);
    expectUntouched();
  });

  it('a mistake in a partial names the partial and its line, not an element of the same tag in the template', async () => {
    // A value an attribute cannot take, found at layout: it had been named at flyer.hbs:9, the template's <p> nearest the markup's line.
    let r = await breakAndBuild('templates/partials/brand-header.hbs', (s) => s.replace('space-after="0" hyphenate="false"><span', 'space-after="0" hyphenate="maybe"><span'), ['-t', 'flyer']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/templates\/partials\/brand-header\.hbs:5: hyphenate must be true or false, not "maybe"/);
    // Inside a loop of a partial, after another partial, and in the template after both.
    r = await breakAndBuild('templates/partials/benefit-cards.hbs', (s) => s.replace('<p size=', '<p sise='), ['-t', 'flyer']);
    expect(r.stderr).toMatch(/templates\/partials\/benefit-cards\.hbs:5: unknown attribute "sise" on <p>; did you mean "size"\?/);
    r = await breakAndBuild('templates/flyer.hbs', (s) => s.replace('<ul size="9.4">', '<ul sise="9.4">'), ['-t', 'flyer']);
    expect(r.stderr).toMatch(/templates\/flyer\.hbs:16: unknown attribute "sise" on <ul>/);
  });

  it('a text file new in English refuses only the locales lacking it for the templates whose partials ask for it', async () => {
    // A partial no template uses yet, with its text in a new file English alone has.
    fs.writeFileSync(path.join(dir, 'locales/en/clinic.json'), '{ "hoursTitle": "Opening hours" }\n');
    fs.writeFileSync(path.join(dir, 'templates/partials/clinic-hours.hbs'), '<p>{{t "clinic.hoursTitle"}}</p>\n');
    try {
      // Every locale had been refused for it, by every template.
      let r = await cli(['build', '--root', dir, '-q', '-t', 'flyer', '-l', 'es', '-b', 'default', '--out', 'out-ns']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      // Used by the flyer: the flyer in Spanish is refused, naming the file to copy.
      r = await withEdit(dir, 'templates/flyer.hbs', (s) => s.replace('{{> contact-footer}}', '{{> clinic-hours}}\n  {{> contact-footer}}'), () => cli(['build', '--root', dir, '-q', '-t', 'flyer', '-l', 'es', '-b', 'default', '--out', 'out-ns']));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/locales\/es\/: locale "es" has no clinic\.json: copy it from locales\/en\/ and translate it/);
    } finally {
      fs.rmSync(path.join(dir, 'locales/en/clinic.json'));
      fs.rmSync(path.join(dir, 'templates/partials/clinic-hours.hbs'));
    }
  });

  it('a translation key no locale has names the template line that asks for it', async () => {
    // Every locale has every key of the English (checked on load): such a key is a typo in the template.
    const r = await breakAndBuild('templates/flyer.hbs', (s) => s.replace('{{t "benefits.tagline"}}', '{{t "benefits.slogan"}}'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/templates\/flyer\.hbs:9: no translation has the key "benefits\.slogan": it is misspelt here, or add it to locales\/en\/benefits\.json and the other locales/);
    const typo = await breakAndBuild('templates/flyer.hbs', (s) => s.replace('{{t "benefits.tagline"}}', '{{t "benefits.tagine"}}'));
    expect(typo.stderr).toMatch(/templates\/flyer\.hbs:9: no translation has the key "benefits\.tagine": it is misspelt here \(did you mean "benefits\.tagline"\?\), or add it/);
    // The same for the key of a time range (it was blamed on locales/en/handout.json).
    const range = await breakAndBuild('templates/class-handout.hbs', (s) => s.replace('timeRange "handout.timeRange"', 'timeRange "handout.timeRang"'), ['-t', 'class-handout']);
    expect(range.stderr).toMatch(/templates\/class-handout\.hbs:20: no translation has the key "handout\.timeRang": it is misspelt here \(did you mean "handout\.timeRange"\?\)/);
    expectUntouched();
  });

  it('a locale that lacks keys of the English source, or leaves them empty, lists them', async () => {
    const r = await breakAndBuild('locales/es/benefits.json', (s) => {
      const j = JSON.parse(s);
      delete j.tagline;
      delete j.areas.relief.body;
      // Left empty, as translation tools export a text not translated yet.
      j.intro = ' ';
      return JSON.stringify(j);
    }, ['-l', 'es']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/locale "es" is missing 3 keys: benefits\.tagline, benefits\.intro \(empty\), benefits\.areas\.relief\.body/);
  });

  it('a placeholder renamed or dropped in translation names the keys, not printed as {{numero}}', async () => {
    const r = await breakAndBuild('locales/es/handout.json', (s) => s.replace('Sesión {{number}}', 'Sesión {{numero}}').replace('{{start}} – {{end}}', '{{start}}'), ['-l', 'es', '-t', 'class-handout']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/locales\/es\/handout\.json:6: locale "es": keep the \{\{placeholders\}\} of the English text as they are: "handout\.sessionLabel" has \{\{numero\}\} instead of \{\{number\}\}; "handout\.timeRange" lacks \{\{end\}\}/);
  });

  it('a plural text (i18next _one/_other) prints by its count; without count= it is an error at the template line', async () => {
    const counted = (use: string) =>
      withEdit(dir, 'locales/en/handout.json', (s) => JSON.stringify({ ...JSON.parse(s), sessionsCount_one: '{{count}} session', sessionsCount_other: '{{count}} sessions' }), () =>
        withEdit(dir, 'templates/class-handout.hbs', (s) => s.replace('<h1>', `<p>${use}</p>\n  <h1>`), () =>
          cli(['build', '--root', dir, '-q', '-l', 'en', '-b', 'default', '-t', 'class-handout', '-o', 'out-plural/{locale}.pdf']),
        ),
      );
    const bare = await counted('{{t "handout.sessionsCount"}}');
    expect(bare.code).toBe(1);
    expect(bare.stderr).toMatch(/templates\/class-handout\.hbs:11: "handout\.sessionsCount" has plural forms: give it count=/);
    // Named at the call that lacks the count, in either quotes, not at the first use of the key.
    const second = await counted("{{t \"handout.sessionsCount\" count=1}}</p>\n  <p>{{t 'handout.sessionsCount'}}");
    expect(second.stderr).toMatch(/templates\/class-handout\.hbs:12: "handout\.sessionsCount" has plural forms: give it count=/);
    const ok = await counted('{{t "handout.sessionsCount" count=data.sessions.length}}');
    expect(ok.code).toBe(0);
    expect(await pdfText(fs.readFileSync(path.join(dir, 'out-plural/en.pdf')))).toContain('5 sessions');
  });

  it('a locale asking for a font family that does not exist names the family and the known ones', async () => {
    const r = await breakAndBuild('locales/es/locale.json', (s) => JSON.stringify({ ...JSON.parse(s), fonts: ['Noto Sanz'] }, null, 2), ['-l', 'es']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/locales\/es\/locale\.json:\d+: fonts: no font family "Noto Sanz" in fonts\/ \(known: Noto Sans, /);
  });

  it('a translation that is a number where the English has text names locale, key and file', async () => {
    const r = await breakAndBuild('locales/es/benefits.json', (s) => JSON.stringify({ ...JSON.parse(s), title: 5 }, null, 2), ['-l', 'es']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/locales\/es\/benefits\.json:2: locale "es", key "benefits\.title" must be text, not 5/);
  });

  it('a value missing from the data names the data file and the value the template needs', async () => {
    const noName = (s: string) => s.replace(/instructor:\n  name: .*\n/, 'instructor:\n');
    let r = await breakAndBuild('data/class-sample.yaml', noName, ['-t', 'class-handout']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/data\/class-sample\.yaml:13: the class-handout template needs "instructor\.name"; this data has no value for it/);
    // In every session of a list.
    r = await breakAndBuild('data/class-sample.yaml', (s) => s.replace('  - start: "2026-12-08T10:00"', '  - {}'), ['-t', 'class-handout']);
    expect(r.stderr).toMatch(/data\/class-sample\.yaml:\d+: the class-handout template needs "sessions\[1\]\.start"/);
    // A map or a list where one value is printed ("[object Object]", "Maria,Lopez").
    r = await breakAndBuild('data/class-sample.yaml', (s) => s.replace(/instructor:\n  name: .*\n/, 'instructor:\n  name: [Maria, Lopez]\n'), ['-t', 'class-handout']);
    expect(r.stderr).toMatch(/data\/class-sample\.yaml:\d+: "instructor\.name" is a list of 2, where the class-handout template prints one value/);
    // A text or a map where the list of sessions belongs, a session written as its start alone,
    // an empty list: named for what they are, not as "no value".
    r = await breakAndBuild('data/class-sample.yaml', (s) => s.replace(/sessions:\n(  - .*\n)+/, 'sessions: "2026-12-01T10:00"\n'), ['-t', 'class-handout']);
    expect(r.stderr).toMatch(/data\/class-sample\.yaml:\d+: "sessions" is the text "2026-12-01T10:00", where the class-handout template needs a list \(each item on a line of its own, starting with "- "\)/);
    r = await breakAndBuild('data/class-sample.yaml', (s) => s.replace('  - start: "2026-12-08T10:00"', '  - "2026-12-08T10:00"'), ['-t', 'class-handout']);
    expect(r.stderr).toMatch(/data\/class-sample\.yaml:\d+: "sessions\[1\]" is the text "2026-12-08T10:00", where the class-handout template needs a map with start: …/);
    r = await breakAndBuild('data/class-sample.yaml', (s) => s.replace(/sessions:\n(  - .*\n)+/, 'sessions: []\n'), ['-t', 'class-handout']);
    expect(r.stderr).toMatch(/data\/class-sample\.yaml:\d+: "sessions" is an empty list, where the class-handout template needs at least one item/);
    r = await breakAndBuild('data/class-sample.yaml', (s) => s.replace(/place:\n  name: .*\n/, 'place:\n  name:\n    building: Riverside\n    room: 2\n'), ['-t', 'class-handout']);
    expect(r.stderr).toMatch(/data\/class-sample\.yaml:\d+: "place\.name" is a map \(building, room\), where the class-handout template prints one value/);
    // A template that declares no data: the template line that reads the value, without
    // Handlebars' own position and object dump.
    const undeclared = (s: string) => s.replace(/^(needs|optional|numbers): .*\n/gm, '');
    r = await withEdit(dir, 'templates/class-handout.hbs', undeclared, () => breakAndBuild('data/class-sample.yaml', noName, ['-t', 'class-handout']));
    expect(r.stderr).toMatch(/templates\/class-handout\.hbs:\d+: the data has no value "instructor\.name": give it in the data or, where it may be left out, ask for it with \{\{#if data\.instructor\.name\}\} first/);
    expect(r.stderr).not.toMatch(/undefined|object Object| - \d+:\d+/);
    // A brand field misspelt in a template: the brand's, with the one meant.
    r = await breakAndBuild('templates/flyer.hbs', (s) => s.replace('<h1>{{t "benefits.title"}}</h1>', '<h1>{{t "benefits.title"}} {{brand.logoo}}</h1>'), ['-t', 'flyer']);
    expect(r.stderr).toMatch(/templates\/flyer\.hbs:\d+: the brand has no value "brand\.logoo"; did you mean "brand\.logo"\?/);
  });

  it('command-line mistakes are usage errors: a misspelt --out placeholder, -q with -v, a bad SOURCE_DATE_EPOCH', async () => {
    let r = await cli(['build', '--root', dir, '-t', 'flyer', '-l', 'en', '-b', 'default', '-o', 'print/{lang}.pdf']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out print\/\{lang\}\.pdf: \{lang\} is not a placeholder \(use \{template\}, \{locale\}, \{brand\}, \{data\}\)/);
    expect(fs.existsSync(path.join(dir, 'print'))).toBe(false);
    r = await cli(['build', '--root', dir, '-q', '-v', '-t', 'flyer']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/quiet and verbose are mutually exclusive/);
    r = await cli(['build', '--root', dir, '-q', '-t', 'flyer', '-l', 'en', '-b', 'default', '-o', 'out-epoch.pdf'], ROOT, { SOURCE_DATE_EPOCH: 'yesterday' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SOURCE_DATE_EPOCH="yesterday" is not a number of seconds since 1970/);
  });

  it.each([
    // A locale's folder begun without its locale.json.
    ['locales/sw', 'locales/en/benefits.json', 'benefits.json', ['-l', 'sw', '-b', 'default'], /locales\/sw\/: no locale\.json in this folder: write one with the locale's name, direction, script and who translated it/, /^ {2}sw +cannot read: locales\/sw\/: no locale\.json/m],
    // A brand's file misnamed: it had been "unknown brand", of a folder the user can see.
    ['brands/acme', 'brands/default/brand.yaml', 'brand.yml', ['-l', 'en', '-b', 'acme'], /^handout: brands\/acme\/: no brand\.yaml in this folder: it has brand\.yml, which is to be named brand\.yaml\n/, /^ {2}acme +cannot read: brands\/acme\/: no brand\.yaml/m],
  ] as const)('a folder %s without its file is named as such, in build and in list', async (folder, from, as, select, built, listed) => {
    fs.mkdirSync(path.join(dir, folder));
    fs.copyFileSync(path.join(dir, from), path.join(dir, folder, as));
    try {
      const r = await cli(['build', '--root', dir, '-q', '-t', 'flyer', ...select]);
      // A name the command gives that is no locale or brand, as an unknown one is.
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(built);
      const list = await cli(['list', '--root', dir]);
      expect(list.code).toBe(1);
      expect(list.stdout).toMatch(listed);
    } finally {
      fs.rmSync(path.join(dir, folder), { recursive: true });
    }
  });

  it('a --set key the template does not read is an error, not ignored', async () => {
    let r = await cli(['build', '--root', dir, '-q', '-t', 'class-handout', '-l', 'en', '-b', 'default', '--set', 'instrutor.name=Ana Ruiz', '--out', 'out-set']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--set instrutor\.name: the class-handout template reads no such value; did you mean "instructor\.name"\?/);
    expect(fs.existsSync(path.join(dir, 'out-set/default/en/class-handout.pdf'))).toBe(false);
    // An item past the end of a list would leave holes the handout skips ("Session 9" after 5).
    r = await cli(['build', '--root', dir, '-q', '-t', 'class-handout', '-l', 'en', '-b', 'default', '--set', 'sessions.8.start=2027-02-01T10:00', '--out', 'out-set']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--set sessions\.8\.start: sessions has 5 items, numbered from 0; sessions\.5 adds one/);
    // A value the helpers cannot use is named by the --set that gave it, not by the data file.
    r = await cli(['build', '--root', dir, '-q', '-t', 'class-handout', '-l', 'en', '-b', 'default', '--set', 'sessions.0.start=2026-13-01T10:00', '--out', 'out-set']);
    expect(r.stderr).toMatch(/--set sessions\.0\.start=2026-13-01T10:00: "2026-13-01T10:00" is not a date/);
    expect(r.stderr).not.toMatch(/class-sample/);
    // A duration that is no length of a class.
    r = await cli(['build', '--root', dir, '-q', '-t', 'class-handout', '-l', 'en', '-b', 'default', '--set', 'durationMinutes=-30', '--out', 'out-set']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--set durationMinutes=-30: the class-handout template needs a number from 1 to 720/);
    // A --set that empties a value the data file has is named, not the data file.
    r = await cli(['build', '--root', dir, '-q', '-t', 'class-handout', '-l', 'en', '-b', 'default', '--set', 'instructor.name=', '--out', 'out-set']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--set instructor\.name=: the class-handout template needs a value for "instructor\.name"/);
    expect(r.stderr).not.toMatch(/class-sample/);
    // Also a number the helper names as a number.
    r = await withEdit(dir, 'templates/class-handout.hbs', (s) => s.replace(/^numbers: .*\n/m, ''), () =>
      cli(['build', '--root', dir, '-q', '-t', 'class-handout', '-l', 'en', '-b', 'default', '--set', 'durationMinutes=1e12', '--out', 'out-set']));
    expect(r.stderr).toMatch(/--set durationMinutes=1e12: 1000000000000 minutes after "2026-12-01T10:00" is no time a calendar has/);
    expect(r.stderr).not.toMatch(/class-sample/);
    // Keys it declares, a session's start among them, are taken.
    r = await cli(['build', '--root', dir, '-q', '-t', 'class-handout', '-l', 'en', '-b', 'default', '--set', 'instructor.name=Ana Ruiz', '--set', 'sessions.1.start=2026-12-09T18:00', '--out', 'out-set']);
    expect(r.code).toBe(0);
    const text = fold(await pdfText(fs.readFileSync(path.join(dir, 'out-set/default/en/class-handout.pdf'))));
    expect(text).toContain(fold('Ana Ruiz'));
    expect(text).toContain(fold('Wednesday, December 9, 2026, 6:00 – 7:00 PM'));
  });

  it('--set for templates that read no data is an error; with one that reads it, the others just build', async () => {
    let r = await cli(['build', '--root', dir, '-q', '-t', 'flyer', '-l', 'en', '-b', 'default', '--set', 'instructor.name=Ana Ruiz', '--out', 'out-set-flyer']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--set instructor\.name=Ana Ruiz: the flyer template reads no data, so the value would be printed nowhere \(class-handout does: -t class-handout\)/);
    expect(fs.existsSync(path.join(dir, 'out-set-flyer'))).toBe(false);
    // So is a data file: it had been taken without a word, and nothing of it printed.
    r = await cli(['build', '--root', dir, '-q', '-t', 'flyer', '-l', 'en', '-b', 'default', '--data', 'data/class-sample.yaml', '--out', 'out-set-flyer']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^handout: --data data\/class-sample\.yaml: the flyer template reads no data, so nothing of it would be printed \(class-handout does: -t class-handout\)/);
    // A partial that reads data makes every template a reader (partials are shared).
    r = await withEdit(dir, 'templates/partials/contact-footer.hbs', (s) => `${s}{{#if data.note}}{{data.note}}{{/if}}\n`, () =>
      cli(['check', '--root', dir, '-t', 'flyer', '-l', 'en', '-b', 'default', '--set', 'note=x', '--out', 'out-set-flyer']));
    expect(r.stderr).toMatch(/missing\s+out-set-flyer/);
    r = await cli(['build', '--root', dir, '-q', '-t', 'flyer', '-t', 'class-handout', '-l', 'en', '-b', 'default', '--set', 'instructor.name=Ana Ruiz', '--out', 'out-set-both']);
    expect(r.code).toBe(0);
    expect(fold(await pdfText(fs.readFileSync(path.join(dir, 'out-set-both/default/en/class-handout.pdf'))))).toContain(fold('Ana Ruiz'));
  });

  it('values the template marks optional may be left out: an instructor without title, phone or e-mail', async () => {
    const r = await breakAndBuild('data/class-sample.yaml', (s) => s.replace(/^ {2}(title|phone|email): .*\n/gm, ''), ['-t', 'class-handout', '--out', 'out-optional']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = await pdfText(fs.readFileSync(path.join(dir, 'out-optional/default/en/class-handout.pdf')));
    expect(text).toContain('Maria Lopez');
    expect(text).not.toMatch(/Certified|maria\.lopez|0142/);
  });

  it('a value written on several lines (an address as a YAML block) keeps its lines', async () => {
    const r = await breakAndBuild('data/class-sample.yaml', (s) => s.replace(/address: .*\n/, 'address: |\n    14 Mill Lane\n    Springfield\n'), ['-t', 'class-handout', '--out', 'out-lines']);
    expect(r.code).toBe(0);
    const text = await pdfText(fs.readFileSync(path.join(dir, 'out-lines/default/en/class-handout.pdf')));
    expect(text).toMatch(/Riverside Family Centre, Room 2\n14 Mill Lane\nSpringfield\nYour instructor/);
    // The brand's own address too, in the footer: its lines had run together.
    const brand = await breakAndBuild('brands/sunrise-clinic/brand.yaml', (s) => s.replace(/address: .*\n/, 'address: |\n    220 Harbour Road\n    Springfield\n'), ['-t', 'flyer', '-l', 'en', '-b', 'sunrise-clinic', '--out', 'out-brand-lines']);
    expect(brand.code).toBe(0);
    expect(await pdfText(fs.readFileSync(path.join(dir, 'out-brand-lines/sunrise-clinic/en/flyer.pdf')))).toMatch(/Address: 220 Harbour Road\nSpringfield\n/);
  });

  it('a Latin brand name ending in a stop keeps its order in a right-to-left footer', async () => {
    fs.cpSync(path.join(ROOT, 'locales/he'), path.join(dir, 'locales/he'), { recursive: true });
    const r = await breakAndBuild('brands/sunrise-clinic/brand.yaml', (s) => s.replace(/^name: .*$/m, 'name: "Sunrise Clinic, Inc."'), ['-t', 'flyer', '-l', 'he', '-b', 'sunrise-clinic', '--out', 'out-rtl-name']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const pdf = path.join(dir, 'out-rtl-name/sunrise-clinic/he/flyer.pdf');
    expect((await pdfText(fs.readFileSync(pdf))).match(/Sunrise Clinic, Inc\./g)).toHaveLength(2);
    // Drawn in that order in the header and the footer both: the footer's stop had gone to the
    // name's left (".Sunrise Clinic, Inc"), which poppler, reading what is drawn, shows.
    if (hasTool('pdftotext')) expect(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).match(/\.?Sunrise Clinic, Inc\.?/g)).toEqual(['Sunrise Clinic, Inc.', 'Sunrise Clinic, Inc.']);
    fs.rmSync(path.join(dir, 'locales/he'), { recursive: true });
  });

  it('a date that does not exist, a start without its time or a duration that is not a number names the data file and the value', async () => {
    let r = await breakAndBuild('data/class-sample.yaml', (s) => s.replace('2026-12-08T10:00', '2026-12-38T10:00'), ['-t', 'class-handout']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/data\/class-sample\.yaml:6: "sessions\[1\]\.start": "2026-12-38T10:00" is not a date/);
    // A JSON data file is named at the value's line too.
    const json = JSON.stringify(YAML.parse(fs.readFileSync(path.join(dir, 'data/class-sample.yaml'), 'utf8')), null, 2).replace('2026-12-15T10:00', '2026-12-35T10:00');
    fs.writeFileSync(path.join(dir, 'data/class.json'), json);
    r = await cli(['build', '--root', dir, '-q', '-l', 'en', '-b', 'default', '-t', 'class-handout', '--data', 'data/class.json', '--out', 'out-json']);
    fs.rmSync(path.join(dir, 'data/class.json'));
    expect(r.stderr).toMatch(/data\/class\.json:11: "sessions\[2\]\.start": "2026-12-35T10:00" is not a date/);
    r = await breakAndBuild('data/class-sample.yaml', (s) => s.replace('durationMinutes: 60', 'durationMinutes: one hour'), ['-t', 'class-handout']);
    expect(r.stderr).toMatch(/data\/class-sample\.yaml:\d+: "durationMinutes" is the text "one hour", where the class-handout template needs a number from 1 to 720/);
    // Without the template's bound, the helper that adds the minutes says it.
    r = await withEdit(dir, 'templates/class-handout.hbs', (s) => s.replace(/^numbers: .*\n/m, ''), () => breakAndBuild('data/class-sample.yaml', (s) => s.replace('durationMinutes: 60', 'durationMinutes: one hour'), ['-t', 'class-handout']));
    expect(r.stderr).toMatch(/data\/class-sample\.yaml:3: "durationMinutes": "one hour" is not a number \(minutes added to a time\)/);
    // A session's date without its time would be printed as a class at midnight.
    // An ISO timestamp's seconds are taken.
    r = await breakAndBuild('data/class-sample.yaml', (s) => s.replace('2026-12-08T10:00', '2026-12-08T10:00:00'), ['-t', 'class-handout', '--out', 'out-seconds']);
    expect(r.code).toBe(0);
    r = await breakAndBuild('data/class-sample.yaml', (s) => s.replace('2026-12-08T10:00', '2026-12-08'), ['-t', 'class-handout']);
    expect(r.stderr).toMatch(/data\/class-sample\.yaml:6: "sessions\[1\]\.start": "2026-12-08" has no time of day \(expected YYYY-MM-DDTHH:MM, like 2026-12-08T10:00\)/);
  });

  it('an invalid brand file names the file, line and field', async () => {
    const r = await breakAndBuild('brands/default/brand.yaml', (s) => s.replace('primary: "#1f6f78"', 'primary: "teal"'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/brands\/default\/brand\.yaml:5: field "colors\.primary": "teal" is not a colour here: write # and six hexadecimal digits/);
    expectUntouched();
  });

  it('an emoji in a translation is named as one, with what to do about it', async () => {
    const r = await breakAndBuild('locales/es/benefits.json', (s) => s.replace('"tagline": "', '"tagline": "👶 '), ['-l', 'es']);
    expect(r.code).toBe(1);
    // "add a font for Common" had told a translator nothing.
    expect(r.stderr).toMatch(/locales\/es\/benefits\.json:3: locale "es", key "benefits\.tagline": no font covers "👶" \(U\+1F476, script Common\) — it is an emoji, which the fonts here do not draw: write it in words, or add a font that has it \(Noto Emoji\) to fonts\//);
    expectUntouched();
  });

  it('a brand name with a character no font has names the brand file and field, not the template', async () => {
    const r = await breakAndBuild('brands/default/brand.yaml', (s) => s.replace(/^name: .*$/m, 'name: Sunrise Clinic 🌅'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/brands\/default\/brand\.yaml:2: field "name": no font covers "🌅" \(U\+1F305, script Common\) in the en documents/);
    expect(r.stderr).not.toMatch(/templates\//);
    expectUntouched();
  });

  it('a missing or corrupt logo names the file', async () => {
    let r = await breakAndBuild('brands/default/brand.yaml', (s) => s.replace('logo: logo.png', 'logo: missing.png'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/brands\/default\/brand\.yaml:3: field "logo": file "missing\.png" not found/);
    r = await breakAndBuild('brands/default/brand.yaml', (s) => s.replace('logo: logo.png', 'logo: ../default'));
    expect(r.stderr).toMatch(/brands\/default: cannot read: a folder, not a file/);
    const logo = path.join(dir, 'brands/default/logo.png');
    const png = fs.readFileSync(logo);
    fs.writeFileSync(logo, png.subarray(0, 30));
    try {
      r = await cli(['build', '--root', dir, '-q', '-l', 'en', '-b', 'default']);
    } finally {
      fs.writeFileSync(logo, png);
    }
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/brands\/default\/logo\.png: cannot read image: PNG file is truncated/);
    expectUntouched();
  });

  it('text that does not fit a one-page template names template, locale and by how much', async () => {
    const r = await breakAndBuild('locales/en/benefits.json', (s) => {
      const j = JSON.parse(s);
      j.intro = `${j.intro} `.repeat(8);
      return JSON.stringify(j);
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/templates\/flyer\.hbs:6: flyer \(en, default\): content needs 2 pages but the template allows 1; about \d+ mm too long, even at 85% type size/);
    expectUntouched();
  });

  it('a translation that does not fit names the text a translator should shorten', async () => {
    // One point of a list, far longer than the English one: the Spanish texts otherwise run about 1.1×.
    const r = await breakAndBuild('locales/es/benefits.json', (s) => {
      const j = JSON.parse(s);
      j.parents.points[1] = `${j.parents.points[1]} `.repeat(30);
      return JSON.stringify(j);
    }, ['-l', 'es', '-t', 'flyer']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/flyer \(es, default\): content needs 2 pages .* even at 85% type size; the text most over its usual length is "benefits\.parents\.points\.1" in locales\/es\/benefits\.json \(\d+(\.\d)?× the English, where this locale's texts run 1\.\d×\)/);
  });

  it('class data too long for the template names its longest list', async () => {
    // Thirty weekly sessions do not fit a two-page handout; no translation is to blame.
    const sessions = Array.from({ length: 30 }, (_, i) => `  - start: "2027-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}T10:00"`).join('\n');
    const r = await breakAndBuild('data/class-sample.yaml', (s) => s.replace(/sessions:\n(  - .*\n)+/, `sessions:\n${sessions}\n`), ['-t', 'class-handout']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/class-handout \(en, default\): content needs 3 pages but the template allows 2; .* even at 85% type size; data\/class-sample\.yaml lists 30 sessions, more than the template has room for/);
  });

  it('a template too long for its pages does not blame the data: it names a list only when the document fits without it', async () => {
    const r = await breakAndBuild('templates/class-handout.hbs', (s) => s.replace('<lines count="9" gap="22" keep="true" fill-page="true"/>', '<lines count="90" gap="22"/>'), ['-t', 'class-handout']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/content needs \d+ pages but the template allows 2; about \d+ mm too long, even at 85% type size\n/);
    expect(r.stderr).not.toMatch(/sessions|room for/);
  });

  it('class data too long for the template names a value of paragraphs, where one was pasted', async () => {
    // The five sessions are as usual; the address is 80 addresses long.
    const address = Array.from({ length: 80 }, () => '14 Mill Lane, Springfield, next to the old library,').join(' ');
    const r = await breakAndBuild('data/class-sample.yaml', (s) => s.replace(/address: .*/, `address: ${address}`), ['-t', 'class-handout']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/content needs 3 pages but the template allows 2; .* even at 85% type size; "place\.address" in data\/class-sample\.yaml is 4159 characters long, perhaps more than the template has room for/);
  });

  it('a bad project config names the file, line and field', async () => {
    const r = await breakAndBuild('handout.config.yaml', (s) => s.replace('templates: [flyer]', 'templates: flyer'));
    // Nothing is built: the run stops as for a wrong option.
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/handout\.config\.yaml:4: field "jobs\.0\.templates": must be "all" or a list/);
  });

  it('list shows a broken brand file as such, lists the rest and exits 1', async () => {
    const r = await withEdit(dir, 'brands/default/brand.yaml', (s) => s.replace('primary: "#1f6f78"', 'primary: "teal"'), () => cli(['list', '--root', dir]));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/default\s+cannot read: brands\/default\/brand\.yaml:5: field "colors\.primary"/);
    expect(r.stdout).toMatch(/sunrise-clinic\s+Sunrise Family Clinic/);
    expect(r.stdout).toMatch(/es\s+Español\s+Spanish/);
    // A locale a build would refuse says why in its row, where a translator looks.
    const gap = await withEdit(dir, 'locales/es/benefits.json', (s) => JSON.stringify({ ...JSON.parse(s), intro: undefined }), () => cli(['list', '--root', dir]));
    expect(gap.code).toBe(1);
    expect(gap.stdout).toMatch(/es\s+Español\s+Spanish\s+Latn ltr\s+locale "es" is missing 1 key: benefits\.intro/);
    // With the line of the field, as build gives it.
    const dirWrong = await withEdit(dir, 'locales/es/locale.json', (s) => s.replace('"dir": "ltr"', '"dir": "ltrr"'), () => cli(['list', '--root', dir]));
    expect(dirWrong.code).toBe(1);
    expect(dirWrong.stdout).toMatch(/es\s+cannot read: locales\/es\/locale\.json:4: dir: must be "ltr" or "rtl"; did you mean "ltr"\?\n/);
  });

  it('an output pattern with a misspelt placeholder or without .pdf names the field', async () => {
    const pattern = (p: string) => (s: string) => s.replace(/^output: .*$/m, `output: "${p}"`);
    let r = await breakAndBuild('handout.config.yaml', pattern('output/{brnd}/{locale}/{template}.pdf'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/handout\.config\.yaml:\d+: field "output": \{brnd\} is not a placeholder/);
    r = await breakAndBuild('handout.config.yaml', pattern('output/{brand}/{locale}/{template}'));
    expect(r.stderr).toMatch(/field "output": a path ending in \.pdf/);
  });

  it('a new template\'s texts, in English only so far, stop no other template; its own builds name the file to copy', async () => {
    const files = {
      'templates/poster.hbs': '{{!-- handout\ndescription: A poster\npages: 1\n--}}\n<document size="{{page.size}}" lang="{{locale.code}}" dir="{{locale.dir}}">\n  <h1>{{t "poster.title"}}</h1>\n  <p>{{t "benefits.intro"}}</p>\n</document>\n',
      'locales/en/poster.json': '{ "title": "Sign up for the next class" }\n',
    };
    for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
    try {
      const job = (config: string) => `${config}\n  - templates: [poster]\n    locales: all\n    brands: all\n`;
      const r = await withEdit(dir, 'handout.config.yaml', job, () => cli(['build', '--root', dir, '-q', '-t', 'flyer,poster', '-l', 'en,es', '-b', 'default', '--out', 'out-poster']));
      expect(r.code).toBe(1);
      // The flyer in Spanish builds: it asks for no poster text.
      expect(r.stdout + r.stderr).toMatch(/3 built, 0 up to date, 1 failed/);
      expect(r.stderr).toMatch(/out-poster\/default\/es\/poster\.pdf: locales\/es\/: locale "es" has no poster\.json: copy it from locales\/en\/ and translate it/);
    } finally {
      for (const f of Object.keys(files)) fs.rmSync(path.join(dir, f));
    }
  });

  it('a locale copied from the English and left untranslated builds, with one warning naming it', async () => {
    const sw = path.join(dir, 'locales/sw');
    fs.cpSync(path.join(dir, 'locales/en'), sw, { recursive: true });
    try {
      const meta = JSON.parse(fs.readFileSync(path.join(sw, 'locale.json'), 'utf8'));
      fs.writeFileSync(path.join(sw, 'locale.json'), JSON.stringify({ ...meta, name: 'Kiswahili', englishName: 'Swahili', translation: { ...meta.translation, source: false } }));
      const r = await cli(['build', '--root', dir, '-q', '-l', 'sw', '-t', 'flyer', '--out', 'out-sw', '--json', 'sw.json']);
      expect(r.code).toBe(0);
      const said = r.stderr.split('\n').filter((l) => l.includes('word for word'));
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(/^warning locales\/sw\/: (\d+) texts are the English word for word: not translated yet\? benefits\.title, benefits\.tagline, benefits\.intro, /);
      // Every one of them, for the translator to work down.
      expect(said[0]!.split(', ')).toHaveLength(Number(/(\d+) texts/.exec(said[0]!)![1]));
      const report = JSON.parse(fs.readFileSync(path.join(dir, 'sw.json'), 'utf8'));
      for (const j of report.jobs) expect(j.warnings.some((w: string) => w.includes('word for word'))).toBe(true);
      expect((await cli(['list', '--root', dir])).stdout).toMatch(/sw\s+Kiswahili\s+Swahili\s+Latn ltr\s+not yet reviewed by a native speaker; \d+ texts still in English/);
    } finally {
      fs.rmSync(sw, { recursive: true });
    }
  });

  it('a key the English lacks builds, with a warning naming it: no template prints it', async () => {
    const r = await breakAndBuild('locales/es/benefits.json', (s) => s.replace('"tagline":', '"slogan": "Caricias para bebés",\n  "tagline":'), ['-l', 'es', '-t', 'flyer', '--out', 'out-extra']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning locales\/es\/: 1 key the English does not have, never printed: misspelt, or left from an older text\? benefits\.slogan$/m);
    // The plural forms and list items of a language are not counted: the shipped ones build without it.
    expect((await cli(['build', '--root', dir, '-q', '-l', 'en,es', '--out', 'out-extra'])).stderr).not.toMatch(/English does not have/);
  });

  it('in a batch, one broken locale fails alone: the others are built and the summary lists it', async () => {
    const r = await breakAndBuild('locales/es/benefits.json', () => '{ "title": ', ['-l', 'en,es', '-t', 'flyer', '--force']);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/1 built( \(to the same bytes as before\))?, 0 up to date, 1 failed/);
    expect(r.stderr).toMatch(/Failures:\n  output\/default\/es\/flyer\.pdf: locales\/es\/benefits\.json:1: not valid JSON: the file ends where a value belongs/);
    expectUntouched();
  });

  it('says an error once among the job lines (later jobs point to the first), and in the summary when several fail or when quiet', async () => {
    const once = (text: string, what: string) => expect(text.split(what).length - 1, text).toBe(1);
    const broken = (s: string) => s.replace('{{t "benefits.intro"}}', '{{t "benefits.intro"');
    const say = 'templates/flyer.hbs:';
    const loud = await withEdit(dir, 'templates/flyer.hbs', broken, () => cli(['build', '--root', dir, '-l', 'en', '-b', 'default', '-t', 'flyer', '--out', 'out-once']));
    expect(loud.code).toBe(1);
    once(loud.stderr, say);
    expect(loud.stderr).toMatch(/^failed out-once\/default\/en\/flyer\.pdf\n  templates\/flyer\.hbs:\d+: /m);
    expect(loud.stderr).not.toContain('Failures:');
    const quiet = await breakAndBuild('templates/flyer.hbs', broken, ['-t', 'flyer', '--out', 'out-once']);
    once(quiet.stderr, say);
    expect(quiet.stderr).toMatch(/Failures:\n  out-once\/default\/en\/flyer\.pdf: templates\/flyer\.hbs:\d+: /);
    // Four jobs failing alike (two locales, two brands): the first job's line says it, the
    // others point there, and the summary groups them.
    const three = await withEdit(dir, 'templates/flyer.hbs', broken, () => cli(['build', '--root', dir, '-l', 'en,es', '-t', 'flyer', '--out', 'out-once']));
    expect(three.stderr.split(say).length - 1).toBe(2);
    expect(three.stderr).toMatch(/^failed out-once\/default\/es\/flyer\.pdf: the same error as out-once\/default\/en\/flyer\.pdf$/m);
    expect(three.stderr).toMatch(/Failures:\n  templates\/flyer\.hbs:\d+: .*\n    in 4 jobs: /);
  });

  it('a data value no part of the template reads (a misspelt key) is a warning at its line, and the handout is built', async () => {
    const r = await breakAndBuild('data/class-sample.yaml', (s) => s.replace('  phone: "+1 555 0142"', '  phon: "+1 555 0142"'), ['-t', 'class-handout', '--out', 'out-phon', '--json', 'phon.json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning data\/class-sample\.yaml:16: "instructor\.phon" is read by no part of the class-handout template; did you mean "instructor\.phone"\?$/m);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'phon.json'), 'utf8'));
    expect(report.jobs[0].warnings).toEqual([expect.stringContaining('"instructor.phon" is read by no part')]);
  });

  it('a value a YAML comment cut short ("Room #2" read as "Room") is a warning at its line, with the quotes that keep it', async () => {
    const r = await breakAndBuild('data/class-sample.yaml', (s) => s.replace('name: Riverside Family Centre, Room 2', 'name: Riverside, Room #2'), ['-t', 'class-handout', '--out', 'out-hash']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning data\/class-sample\.yaml:11: "place\.name" is read as "Riverside, Room": YAML takes "#2" for a comment; put the value in quotes to keep it \("Riverside, Room #2"\)$/m);
  });

  it('a character no font has in class data is named by the data file and key', async () => {
    const r = await breakAndBuild('data/class-sample.yaml', (s) => s.replace('name: Maria Lopez', 'name: Maria Lopez 😊'), ['-t', 'class-handout']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/data\/class-sample\.yaml:14: data "instructor\.name": no font covers "😊" \(U\+1F60A, script Common\)/);
    const set = await cli(['build', '--root', dir, '-q', '-t', 'class-handout', '-l', 'en', '-b', 'default', '--set', 'place.name=Room 🚪']);
    expect(set.stderr).toMatch(/data "place\.name": no font covers "🚪"/);
    expectUntouched();
  });

  it('a data file that is missing fails its jobs alone, naming the file', async () => {
    // The class handout's sample data is gone: the flyers of the same run are still built.
    const sample = path.join(dir, 'data/class-sample.yaml');
    fs.renameSync(sample, `${sample}.away`);
    try {
      const r = await cli(['build', '--root', dir, '-q', '-l', 'en', '-b', 'default', '--force']);
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toMatch(/1 built( \(to the same bytes as before\))?, 0 up to date, 1 failed/);
      expect(r.stderr).toMatch(/Failures:\n  output\/default\/en\/class-handout\.pdf: data\/class-sample\.yaml: no such data file\n/);
      // Misspelt (in the config, or with --data), with the file likely meant.
      fs.renameSync(`${sample}.away`, sample);
      const typo = await cli(['build', '--root', dir, '-q', '-t', 'class-handout', '-l', 'en', '-b', 'default', '--data', 'data/class-sampel.yaml', '-o', 'typo.pdf']);
      expect(typo.stderr).toMatch(/data\/class-sampel\.yaml: no such data file; did you mean data\/class-sample\.yaml\?/);
      fs.renameSync(sample, `${sample}.away`);
    } finally {
      fs.renameSync(`${sample}.away`, sample);
    }
    expectUntouched();
  });

  it('a --set key that would reach the prototype of every object is a usage error', async () => {
    for (const key of ['__proto__.polluted', 'a.constructor.prototype.x', 'a..b']) {
      const r = await cli(['build', '--root', dir, '-l', 'en', '-b', 'default', '--set', `${key}=1`]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--set .*cannot be part of a data key/);
    }
    expectUntouched();
  });

  it('a folder that is not a project is a usage error, not a build of nothing', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'handout-empty-'));
    for (const command of ['build', 'check', 'list']) {
      const r = await cli([command, '--root', empty]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is not a handout project \(no templates\/, locales\/ or brands\/\): run handout in the project folder, or give --root/);
    }
    fs.mkdirSync(path.join(empty, 'templates'));
    fs.writeFileSync(path.join(empty, 'templates/flyer.hbs'), '<document></document>');
    const r = await cli(['build', '--root', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no locales\/ or brands\//);
  });

  it('an instructor\'s own class with a brand whose contact is a placeholder is built, with a warning', async () => {
    fs.copyFileSync(path.join(dir, 'data/class-sample.yaml'), path.join(dir, 'my-class.yaml'));
    const r = await cli(['build', '--root', dir, '-t', 'class-handout', '-l', 'en', '-b', 'default', '--data', 'my-class.yaml', '-o', 'my-class.pdf']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning brands\/default\/brand\.yaml: the brand's contact is a placeholder \(hello@example\.org, https:\/\/www\.example\.org\), printed on your handout: make a brand of your own/m);
    // The samples themselves rightly use it: no word.
    const sample = await cli(['build', '--root', dir, '-t', 'class-handout', '-l', 'en', '-b', 'default', '-o', 'sample-class.pdf']);
    expect(sample.stderr).toBe('');
  });

  it('--data given twice builds a document from each, into a folder or a pattern with {data}', async () => {
    fs.copyFileSync(path.join(dir, 'data/class-sample.yaml'), path.join(dir, 'autumn.yaml'));
    const sel = ['build', '--root', dir, '-q', '-t', 'class-handout', '-l', 'en', '-b', 'default', '-d', 'data/class-sample.yaml', '-d', 'autumn.yaml'];
    const r = await cli([...sel, '-o', 'two-data']);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'two-data/default/en')).sort()).toEqual(['class-handout-autumn.pdf', 'class-handout-class-sample.pdf']);
    // A template that reads no data is built once beside them, not once per data file.
    const both = await cli(['build', '--root', dir, '-q', '-t', 'flyer,class-handout', '-l', 'en', '-b', 'default', '-d', 'data/class-sample.yaml', '-d', 'autumn.yaml', '-o', 'both-data']);
    expect(both.code).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'both-data/default/en')).sort()).toEqual(['class-handout-autumn.pdf', 'class-handout-class-sample.pdf', 'flyer.pdf']);
    // One file given twice, however written, is one file.
    const same = await cli(['build', '--root', dir, '-q', '-t', 'class-handout', '-l', 'en', '-b', 'default', '-d', 'autumn.yaml', '-d', './autumn.yaml', '-o', 'same-data']);
    expect(same.code).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'same-data/default/en'))).toEqual(['class-handout.pdf']);
    // It had crashed: "internal error: data.split is not a function".
    const onto = await cli(sel);
    expect(onto.code).toBe(2);
    expect(onto.stderr).toMatch(/^handout: --data data\/class-sample\.yaml, autumn\.yaml: each would be written to output\/default\/en\/class-handout\.pdf, as the config's output pattern has no \{data\}; give a folder with --out/);
  });

  it('unknown options are usage errors', async () => {
    const r = await cli(['build', '--root', dir, '--colour']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^handout: unknown argument: colour\n/);
    // With the option or command likely meant; a paper name in any case.
    const typos = await cli(['build', '--root', dir, '--output', 'x', '--grayscle']);
    expect(typos.code).toBe(2);
    expect(typos.stderr).toMatch(/^handout: unknown arguments: output \(did you mean --out\?\), grayscle \(did you mean --grayscale\?\)\n/);
    expect((await cli(['biuld', '--root', dir])).stderr).toMatch(/^handout: unknown argument: biuld \(did you mean build\?\)\n/);
    // An option of one value given twice (a command from the shell's history with one more
    // --size): named with both values. It had been read as one ("--out a.json,b.json").
    for (const [flag, a, b] of [['--size', 'A4', 'Letter'], ['--json', 'a.json', 'b.json'], ['--out', 'a.pdf', 'b.pdf'], ['--root', dir, dir]] as const) {
      const twice = await cli(['build', ...(flag === '--root' ? [] : ['--root', dir]), '-t', 'flyer', '-l', 'en', '-b', 'default', flag, a, flag, b]);
      expect(twice.code).toBe(2);
      expect(twice.stderr).toContain(`handout: ${flag} given twice (${JSON.stringify(a)}, ${JSON.stringify(b)}): give it once\n`);
    }
    // One --set key given two values: one would be printed, the other dropped without a word.
    const set = await cli(['build', '--root', dir, '-t', 'class-handout', '-l', 'en', '-b', 'default', '--set', 'instructor.name=Ana', '--set', 'instructor.name=Eva']);
    expect(set.code).toBe(2);
    expect(set.stderr).toMatch(/^handout: --set instructor\.name given twice \("Ana", "Eva"\): give it once\n/);
    // One dash before a word: yargs reads -output as -o -u -t …; the word is named, not its letters.
    const dash = await cli(['build', '--root', dir, '-output', 'x.pdf']);
    expect(dash.code).toBe(2);
    expect(dash.stderr).toMatch(/^handout: unknown argument: -output \(a word-long option takes two dashes: did you mean --out\?\)\n/);
    expect((await cli(['build', '--root', dir, '-2up'])).stderr).toMatch(/^handout: unknown argument: -2up \(a word-long option takes two dashes: did you mean --2up\?\)\n/);
    // A value glued to its letter, as some tools take it.
    expect((await cli(['build', '--root', dir, '-len'])).stderr).toMatch(/^handout: unknown argument: -len \(an option's value goes after a space: write -l en\)\n/);
    const paper = await cli(['build', '--root', dir, '--size', 'B5']);
    expect(paper.code).toBe(2);
    expect(paper.stderr).toMatch(/^handout: --size "B5": choose one of A4, Letter, A5, HalfLetter, Legal\n/);
    // With --2up the size is the sheet's: A5 had failed at the template's first line, exit 1.
    const twoUp = await cli(['build', '--root', dir, '--2up', '--size', 'A5', '-t', 'class-handout', '-l', 'en', '-b', 'default']);
    expect(twoUp.code).toBe(2);
    expect(twoUp.stderr).toMatch(/^handout: --size takes A4 or Letter for 2-up \(the sheet that two A5 or half-letter pages are printed on\), not "A5"\n/);
    // The size from the config, 2-up from the command line: the same, before any job.
    const fromConfig = await withEdit(dir, 'handout.config.yaml', (c) => `${c}\nprint: { size: A5 }\n`, () => cli(['build', '--root', dir, '--2up', '-t', 'flyer', '-l', 'en', '-b', 'default']));
    expect(fromConfig.code).toBe(2);
    expect(fromConfig.stderr).toMatch(/^handout: 2-up with the size "A5" \(handout\.config\.yaml's print\.size\): with 2-up the size is the sheet's, A4 or Letter/);
    const a4 = await cli(['build', '--root', dir, '-q', '--size', 'a4', '-t', 'flyer', '-l', 'en', '-b', 'default', '--out', 'out-a4']);
    expect(a4.code).toBe(0);
  });
});

describe('print options', () => {
  it('a malformed length is a usage error', async () => {
    const r = await cli(['build', '--root', dir, '--bleed', '3xx']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--bleed takes a length with its unit, like 3mm, 0\.125in or 9pt, not "3xx"/);
    // A number alone would be points: 3 for 3 mm is 1 mm.
    const bare = await cli(['build', '--root', dir, '--margin', '15']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/--margin takes a length with its unit, like 3mm, 0\.125in or 9pt, not "15"/);
  });

  it('a bleed or margin that cannot be meant is an error, not a sheet 10 cm too wide or 355 pages', async () => {
    const bleed = await cli(['build', '--root', dir, '--bleed', '50mm']);
    expect(bleed.code).toBe(2);
    expect(bleed.stderr).toMatch(/--bleed takes at most 25mm \(print shops ask for 3 to 5mm\), not "50mm"/);
    const margin = await cli(['build', '--root', dir, '-q', '-t', 'flyer', '-l', 'en', '-b', 'default', '--margin', '200mm', '--out', path.join(dir, 'margins')]);
    expect(margin.code).toBe(1);
    expect(margin.stderr).toMatch(/a margin of 200 mm \(the --margin or print\.margin\) leaves 0 mm of the 210 × 297 mm page for content; at least 25 mm are needed/);
    expectUntouched();
  });

  it('a --jobs that is not a whole number of threads is a usage error', async () => {
    for (const [value, message] of [['0', 'at least 1, not "0"'], ['1.5', 'at least 1, not "1.5"'], ['many', 'at least 1, not "many"']]) {
      const r = await cli(['build', '--root', dir, '-j', value!]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--jobs takes a whole number of ${message}`);
    }
  });

  it('an option given without its value is a usage error, not ignored (--json without a file wrote no report)', async () => {
    for (const [args, message] of [[['--json'], '--json needs a value'], [['-j'], '-j needs a value'], [['--shard'], '--shard needs a value'], [['-t'], '-t needs a value']] as const) {
      const r = await cli(['build', '--root', dir, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`handout: ${message}\n`);
    }
  });
});
