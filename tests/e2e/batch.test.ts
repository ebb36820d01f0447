import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkJobs } from '../../src/batch/run.js';
import { planJobs } from '../../src/batch/plan.js';
import { loadConfig } from '../../src/config/project.js';
import { createNodeIo } from '../../src/io/node-io.js';
import { cli, ROOT, tempProject, write } from '../helpers.js';

const pdfs = (dir: string): string[] =>
  fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.pdf')).map((f) => path.join(dir, f));
const temporaries = (dir: string) => fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.tmp'));
const whole = (file: string) => fs.readFileSync(file).subarray(-6).toString('latin1').includes('%%EOF');

describe('incremental builds', () => {
  it('a second build builds nothing; check passes; each kind of input change rebuilds exactly what it affects', async () => {
    const dir = tempProject(['en', 'es']);
    const first = await cli(['build', '--root', dir, '-q']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^8 built, 0 up to date, 0 failed/m);

    const again = await cli(['build', '--root', dir]);
    expect(again.stdout).toMatch(/^0 built, 8 up to date, 0 failed/m);
    expect((await cli(['check', '--root', dir])).code).toBe(0);

    // Each edit: build rebuilds what read the changed input; check (before the build) lists
    // exactly the outputs whose bytes the build then changed.
    let checked = '';
    let said = '';
    let report: { summary: { unchanged: number }; jobs: { output: string; status: string; unchanged: boolean | null }[] } = { summary: { unchanged: 0 }, jobs: [] };
    const hashes = () => new Map(pdfs(dir).map((f) => [path.relative(dir, f), createHash('sha256').update(fs.readFileSync(f)).digest('hex')]));
    const rebuilt = async (edit: () => void) => {
      const before = hashes();
      edit();
      const chk = await cli(['check', '--root', dir]);
      checked = chk.stderr;
      const r = await cli(['build', '--root', dir, '--json', 'report.json']);
      expect(r.code).toBe(0);
      said = r.stdout;
      report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
      const built: string[] = report.jobs.filter((j) => j.status === 'built').map((j) => j.output).sort();
      const after = hashes();
      const changed = [...after.keys()].filter((f) => after.get(f) !== before.get(f)).sort();
      const listed = [...checked.matchAll(/^\S+\s+(output\/\S+\.pdf):/gm)].map((m) => m[1]).sort();
      expect(listed).toEqual(changed);
      expect(chk.code).toBe(changed.length ? 1 : 0);
      return built;
    };
    const append = (file: string, text: string) => fs.appendFileSync(path.join(dir, file), text);
    const replace = (file: string, from: string, to: string) => {
      const f = path.join(dir, file);
      const text = fs.readFileSync(f, 'utf8');
      expect(text).toContain(from);
      fs.writeFileSync(f, text.replace(from, to));
    };

    // A translation: that locale's documents only.
    expect(await rebuilt(() => replace('locales/es/benefits.json', 'Los beneficios del masaje infantil', 'Beneficios del masaje infantil'))).toEqual([
      'output/default/es/class-handout.pdf', 'output/default/es/flyer.pdf', 'output/sunrise-clinic/es/class-handout.pdf', 'output/sunrise-clinic/es/flyer.pdf',
    ]);
    // check says which input changed.
    expect(checked).toMatch(/stale\s+output\/default\/es\/flyer\.pdf: out of date: locales\/es\/ changed/);
    // English, the locale every other one is checked against: an English document names it once
    // (it said "locales/en/, locales/en/ changed").
    await rebuilt(() => replace('locales/en/benefits.json', 'The benefits of infant massage', 'Benefits of infant massage'));
    expect(checked).toMatch(/stale\s+output\/default\/en\/flyer\.pdf: out of date: locales\/en\/ changed\n/);
    // A brand: that brand's documents.
    expect(await rebuilt(() => replace('brands/sunrise-clinic/brand.yaml', '+1 555 0187', '+1 555 0188'))).toEqual([
      'output/sunrise-clinic/en/class-handout.pdf', 'output/sunrise-clinic/en/flyer.pdf', 'output/sunrise-clinic/es/class-handout.pdf', 'output/sunrise-clinic/es/flyer.pdf',
    ]);
    expect(checked).toMatch(/output\/sunrise-clinic\/en\/flyer\.pdf: out of date: brands\/sunrise-clinic\/ changed/);
    // A brand comment: the same documents rebuilt, to the same bytes, so check passes; the
    // build says so, and leaves the files as they were.
    const mtime = fs.statSync(path.join(dir, 'output/sunrise-clinic/en/flyer.pdf')).mtimeMs;
    expect(await rebuilt(() => append('brands/sunrise-clinic/brand.yaml', '\n# new comment\n'))).toHaveLength(4);
    expect(said).toMatch(/^4 built \(all to the same bytes as before\), 4 up to date/m);
    expect(said).toMatch(/^built {3}output\/sunrise-clinic\/en\/flyer\.pdf \(.*; the same bytes as before, file left as it was\)$/m);
    expect(report.summary.unchanged).toBe(4);
    expect(report.jobs.filter((j) => j.status === 'skipped').every((j) => j.unchanged === null)).toBe(true);
    expect(report.jobs.filter((j) => j.status === 'built').every((j) => j.unchanged)).toBe(true);
    expect(fs.statSync(path.join(dir, 'output/sunrise-clinic/en/flyer.pdf')).mtimeMs).toBe(mtime);
    // Data: the handouts that read it.
    const dataBuilt = await rebuilt(() => replace('data/class-sample.yaml', 'Room 2', 'Room 3'));
    expect(dataBuilt).toHaveLength(4);
    expect(dataBuilt.every((o) => o.endsWith('class-handout.pdf'))).toBe(true);
    expect(checked).toMatch(/out of date: data\/class-sample\.yaml changed/);
    // An instructor's own data built onto the sample's output (no -o): check says so, rather
    // than blame the sample data, which did not change.
    fs.writeFileSync(path.join(dir, 'mine.yaml'), fs.readFileSync(path.join(dir, 'data/class-sample.yaml'), 'utf8').replace('Maria Lopez', 'Ana Ruiz'));
    expect((await cli(['build', '--root', dir, '-q', '-t', 'class-handout', '-l', 'es', '-b', 'default', '--data', 'mine.yaml'])).code).toBe(0);
    const mine = await cli(['check', '--root', dir, '-t', 'class-handout', '-l', 'es', '-b', 'default', '--json', 'mine.json']);
    expect(mine.stderr).toMatch(/^stale\s+output\/default\/es\/class-handout\.pdf: out of date: built from mine\.yaml, where the job reads data\/class-sample\.yaml$/m);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'mine.json'), 'utf8')).outputs[0]).toMatchObject({ state: 'stale', changed: [], builtFrom: ['mine.yaml'] });
    expect((await cli(['build', '--root', dir, '-q'])).stdout).toMatch(/^1 built/m);
    // Built with options the job does not give: check names them as they were typed.
    const sel = ['-t', 'class-handout', '-l', 'es', '-b', 'default'];
    expect((await cli(['build', '--root', dir, '-q', ...sel, '--set', 'instructor.name=Ana Ruiz', '--size', 'Letter'])).code).toBe(0);
    expect((await cli(['check', '--root', dir, ...sel])).stderr).toMatch(
      /^stale\s+output\/default\/es\/class-handout\.pdf: out of date: the job's options \(--size Letter when built, not now; --set instructor\.name="Ana Ruiz" when built, not now\) changed$/m,
    );
    expect((await cli(['check', '--root', dir, ...sel, '--set', 'instructor.name=Eva', '--size', 'Letter'])).stderr).toMatch(/the job's options \(--set instructor\.name: "Ana Ruiz" when built, "Eva" now\) changed$/m);
    expect((await cli(['build', '--root', dir, '-q'])).stdout).toMatch(/^1 built/m);
    // A partial: everything. A template: its own documents (an edit to the flyer had rebuilt
    // every class handout too). An icon: the documents that show it.
    expect(await rebuilt(() => append('templates/partials/contact-footer.hbs', '\n'))).toHaveLength(8);
    const flyers = await rebuilt(() => append('templates/flyer.hbs', '\n'));
    expect(flyers).toHaveLength(4);
    expect(flyers.every((o) => o.endsWith('/flyer.pdf'))).toBe(true);
    expect(await rebuilt(() => replace('templates/icons/relaxation.svg', 'M16 4.5h3', 'M16 4.8h3'))).toHaveLength(8);
    expect(checked).toMatch(/out of date: templates\/icons\/relaxation\.svg changed/);
    // A font the documents embed.
    const font = path.join(dir, 'fonts/NotoSans-Regular.ttf');
    const target = fs.readlinkSync(font);
    fs.unlinkSync(font);
    fs.copyFileSync(target, font);
    fs.appendFileSync(font, Buffer.from([0]));
    expect(await rebuilt(() => {})).toHaveLength(8);
    // A logo from outside its brand's folder (one the brands of a network share): it had been
    // no input, so a new logo there left the PDFs "up to date" with the old one.
    fs.mkdirSync(path.join(dir, 'shared'));
    fs.copyFileSync(path.join(dir, 'brands/sunrise-clinic/logo.svg'), path.join(dir, 'shared/logo.svg'));
    expect(await rebuilt(() => replace('brands/sunrise-clinic/brand.yaml', 'logo: logo.svg', 'logo: ../../shared/logo.svg'))).toHaveLength(4);
    expect(await rebuilt(() => replace('shared/logo.svg', 'fill="#e8a33d"', 'fill="#123456"'))).toHaveLength(4);
    expect(checked).toMatch(/out of date: shared\/logo\.svg changed/);
    // A hand-edited output: check names it, build replaces it.
    append('output/default/en/flyer.pdf', '% edited\n');
    const chk = await cli(['check', '--root', dir]);
    expect(chk.code).toBe(1);
    expect(chk.stderr).toMatch(/edited\s+output\/default\/en\/flyer\.pdf: changed by hand/);
    expect(await rebuilt(() => {})).toEqual(['output/default/en/flyer.pdf']);
    // --force rebuilds everything.
    expect((await cli(['build', '--root', dir, '--force', '-q'])).stdout).toMatch(/^8 built/m);
  });

  it('check judges outputs without a build record (committed PDFs in a fresh clone) by building them again in memory', async () => {
    const dir = tempProject(['en', 'es']);
    expect((await cli(['build', '--root', dir, '-q', '-t', 'flyer'])).code).toBe(0);
    const cache = path.join(dir, '.handout-cache');
    const records = () => fs.readdirSync(cache).filter((f) => f.endsWith('.json')).length;
    const older = fs.mkdtempSync(path.join(dir, '..', 'records-'));
    fs.cpSync(cache, older, { recursive: true });

    // A cache restored from an earlier commit: its records describe other files than the
    // committed ones, which were built from the inputs as they are now.
    const es = path.join(dir, 'locales/es/common.json');
    const benefits = path.join(dir, 'locales/es/benefits.json');
    fs.writeFileSync(benefits, fs.readFileSync(benefits, 'utf8').replace(/("title": ")/, '$1Nuevo: '));
    expect((await cli(['build', '--root', dir, '-q', '-t', 'flyer'])).stdout).toMatch(/^2 built/m);
    fs.rmSync(cache, { recursive: true });
    fs.cpSync(older, cache, { recursive: true });
    let r = await cli(['check', '--root', dir, '-t', 'flyer']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^4 of 4 outputs up to date/m);

    // No records at all; check writes none.
    fs.rmSync(cache, { recursive: true });
    r = await cli(['check', '--root', dir, '-t', 'flyer']);
    expect(r.code).toBe(0);
    expect(fs.existsSync(cache) ? records() : 0).toBe(0);
    // Nor is an input that changed without changing the document a reason to rebuild in CI.
    expect((await cli(['build', '--root', dir, '-q', '-t', 'flyer'])).code).toBe(0);
    fs.appendFileSync(path.join(dir, 'brands/default/brand.yaml'), '\n# a comment\n');
    r = await cli(['check', '--root', dir, '-t', 'flyer']);
    expect(r.stdout).toMatch(/^4 of 4 outputs up to date/m);
    // -q says nothing when all is well; -v names every output.
    r = await cli(['check', '--root', dir, '-t', 'flyer', '-q']);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
    r = await cli(['check', '--root', dir, '-t', 'flyer', '-v']);
    expect(r.stdout.match(/^fresh\s+output\/\S+\/flyer\.pdf$/gm)).toHaveLength(4);

    // Without records: a committed PDF its inputs no longer make, and one whose locale cannot be built.
    fs.rmSync(cache, { recursive: true });
    const brand = path.join(dir, 'brands/sunrise-clinic/brand.yaml');
    fs.writeFileSync(brand, fs.readFileSync(brand, 'utf8').replace('+1 555 0187', '+1 555 0188'));
    fs.writeFileSync(es, '{ "web": "Sitio web", }');
    r = await cli(['check', '--root', dir, '-t', 'flyer']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/stale\s+output\/sunrise-clinic\/en\/flyer\.pdf: differs from what its inputs make now \(no build record in \.handout-cache\/ tells which input changed\)/);
    expect(r.stderr).toMatch(/failed\s+output\/default\/es\/flyer\.pdf: cannot be built now: locales\/es\/common\.json:1: /);
    expect(r.stderr).not.toMatch(/default\/en\/flyer/);
    // Those that cannot be built now need their error fixed, not a build.
    expect(r.stderr).toMatch(/1 of 4 outputs up to date; 1 needs `handout build`; 2 cannot be built until their error above is fixed$/m);
    // Quiet still lists what is wrong; the JSON report has a record per output, with the reason.
    r = await cli(['check', '--root', dir, '-t', 'flyer', '-q', '--json', 'check.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/1 of 4 outputs up to date; 1 needs `handout build`; 2 cannot be built until their error above is fixed/);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'check.json'), 'utf8'));
    expect(report).toMatchObject({ tool: 'handout', summary: { outputs: 4, fresh: 1, missing: 0, stale: 1, edited: 0, failed: 2 } });
    const byOutput = Object.fromEntries(report.outputs.map((o: { output: string }) => [o.output, o]));
    expect(byOutput['output/default/en/flyer.pdf']).toEqual({ template: 'flyer', locale: 'en', brand: 'default', data: null, output: 'output/default/en/flyer.pdf', state: 'fresh', changed: [], builtFrom: null, error: null });
    expect(byOutput['output/sunrise-clinic/en/flyer.pdf']).toMatchObject({ state: 'stale', changed: [], error: null });
    expect(byOutput['output/default/es/flyer.pdf'].error).toMatch(/^locales\/es\/common\.json:1: /);
    // Stopped (Ctrl-C, a cancelled CI job), check ends with what it checked: the rest is
    // "unchecked", and the CLI says so (it had exited without a word or a report).
    const io = createNodeIo(dir);
    const jobs = planJobs(io, loadConfig(io), { templates: ['flyer'] });
    let asked = 0;
    const states = await checkJobs(io, jobs, () => asked++ >= 2);
    expect(states.map((c) => c.state)).toEqual(['fresh', 'stale', 'unchecked', 'unchecked']);
  });

  it('a different SOURCE_DATE_EPOCH makes outputs stale (the creation date is in every PDF)', async () => {
    const dir = tempProject(['en']);
    const epoch = { SOURCE_DATE_EPOCH: '1700000000' };
    expect((await cli(['build', '--root', dir, '-q', '-t', 'flyer'], ROOT, epoch)).code).toBe(0);
    expect((await cli(['check', '--root', dir, '-t', 'flyer'], ROOT, epoch)).code).toBe(0);
    const r = await cli(['check', '--root', dir, '-t', 'flyer']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/stale\s+output\/default\/en\/flyer\.pdf: out of date: the creation date \(SOURCE_DATE_EPOCH\) changed/);
    expect((await cli(['build', '--root', dir, '-q', '-t', 'flyer'])).stdout).toMatch(/^2 built/m);
  });

  it('check lists missing outputs and exits 1', async () => {
    const dir = tempProject(['en']);
    const r = await cli(['check', '--root', dir, '-t', 'flyer']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/missing output\/default\/en\/flyer\.pdf: not built yet, or deleted\n/);
    expect(r.stderr).toMatch(/0 of 2 outputs up to date; 2 need `handout build`/);
  });
});

describe('reports, shards and workers', () => {
  it('writes a JSON report with one record per job, and builds the same bytes on 1 or 2 workers', async () => {
    const a = tempProject(['en', 'es', 'ar']);
    const b = tempProject(['en', 'es', 'ar']);
    const r1 = await cli(['build', '--root', a, '-q', '-j', '1', '--json', 'r.json']);
    const r2 = await cli(['build', '--root', b, '-q', '-j', '2', '--json', 'r.json'], ROOT, { HANDOUT_HELPER_WORK_MS: '0' });
    expect(r1.code).toBe(0);
    expect(r2.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(a, 'r.json'), 'utf8'));
    expect(report.summary).toMatchObject({ built: 12, skipped: 0, failed: 0, interrupted: 0, jobs: 12 });
    // The bundle's own hash, part of every job's inputs: a rebuilt handout makes outputs stale.
    expect(report).toMatchObject({ tool: 'handout', version: '0.1.0', build: expect.stringMatching(/^[0-9a-f]{16}$/) });
    for (const j of report.jobs) {
      expect(Object.keys(j).sort()).toEqual(['brand', 'bytes', 'data', 'error', 'locale', 'ms', 'output', 'pages', 'status', 'template', 'unchanged', 'warnings']);
      expect(j.status).toBe('built');
      expect(j.pages).toBeGreaterThan(0);
      expect(j.bytes).toBe(fs.statSync(path.join(a, j.output)).size);
    }
    // Up to date the next time: nothing built, so nothing counted.
    expect((await cli(['build', '--root', a, '-q', '--json', 'again.json'])).code).toBe(0);
    const again = JSON.parse(fs.readFileSync(path.join(a, 'again.json'), 'utf8'));
    expect(again.summary).toMatchObject({ built: 0, skipped: 12 });
    for (const j of again.jobs) expect(j).toMatchObject({ status: 'skipped', pages: null, bytes: null, warnings: null });
    // Two threads did build (the test starts the helper at once, see helper-plan).
    expect(report.summary.threads).toBe(1);
    expect(JSON.parse(fs.readFileSync(path.join(b, 'r.json'), 'utf8')).summary.threads).toBe(2);
    // Jobs finish in any order on two threads; the report lists them in plan order all the same.
    const listed = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8')).jobs.map((j: { output: string }) => j.output);
    expect(listed(b)).toEqual(listed(a));
    for (const f of pdfs(path.join(a, 'output'))) expect(fs.readFileSync(f).equals(fs.readFileSync(f.replace(a, b)))).toBe(true);
    // What a process keeps between documents (layouts, glyph plans, font subsets, drawn logos)
    // never shows in the output: a document built alone equals the one built late in a batch.
    for (const [brand, locale] of [['sunrise-clinic', 'es'], ['default', 'ar']] as const) {
      const alone = await cli(['build', '--root', b, '-q', '--force', '--brand', brand, '--locale', locale, '--template', 'flyer']);
      expect(alone.code).toBe(0);
      const file = path.join('output', brand, locale, 'flyer.pdf');
      expect(fs.existsSync(path.join(a, file))).toBe(true);
      expect(fs.readFileSync(path.join(b, file)).equals(fs.readFileSync(path.join(a, file)))).toBe(true);
    }
  });

  it('starts no helper thread for a batch too small to pay for one', async () => {
    const dir = tempProject(['en', 'es']);
    const r = await cli(['build', '--root', dir, '-q', '-j', '4', '--json', 'r.json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8')).summary).toMatchObject({ built: 8, threads: 1 });
  });

  it('n shards together build every job exactly once', async () => {
    const dir = tempProject(['en', 'es', 'fr']);
    const seen: string[] = [];
    for (const i of [1, 2, 3]) {
      const r = await cli(['build', '--root', dir, '--shard', `${i}/3`, '--json', `s${i}.json`, '-q']);
      expect(r.code).toBe(0);
      seen.push(...JSON.parse(fs.readFileSync(path.join(dir, `s${i}.json`), 'utf8')).jobs.map((j: { output: string }) => j.output));
    }
    expect(seen.sort()).toEqual(pdfs(path.join(dir, 'output')).map((f) => path.relative(dir, f)).sort());
    expect(seen).toHaveLength(12);
    // More runners than jobs: an empty shard succeeds and says why it built nothing.
    const empty = await cli(['build', '--root', dir, '--shard', '5/200', '-t', 'flyer', '-l', 'en', '-b', 'default']);
    expect(empty.code).toBe(0);
    expect(empty.stderr).toBe('note: shard 5/200 holds none of the 1 job; the other shards build them\n');
  });
});

describe('text memory', () => {
  it('keeps shaping and hyphenation between runs; a damaged memory file changes no output', async () => {
    const dir = tempProject(['en', 'de']);
    const args = ['build', '--root', dir, '-q', '--force', '-t', 'flyer', '-b', 'default'];
    expect((await cli(args)).code).toBe(0);
    const memory = path.join(dir, '.handout-cache/memory');
    const files = fs.readdirSync(memory);
    // Noto Sans regular and bold, English and German patterns.
    expect(files.length).toBeGreaterThanOrEqual(4);
    const before = pdfs(path.join(dir, 'output')).map((f) => fs.readFileSync(f));
    for (const f of files) fs.writeFileSync(path.join(memory, f), '{"format": 1, "entries": {"l\u0000x": [0, 5');
    const again = await cli(args);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
    pdfs(path.join(dir, 'output')).forEach((f, i) => expect(fs.readFileSync(f).equals(before[i]!)).toBe(true));
    // Rewritten whole by the run that found them damaged.
    for (const f of fs.readdirSync(memory)) expect(() => JSON.parse(fs.readFileSync(path.join(memory, f), 'utf8'))).not.toThrow();
  });
});

describe('interruptions', () => {
  const startBuild = (dir: string, extra: string[] = [], env: Record<string, string> = {}) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/handout.js'), 'build', '--root', dir, '-j', '1', '--force', ...extra], { env: { ...process.env, NO_COLOR: '1', ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const built = (n: number) =>
      new Promise<void>((resolve) => {
        const t = setInterval(() => {
          if ((out.match(/^built/gm) ?? []).length >= n) {
            clearInterval(t);
            resolve();
          }
        }, 10);
      });
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
    const said = (text: string) =>
      new Promise<void>((resolve) => {
        const t = setInterval(() => {
          if (out.includes(text)) {
            clearInterval(t);
            resolve();
          }
        }, 10);
      });
    return { child, built, said, exit, output: () => out };
  };

  const many = fs.readdirSync(path.join(ROOT, 'locales'));

  it('Ctrl-C finishes the document in progress, starts no other, and leaves outputs and cache consistent', async () => {
    const dir = tempProject(many);
    const b = startBuild(dir);
    await b.built(2);
    b.child.kill('SIGINT');
    expect(await b.exit).toBe(130);
    expect(b.output()).toMatch(/\d+ not started \(interrupted\)/);
    expect(pdfs(path.join(dir, 'output')).length).toBeLessThan(many.length * 4);
    expect(temporaries(dir)).toEqual([]);
    for (const f of pdfs(path.join(dir, 'output'))) expect(whole(f)).toBe(true);
    const chk = await cli(['check', '--root', dir]);
    expect(chk.stderr).not.toMatch(/edited|stale/);
  });

  it('SIGTERM (a cancelled CI job) stops as Ctrl-C does, with its summary and report, and exit 143', async () => {
    const dir = tempProject(many);
    const b = startBuild(dir, ['--json', 'r.json']);
    await b.built(2);
    b.child.kill('SIGTERM');
    expect(await b.exit).toBe(143);
    expect(b.output()).toMatch(/SIGTERM again to quit now/);
    expect(b.output()).toMatch(/\d+ not started \(interrupted\)/);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8'));
    expect(report.summary.interrupted).toBeGreaterThan(0);
    expect(temporaries(dir)).toEqual([]);
  });

  it('a second Ctrl-C quits at once and removes the files the run had half written', async () => {
    const dir = tempProject(many);
    // A slow disk: each write holds its temporary file 1.5 s before the rename, so the first
    // Ctrl-C waits on writes in progress and the second surely comes while they are half done.
    const b = startBuild(dir, [], { HANDOUT_TEST_SLOW_WRITE_MS: '1500' });
    await b.built(2);
    b.child.kill('SIGINT');
    await b.said('Ctrl-C again to quit now');
    expect(temporaries(dir).length).toBeGreaterThan(0);
    const second = performance.now();
    b.child.kill('SIGINT');
    expect(await b.exit).toBe(130);
    // At once: not after the writes in progress.
    expect(performance.now() - second).toBeLessThan(1000);
    // The log may lack a document written in the last moment: it says so, and what tells.
    expect(b.output()).toMatch(/Quit: a document written in the last moment may be missing from the lines above; `handout check` says which outputs are up to date/);
    expect(temporaries(dir)).toEqual([]);
    for (const f of pdfs(path.join(dir, 'output'))) expect(whole(f)).toBe(true);
  });

  it('a killed build leaves no partial PDF, and the next build cleans up and completes', async () => {
    const dir = tempProject(many);
    const b = startBuild(dir);
    await b.built(3);
    b.child.kill('SIGKILL');
    await b.exit;
    for (const f of pdfs(path.join(dir, 'output'))) expect(whole(f)).toBe(true);
    // A temporary file as a killed writer would leave it (pid 999999 is not running).
    write(dir, 'output/default/en/flyer.pdf.999999.1.tmp', '%PDF-1.7 half');
    const r = await cli(['build', '--root', dir, '-q']);
    expect(r.code).toBe(0);
    expect(temporaries(dir)).toEqual([]);
    expect((await cli(['check', '--root', dir])).code).toBe(0);
  });
});

describe('worker faults', () => {
  it('a worker that dies fails only the jobs it held; a new worker and the main thread finish the rest', async () => {
    const dir = tempProject(['en', 'es', 'fr']);
    const r = await cli(['build', '--root', dir, '-j', '2', '-q', '--json', 'r.json'], ROOT, { HANDOUT_TEST_CRASH_FIRST_WORKER: '1', HANDOUT_HELPER_WORK_MS: '0' });
    expect(r.code).toBe(1);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8'));
    const failed = report.jobs.filter((j: { status: string }) => j.status === 'failed');
    // The crashed worker held its first job and the one fetched ahead of it.
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed.length).toBeLessThanOrEqual(2);
    for (const f of failed) expect(f.error).toBe('worker crashed: exit code 3');
    expect(report.summary).toMatchObject({ built: 12 - failed.length, failed: failed.length, jobs: 12 });
    expect(r.stderr).toMatch(new RegExp(`${12 - failed.length} built, 0 up to date, ${failed.length} failed`));
    expect(pdfs(path.join(dir, 'output'))).toHaveLength(12 - failed.length);
  });
});
