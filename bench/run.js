#!/usr/bin/env node
// npm run bench — prints figures, asserts nothing. See bench/README.md for what each row means.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'bin/handout.js');
const LATIN = ['en', 'es', 'fr', 'pt-BR', 'de', 'pl', 'vi', 'tl', 'so', 'ht'];
const rows = [];
const row = (what, value, note = '') => {
  rows.push([what, value, note]);
  console.log(`${what.padEnd(58)} ${String(value).padStart(14)}  ${note}`);
};

/** A row from a script of bench/ run in a process of its own, which prints "VALUE (NOTE)". */
function childRow(label, script, args) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bench', script), ...args], { encoding: 'utf8' });
  if (r.status !== 0) return row(label, 'failed', r.stderr.split('\n')[0]);
  const out = r.stdout.trim();
  row(label, out.split(' (')[0], out.replace(/^[^(]*\(|\)$/g, ''));
}

/** A project with `brands` generated brands (a clinic network), fonts linked, one job spec. */
function project(brands, jobs) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handout-bench-'));
  for (const d of ['templates', 'locales', 'data']) fs.cpSync(path.join(ROOT, d), path.join(dir, d), { recursive: true });
  fs.mkdirSync(path.join(dir, 'fonts'));
  for (const f of fs.readdirSync(path.join(ROOT, 'fonts'))) fs.symlinkSync(path.join(ROOT, 'fonts', f), path.join(dir, 'fonts', f));
  const source = fs.readFileSync(path.join(ROOT, 'brands/sunrise-clinic/brand.yaml'), 'utf8');
  for (let i = 0; i < brands; i++) {
    const b = path.join(dir, 'brands', `clinic-${String(i).padStart(2, '0')}`);
    fs.mkdirSync(b, { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'brands/sunrise-clinic/logo.svg'), path.join(b, 'logo.svg'));
    const hue = (i * 37) % 360;
    const hex = hsl(hue, 55, 27);
    fs.writeFileSync(path.join(b, 'brand.yaml'), source.replace('Sunrise Family Clinic', `Family Clinic ${i + 1}`).replace('"#9c3d2b"', `"${hex}"`));
  }
  fs.writeFileSync(path.join(dir, 'handout.config.yaml'), `output: "output/{brand}/{locale}/{template}.pdf"\njobs:\n${jobs}`);
  return dir;
}

function hsl(h, s, l) {
  const f = (n) => {
    const k = (n + h / 30) % 12;
    const a = (s / 100) * Math.min(l / 100, 1 - l / 100);
    return Math.round(255 * (l / 100 - a * Math.max(-1, Math.min(k - 3, 9 - k, 1)))).toString(16).padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

/** Runs the CLI under /usr/bin/time: wall seconds and peak RSS (MB) of the whole process. */
function timed(args, env = {}) {
  const t0 = performance.now();
  const useTime = fs.existsSync('/usr/bin/time');
  const options = { encoding: 'utf8', env: { ...process.env, ...env } };
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, CLI, ...args], options)
    : spawnSync(process.execPath, [CLI, ...args], options);
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`handout ${args.join(' ')} failed:\n${r.stderr}`);
  const rss = useTime ? Number(r.stderr.trim().split('\n').pop()) / 1024 : NaN;
  const built = Number(/^(\d+) built/m.exec(r.stdout)?.[1] ?? 0);
  return { ms, rss, built, stdout: r.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const perSecond = (n, ms) => (n / (ms / 1000)).toFixed(1);

console.log(`handout benchmark — node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'})\n`);

// 1. Cold start: one flyer, whole process. First in a project that never built (empty
// .handout-cache), then again with the text memory (shaping, hyphenation) an earlier run left.
{
  const first = [];
  let rss = 0;
  for (let i = 0; i < 3; i++) {
    const r = timed(['build', '--root', project(1, '  - templates: [flyer]\n    locales: [en]\n'), '--force', '-q', '-j', '1']);
    first.push(r.ms);
    rss = Math.max(rss, r.rss);
  }
  row('cold single flyer, first build of a project (median of 3)', `${median(first).toFixed(0)} ms`, `peak RSS ${rss.toFixed(0)} MB`);
  const dir = project(1, '  - templates: [flyer]\n    locales: [en]\n');
  timed(['build', '--root', dir, '-q', '-j', '1']);
  const times = [];
  rss = 0;
  for (let i = 0; i < 9; i++) {
    const r = timed(['build', '--root', dir, '--force', '-q', '-j', '1']);
    times.push(r.ms);
    rss = Math.max(rss, r.rss);
  }
  const sorted = [...times].sort((a, b) => a - b);
  row('cold single flyer, later builds (median of 9)', `${median(times).toFixed(0)} ms`, `min ${sorted[0].toFixed(0)}, max ${sorted[8].toFixed(0)} ms, peak RSS ${rss.toFixed(0)} MB`);
}

// 2. Batches of ~200 documents rebuilt (--force) in a project built once before: one thread
// (-j 1); -j 2, where the tool starts a helper only if the work left pays for it; and two
// threads from the start (HANDOUT_HELPER_WORK_MS=0), to show what a helper gives here.
// "in the run" leaves out process start (as the Typst figure leaves out its compiler's).
let latinProject;
const shipped = fs.readdirSync(path.join(ROOT, 'locales')).length;
for (const [label, brands, locales] of [['200 Latin flyers', 20, `[${LATIN.join(', ')}]`], [`${9 * shipped} flyers over all ${shipped} locales`, 9, 'all']]) {
  const dir = project(brands, `  - templates: [flyer]\n    locales: ${locales}\n`);
  latinProject ??= dir;
  timed(['build', '--root', dir, '-q']);
  for (const [how, workers, env] of [['-j 1', 1, {}], ['-j 2', 2, {}], ['2 threads forced', 2, { HANDOUT_HELPER_WORK_MS: '0' }]]) {
    const r = timed(['build', '--root', dir, '--force', '-q', '-j', String(workers), '--json', 'report.json'], env);
    const summary = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')).summary;
    row(
      `${label}, ${how}`,
      `${perSecond(r.built, r.ms)} docs/s`,
      `${perSecond(r.built, summary.ms)} docs/s in the run; ${r.built} docs in ${(r.ms / 1000).toFixed(1)} s on ${summary.threads} thread${summary.threads > 1 ? 's' : ''}, peak RSS ${r.rss.toFixed(0)} MB`,
    );
  }
}

// 3. No-op rebuild of ~1000 up-to-date jobs.
{
  const dir = project(22, '  - templates: [flyer, class-handout]\n    locales: all\n    data: [data/class-sample.yaml]\n');
  const first = timed(['build', '--root', dir, '-q', '--json', 'report.json']);
  const threads = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')).summary.threads;
  const again = timed(['build', '--root', dir, '-q']);
  const jobs = Number(/(\d+) jobs/.exec(again.stdout)?.[1] ?? 0);
  row(`no-op rebuild of ${jobs} up-to-date jobs`, `${(again.ms / 1000).toFixed(2)} s`, `first build ${(first.ms / 1000).toFixed(1)} s (${perSecond(first.built, first.ms)} docs/s, default -j: ${threads} thread${threads > 1 ? 's' : ''})`);
}

// 4. Lazy fonts: a Latin-only build parses no CJK, Arabic or Indic font.
{
  const { createNodeIo } = await import(path.join(ROOT, 'dist/io/node-io.js'));
  const { Workspace, buildDate } = await import(path.join(ROOT, 'dist/batch/workspace.js'));
  const ws = new Workspace(createNodeIo(ROOT));
  for (const locale of LATIN) await ws.build({ template: 'flyer', locale, brand: 'default', data: null, set: {}, print: {}, output: 'x.pdf' }, buildDate());
  const loaded = ws.fonts.loaded;
  row('fonts parsed by a Latin-only build', `${loaded.length} files`, loaded.map((f) => path.basename(f)).join(', '));
  row('  … of which CJK', String(loaded.filter((f) => /CJK/.test(f)).length), 'NotoSansCJK-*.ttc (19 MB each) stay unread');
}

// 5. The floor of this stack: a minimal hand-written pdfkit flyer, fonts read once.
{
  childRow('minimal pdfkit script (same text), 1 process', 'pdfkit-floor.js', ['50']);
}

// 6. The 200 Latin flyers measured as the Typst row is: a fresh process (this one has shaped
// and hyphenated the Latin texts already, in 4.), the first document left out, no planning or
// writing (Workspace.build gives the PDF's bytes); on 1 thread, then on 2 as the target asks.
for (const threads of [1, 2]) {
  childRow(`handout, 200 Latin flyers in 1 process, ${threads} thread${threads > 1 ? 's' : ''}`, 'threads-flyer.js', [latinProject, String(threads), LATIN.join(','), '20']);
}

// 7. Typst, if bench/'s own dependencies are installed: the same 10 locales × 20 brand names.
{
  const typst = path.join(ROOT, 'bench/node_modules/@myriaddreamin/typst-ts-node-compiler');
  if (fs.existsSync(typst)) {
    childRow('Typst (typst-ts-node-compiler), the same 200, 1 process', 'typst-flyer.js', [LATIN.join(','), '20']);
  } else {
    row('Typst', 'not installed', 'npm install --prefix bench');
  }
}

