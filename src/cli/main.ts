import { isMainThread } from 'node:worker_threads';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { posix } from 'node:path';
import { availableParallelism } from 'node:os';
import { planJobs, projectNames } from '../batch/plan.js';
import { CACHE_DIR } from '../batch/cache.js';
import { defaultThreads } from '../batch/helper-plan.js';
import { type CheckedOutput, checkJobs, runJobs, sweepTemporaries } from '../batch/run.js';
import { parseShard, shardOf } from '../batch/shard.js';
import { createPrinter, red, writeCheckReport, writeJsonReport } from './report.js';
import stringWidth from './string-width.js';
import { type Job, TOOL_VERSION, Workspace } from '../batch/workspace.js';
import { brandFolders, listBrands, loadBrand, oneLine } from '../config/brand.js';
import { atKeyLine } from '../config/yaml-file.js';
import { closest } from '../config/schema-issue.js';
import { loadConfig, outputPattern, PAPER, printSchema } from '../config/project.js';
import type { PrintOptions } from '../model/print.js';
import { checkComplete, type Locale, loadLocale, localeFolders, REFERENCE_LOCALE, sameAsReference } from '../i18n/locales.js';
import type { Io } from '../io/io.js';
import { createNodeIo } from '../io/node-io.js';
import { describeError, isHandoutError } from '../model/diagnostic.js';
import { own } from '../model/own.js';
import { HALF_OF } from '../layout/units.js';
import { listTemplates, readTemplateInfo, templateReadsData } from '../template/templates.js';
import { knowsDates } from '../template/helpers.js';

/** Exit codes: 0 all good, 1 some job failed, 2 the command or the project config was wrong; 130 and 143 for a run a signal stopped. */
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** 128 and the signal's number, as a shell reports a command a signal stopped: 130 for Ctrl-C, 143 for SIGTERM. */
function exitForSignal(signal: NodeJS.Signals): number {
  return 128 + (signal === 'SIGTERM' ? 15 : 2);
}

/**
 * Ctrl-C, or SIGTERM (a CI job cancelled): the first asks the command to stop after the
 * document in progress (it says so, and `doing` what it finishes), a second quits at once,
 * after `quitNow`. `stopped()` is the first signal, or null; `release()` removes the handlers.
 */
function catchStop(doing: string, quitNow: () => void = () => {}): { stopped: () => NodeJS.Signals | null; release: () => void } {
  let stopped: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopped) {
      quitNow();
      process.exit(exitForSignal(signal));
    }
    stopped = signal;
    console.error(`\nInterrupted: ${doing} (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again to quit now)…`);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return { stopped: () => stopped, release: () => STOP_SIGNALS.forEach((signal) => process.off(signal, onSignal)) };
}


function parseSet(values: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set takes key=value, not "${v}"`);
    const key = v.slice(0, eq);
    // These would reach every object's prototype, not a data value.
    const bad = key.split('.').find((k) => k === '' || k === '__proto__' || k === 'constructor' || k === 'prototype');
    if (bad !== undefined) throw new UsageError(`--set ${key}: "${bad}" cannot be part of a data key`);
    // Two values for one key, as two values of another option, would leave one unprinted without a word.
    const value = v.slice(eq + 1);
    if (key in out && out[key] !== value) throw new UsageError(`--set ${key} given twice (${JSON.stringify(out[key])}, ${JSON.stringify(value)}): give it once`);
    out[key] = value;
  }
  return out;
}

class UsageError extends Error {}

/** `-l es,fr` and `-l es -l fr` alike. */
const list = (v: unknown): string[] | undefined =>
  v === undefined ? undefined : [v].flat().flatMap((s) => String(s).split(',')).map((s) => s.trim()).filter(Boolean);

/** Print options from the command line, checked by the same schema as the config's `print`. */
function printOptions(argv: Record<string, unknown>): PrintOptions {
  const print = {
    size: argv.size as PrintOptions['size'],
    orientation: argv.orientation as PrintOptions['orientation'],
    margin: argv.margin as string | undefined,
    bleed: argv.bleed as string | undefined,
    cropMarks: argv['crop-marks'] as boolean | undefined,
    twoUp: argv['2up'] as boolean | undefined,
    grayscale: argv.grayscale as boolean | undefined,
    pdfa: argv.pdfa as boolean | undefined,
  };
  const checked = printSchema.safeParse(Object.fromEntries(Object.entries(print).filter(([, v]) => v !== undefined)));
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const field = String(issue.path[0]);
    throw new UsageError(`--${field} takes ${issue.message}, not "${String(print[field as keyof typeof print])}"`);
  }
  return print;
}

/**
 * The project `--root` names (the current folder by default). A folder without templates,
 * locales or brands is a mistake (a CI step in the wrong folder), not a project with 0 jobs.
 */
function openProject(argv: Record<string, unknown>): Io {
  const root = String(argv.root ?? '.');
  const io = createNodeIo(root);
  const missing = ['templates', 'locales', 'brands'].filter((d) => io.list(d).length === 0);
  if (missing.length === 3) throw new UsageError(`${io.root} is not a handout project (no templates/, locales/ or brands/): run handout in the project folder, or give --root`);
  if (missing.length > 0) throw new UsageError(`the project in ${io.root} has no ${missing.map((d) => `${d}/`).join(' or ')}`);
  return io;
}

/**
 * `--set` or `--data` for a build whose templates all read no data (`-t flyer --set
 * instructor.name=…`, `-t flyer -d my-class.yaml`) would change nothing: the user expects the
 * values in the document. Templates that read data check each key themselves (a typo is named
 * there).
 */
function refuseUnreadData(io: Io, jobs: Job[], set: Record<string, string>, data: string[] | undefined): void {
  const keys = Object.keys(set);
  const given = keys.length ? `--set ${keys[0]}=${set[keys[0]!]}` : data?.length ? `--data ${data.join(', ')}` : null;
  const templates = [...new Set(jobs.map((j) => j.template))];
  if (!given || templates.length === 0 || templates.some((t) => templateReadsData(io, t))) return;
  const readers = listTemplates(io).filter((t) => templateReadsData(io, t));
  const them = templates.length === 1 ? `the ${templates[0]} template reads` : `the ${templates.join(', ')} templates read`;
  const hint = readers.length ? ` (${readers.join(', ')} ${readers.length === 1 ? 'does' : 'do'}: -t ${readers[0]})` : '';
  throw new UsageError(`${given}: ${them} no data, so ${keys.length ? 'the value' : 'nothing of it'} would be printed${keys.length ? ' nowhere' : ''}${hint}`);
}

function plan(argv: Record<string, unknown>) {
  const print = printOptions(argv);
  const io = openProject(argv);
  const config = loadConfig(io, undefined, projectNames(io));
  const set = parseSet(argv.set as string[] | undefined);
  const out = argv.out as string | undefined;
  // A file pattern on the command line is checked as the config's is ("{lang}" would be a folder name).
  const pattern = out && /\.pdf$/i.test(out) ? outputPattern.safeParse(out) : null;
  if (pattern && !pattern.success) throw new UsageError(`--out ${out}: ${pattern.error.issues[0]!.message}`);
  // One file given twice (data/x.yaml and ./data/x.yaml) is one data file.
  const data = argv.data === undefined ? undefined : [...new Set([argv.data].flat().map((d) => posix.normalize(String(d))))];
  let jobs = planJobs(io, config, {
    templates: list(argv.template),
    locales: list(argv.locale),
    brands: list(argv.brand),
    data,
    set,
    out,
    print,
  });
  // Before sharding: a shard holding only flyers is no reason to refuse a run's --set.
  refuseUnreadData(io, jobs, set, data);
  // 2-up from one place and the size from another (--2up, print.size A5): the sheet must be A4 or Letter.
  const sheet = jobs.find((j) => j.print.twoUp && j.print.size !== undefined && own(HALF_OF, j.print.size) === undefined)?.print.size;
  if (sheet) throw new UsageError(`2-up with the size "${sheet}" (${print.size ? '--size' : 'handout.config.yaml\'s print.size'}): with 2-up the size is the sheet's, A4 or Letter (two A5 or half-letter pages)`);
  // A brand folder whose file is misnamed (brand.yml) is no brand: a build of every brand says so.
  const brands = new Set(listBrands(io));
  for (const id of brandFolders(io)) if (!brands.has(id)) console.error(`note: brands/${id}/ is no brand until its file is named brand.yaml; it is left out`);
  if (argv.shard) {
    const shard = parseShard(String(argv.shard));
    const all = jobs.length;
    jobs = shardOf(jobs, shard);
    // Not an error (a CI matrix may have more runners than jobs), but a run that does nothing says why.
    if (jobs.length === 0) console.error(`note: shard ${argv.shard} holds none of the ${all} job${all === 1 ? '' : 's'}; the other shards build them`);
  }
  return { io, jobs };
}

/**
 * `--jobs`: a whole number of threads, at least 1 (read as text, so a message can quote "abc").
 * By default as many as the cores keep busy: on two cores one, since a helper thread there
 * made the 96 samples slower (4.2–5.7 s against 3.7–4.4, with 40% more CPU) and 1056 jobs no
 * faster (11.6 s against 11.8, 659 MB against 492).
 */
function workerCount(argv: Record<string, unknown>): number {
  if (argv.jobs === undefined) return defaultThreads(availableParallelism());
  const given = String(argv.jobs).trim();
  const n = given === '' ? NaN : Number(given);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--jobs takes a whole number of at least 1, not "${given}"`);
  return n;
}

/** Options that take one value (-t, -l, -b, --data and --set take several). */
const SINGLE = ['out', 'size', 'orientation', 'margin', 'bleed', 'shard', 'json', 'jobs', 'root'];

/**
 * An option given twice (a command from the shell's history with one more `--size` on its
 * end) is a usage error naming both values: yargs made a list of them, which each option
 * read as one value ("--out a.json,b.json" became a folder).
 */
function givenOnce(argv: Record<string, unknown>): void {
  for (const name of SINGLE) {
    const v = argv[name];
    if (Array.isArray(v)) throw new UsageError(`--${name} given ${v.length === 2 ? 'twice' : `${v.length} times`} (${v.map((x) => JSON.stringify(String(x))).join(', ')}): give it once`);
  }
}

async function build(argv: Record<string, unknown>): Promise<number> {
  givenOnce(argv);
  const workers = workerCount(argv);
  const { io, jobs } = plan(argv);
  const printer = createPrinter(jobs.length, { quiet: Boolean(argv.quiet), verbose: Boolean(argv.verbose) });
  // Stopped: finish what is being written, start nothing new, keep outputs and cache
  // consistent, report. Quitting at once removes the files this run had half written
  // (outputs are replaced only by renaming a whole file).
  const stop = catchStop('writing the documents made and finishing the one in progress, starting no other', () => {
    sweepTemporaries(io, jobs, true);
    // Lines come when a document's file and record are written, a little after it is built.
    console.error('Quit: a document written in the last moment may be missing from the lines above; `handout check` says which outputs are up to date');
  });
  const summary = await runJobs(io, jobs, {
    force: Boolean(argv.force),
    workers,
    onResult: (r) => printer.result(r),
    stopped: () => stop.stopped() !== null,
  });
  stop.release();
  // Every write of the run has ended; a temporary file of ours left now would be a stray.
  if (stop.stopped()) sweepTemporaries(io, jobs, true);
  printer.summary(summary, jobs.length);
  if (argv.json) writeJsonReport(io, String(argv.json), summary);
  if (summary.interrupted > 0) return exitForSignal(stop.stopped() ?? 'SIGINT');
  return summary.failed > 0 ? EXIT_FAILED : 0;
}

/** What changed for a stale output: inputs changed, or another one it was built from (`-o` onto a job's output). */
function staleWhy(s: CheckedOutput): string {
  const swapped = s.swapped;
  const parts = swapped ? [`built from ${swapped.builtFrom.join(', ')}, where the job reads ${swapped.reads.length ? swapped.reads.join(', ') : 'no such input'}`] : [];
  if (s.changed.length) parts.push(`${s.changed.join(', ')} changed`);
  return parts.join('; ');
}

async function check(argv: Record<string, unknown>): Promise<number> {
  givenOnce(argv);
  const { io, jobs } = plan(argv);
  // Stopped, it reports what it has checked; a cancelled CI step had ended without a word.
  const stop = catchStop('checking no further outputs');
  const states = await checkJobs(io, jobs, () => stop.stopped() !== null);
  stop.release();
  const bad = states.filter((s) => s.state !== 'fresh' && s.state !== 'unchecked');
  const why = (s: CheckedOutput) =>
    s.state === 'missing'
      ? 'not built yet, or deleted'
      : s.state === 'edited'
        ? 'changed by hand since it was built'
        : s.state === 'failed'
          ? `cannot be built now: ${s.error}`
          : s.changed.length || s.swapped
            ? `out of date: ${staleWhy(s)}`
            : `differs from what its inputs make now (no build record in ${CACHE_DIR}/ tells which input changed)`;
  if (argv.verbose) for (const s of states) if (s.state === 'fresh') console.log(`${'fresh'.padEnd(7)} ${s.job.output}`);
  for (const s of bad) console.error(`${red(s.state.padEnd(7))} ${s.job.output}: ${why(s)}`);
  if (argv.json) writeCheckReport(io, String(argv.json), states);
  const stopped = stop.stopped();
  if (stopped) {
    const unchecked = states.filter((s) => s.state === 'unchecked').length;
    console.error(`${states.length - unchecked} of ${states.length} outputs checked, ${bad.length} of them not up to date; ${unchecked} not checked (interrupted)`);
    return exitForSignal(stopped);
  }
  const line = `${states.length - bad.length} of ${states.length} outputs up to date`;
  if (bad.length) {
    // A build would fail those that cannot be built now: they need their inputs fixed first.
    const failed = bad.filter((s) => s.state === 'failed').length;
    const rebuild = bad.length - failed;
    const parts = [
      ...(rebuild ? [`${rebuild} need${rebuild === 1 ? 's' : ''} \`handout build\``] : []),
      ...(failed ? [`${failed} cannot be built until ${failed === 1 ? 'its' : 'their'} error above is fixed`] : []),
    ];
    console.error(`${line}; ${parts.join('; ')}`);
    return EXIT_FAILED;
  }
  if (!argv.quiet) console.log(line);
  return 0;
}

function listAll(argv: Record<string, unknown>): number {
  givenOnce(argv);
  const io = openProject(argv);
  // One broken file is listed as such (and fails the command); the rest of the project still is.
  let broken = false;
  const entry = <T>(read: () => T, show: (v: T) => string[]): string[] => {
    try {
      return show(read());
    } catch (e) {
      if (!isHandoutError(e)) throw e;
      broken = true;
      // As `build` says it: with the line of the field at fault.
      return [`cannot read: ${(atKeyLine(io, e) as typeof e).format()}`];
    }
  };
  console.log('Templates:');
  const templates = listTemplates(io);
  const nameWidth = Math.max(0, ...templates.map((t) => t.length));
  for (const t of templates) {
    const [line, needs] = entry(
      () => readTemplateInfo(io, t),
      (info) => [
        `${info.description}${info.pages ? ` (at most ${info.pages} page${info.pages > 1 ? 's' : ''})` : ''}`,
        ...(info.needs.length ? [`needs data: ${info.needs.join(', ')}${info.optional.length ? `; optional: ${info.optional.join(', ')}` : ''}${info.sample ? ` (sample: ${info.sample})` : ''}`] : []),
      ],
    );
    console.log(`  ${t.padEnd(nameWidth)}  ${line}`);
    if (needs) console.log(`  ${''.padEnd(nameWidth)}  ${needs}`);
  }
  console.log('\nLocales:');
  // Without a readable English (its own row says why) nothing is counted as still English.
  const english = (() => {
    try {
      return loadLocale(io, REFERENCE_LOCALE);
    } catch (e) {
      if (!isHandoutError(e)) throw e;
      return null;
    }
  })();
  // Fonts are checked against every text, as a build checks them (a project whose fonts cannot
  // be read says so in its builds; here its locales are listed all the same).
  const workspace = (() => {
    try {
      return new Workspace(io);
    } catch (e) {
      if (!isHandoutError(e)) throw e;
      return null;
    }
  })();
  printTable(
    localeFolders(io).map((code) => [
      code,
      ...entry(
        () => loadLocale(io, code),
        (l) => {
          const review = l.meta.translation.reviewedByNativeSpeaker ? 'reviewed' : l.meta.translation.source ? 'source text, not reviewed' : 'not yet reviewed by a native speaker';
          const left = english && code !== REFERENCE_LOCALE ? sameAsReference(l, english).length : 0;
          // A locale a build would refuse (a key missing, a placeholder renamed, a character no
          // font has, dates it has no names for) says so here, where a translator looks for
          // what is left to do.
          const problem = (english ? incomplete(l, english) : null) ?? (workspace ? unprintable(workspace, l) : null);
          if (problem) broken = true;
          const status = problem ?? (left ? `${review}; ${left} text${left === 1 ? '' : 's'} still in English` : review);
          return [l.meta.name, l.meta.englishName, `${l.meta.script} ${l.meta.dir}`, status];
        },
      ),
    ]),
  );
  console.log('\nBrands:');
  printTable(
    brandFolders(io).map((id) => [
      id,
      ...entry(
        () => loadBrand(io, id),
        (b) => {
          const contact = [b.contact.phone, b.contact.email, b.contact.web].filter(Boolean).join(', ');
          return [`${oneLine(b.name)}${contact ? ` — ${contact}` : ''}${b.logo ? '' : ' (no logo)'}`];
        },
      ),
    ]),
  );
  return broken ? 1 : 0;
}

/** Why a build could not print a locale: a character no font has, or dates it has no names for. */
function unprintable(ws: Workspace, locale: Locale): string | null {
  try {
    ws.locale(locale.code);
    ws.checkCoverage(locale);
  } catch (e) {
    if (!isHandoutError(e)) throw e;
    return e.message;
  }
  if (!locale.meta.dates?.months && !knowsDates(locale.code)) {
    return `a class handout's dates would be written in English: this system has no date names for "${locale.code}"; give them in locale.json's "dates"`;
  }
  return null;
}

/** Why a build would refuse a locale against the reference, or null. */
function incomplete(locale: Locale, reference: Locale): string | null {
  try {
    checkComplete(locale, locale.code === reference.code ? locale : reference);
    return null;
  } catch (e) {
    if (!isHandoutError(e)) throw e;
    return e.message;
  }
}

/**
 * Rows in columns, each as wide as its widest cell as a terminal shows it (a Han character takes
 * two columns, a combining mark none); the last cell of a row is not padded.
 */
function printTable(rows: string[][]): void {
  const widths: number[] = [];
  for (const row of rows) row.slice(0, -1).forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, stringWidth(cell))));
  for (const row of rows) console.log(`  ${row.map((cell, i) => (i < row.length - 1 ? cell + ' '.repeat(widths[i]! - stringWidth(cell)) : cell)).join('  ')}`);
}

/**
 * yargs' complaints about a misspelt word or a value it does not know, said on one line with
 * the likeliest meant: "unknown argument: biuld (did you mean build?)", "--size \"B5\": choose one of …".
 */
function inWords(text: string, parser: Argv, args: string[]): string {
  const unknown = /^Unknown arguments?: (.*)$/.exec(text)?.[1];
  if (unknown) {
    const options = (parser as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions().key;
    const words = ['build', 'check', 'list', ...Object.keys(options).filter((k) => k.length > 1)];
    // "--output" for --out: a word that begins with an option's name is too far off for `closest`.
    const near = (arg: string) => closest(arg, words) ?? words.find((w) => w.length >= 3 && arg.startsWith(w)) ?? null;
    const as = (w: string) => (['build', 'check', 'list'].includes(w) ? w : `--${w}`);
    // "-output" is read as the letters -o -u -t …, and yargs names the letters it does not know.
    const dashed = args.find((a) => /^-[a-z0-9][a-z0-9-]{2,}$/i.test(a) && near(a.slice(1)) !== null);
    if (dashed) return `unknown argument: ${dashed} (a word-long option takes two dashes: did you mean ${as(near(dashed.slice(1))!)}?)`;
    // "-len" for "-l en", as some tools take it: the value goes after a space here.
    const glued = args.find((a) => /^-[tlbdoj][^-\s]/.test(a));
    if (glued) return `unknown argument: ${glued} (an option's value goes after a space: write ${glued.slice(0, 2)} ${glued.slice(2)})`;
    const said = unknown.split(', ').map((arg) => {
      const meant = near(arg);
      return meant ? `${arg} (did you mean ${as(meant)}?)` : arg;
    });
    return `unknown ${said.length === 1 ? 'argument' : 'arguments'}: ${said.join(', ')}`;
  }
  const choice = /Argument: (\S+), Given: ("[^"]*"), Choices: (.*)$/m.exec(text);
  if (choice) return `--${choice[1]} ${choice[2]}: choose one of ${choice[3]!.replace(/"/g, '')}`;
  return text;
}

const ORIENTATIONS = ['portrait', 'landscape'];

/** A choice typed in another case ("a4", "Landscape") is the choice. */
const anyCase = (choices: readonly string[]) => (v: unknown) => choices.find((c) => c.toLowerCase() === String(v).toLowerCase()) ?? v;

/** The options that choose jobs, shared by build and check. */
function selection<T>(y: Argv<T>) {
  return y
    .option('template', { alias: 't', type: 'string', requiresArg: true, describe: 'Template(s), comma-separated' })
    .option('locale', { alias: 'l', type: 'string', requiresArg: true, describe: 'Locale(s), comma-separated, or "all"' })
    .option('brand', { alias: 'b', type: 'string', requiresArg: true, describe: 'Brand(s), comma-separated' })
    .option('data', { alias: 'd', type: 'string', requiresArg: true, describe: 'Data file (YAML or JSON) for the template' })
    .option('set', { type: 'string', array: true, describe: 'Override a data value: key.path=value (repeatable)' })
    .option('out', { alias: 'o', type: 'string', requiresArg: true, describe: 'Output folder (files go to <out>/<brand>/<locale>/<template>.pdf, or <template>-<data>.pdf with several data files); ending in .pdf, the file itself (a pattern may use {template}, {locale}, {brand}, {data})' })
    .option('size', { choices: [...PAPER], requiresArg: true, coerce: anyCase(PAPER), describe: "Paper (default: the template's, A4); with --2up, the sheet" })
    .option('orientation', { choices: ORIENTATIONS, requiresArg: true, coerce: anyCase(ORIENTATIONS), describe: 'Page orientation' })
    .option('margin', { type: 'string', requiresArg: true, describe: "Page margin, overriding the template's (15mm, 0.6in)" })
    .option('bleed', { type: 'string', requiresArg: true, describe: 'Bleed past the trim for a print shop (3mm); sets TrimBox and BleedBox' })
    .option('crop-marks', { type: 'boolean', describe: 'Draw crop marks outside the trim' })
    .option('2up', { type: 'boolean', describe: 'Two copies of a half-size page (A5 on A4, half-letter on Letter) per sheet, with a cut line' })
    .option('grayscale', { type: 'boolean', describe: 'Ink saver: colours and images in greys' })
    .option('pdfa', { type: 'boolean', describe: 'Write PDF/A-2b (archival)' })
    .option('shard', { type: 'string', requiresArg: true, describe: 'Only shard i of n (like 2/4): a stable split of the jobs for CI' });
}

export async function main(args: string[]): Promise<number> {
  let code = 0;
  const parser = yargs(args)
    .scriptName('handout')
    .usage('$0 <command> [options]\n\nBranded, multi-language PDF flyers and class handouts.')
    .option('root', { type: 'string', requiresArg: true, default: '.', describe: 'Project folder (templates/, locales/, brands/, fonts/); paths given to --data, --out and --json are from it' })
    .command(
      'build',
      'Build PDFs: every job of handout.config.yaml, narrowed by the options',
      (y) =>
        selection(y)
          .option('force', { alias: 'f', type: 'boolean', describe: 'Rebuild even outputs that are up to date' })
          .option('jobs', { alias: 'j', type: 'string', requiresArg: true, describe: 'Threads at most (default: one per 1.6 cores, one on two; helpers start when the work pays for them)' })
          .option('json', { type: 'string', requiresArg: true, describe: 'Write a report with one record per job to this file' })
          .option('verbose', { alias: 'v', type: 'boolean', describe: 'Also list outputs that were up to date' })
          .option('quiet', { alias: 'q', type: 'boolean', describe: 'Print only failures, warnings and the summary', conflicts: 'verbose' })
          .example('$0 build', 'Build everything the config lists into output/ (up-to-date outputs are skipped)')
          .example('$0 build -t flyer -l es,fr -b default', 'The Spanish and French flyers of the default brand')
          .example('$0 build -t class-handout -l en -b default -d class.yaml -o class.pdf  # your next class', '')
          .example('$0 build -l all --size Letter --out print/', 'Every locale on US Letter into print/')
          .example('$0 build --shard 2/4 --json report.json', 'The second of four CI shards, with a JSON report')
          .example('$0 build -t class-handout --2up', 'A5 handouts, two per A4 sheet, for the office printer')
          .example('$0 build -t flyer --bleed 3mm --crop-marks', 'For a print shop'),
      async (argv) => {
        code = await build(argv as Record<string, unknown>);
      },
    )
    .command(
      'check',
      'Build nothing; exit 1 listing every output that is missing, out of date or edited by hand',
      (y) =>
        selection(y)
          .option('json', { type: 'string', requiresArg: true, describe: 'Write a report with one record per output (its state and why) to this file' })
          .option('verbose', { alias: 'v', type: 'boolean', describe: 'Also list outputs that are up to date' })
          .option('quiet', { alias: 'q', type: 'boolean', describe: 'Print nothing when every output is up to date', conflicts: 'verbose' })
          .example('$0 check', 'In CI: fail when a committed PDF no longer matches its inputs')
          .example('$0 check -q --json check.json', 'The same, silent when all is well, with a report for the CI job'),
      async (argv) => {
        code = await check(argv as Record<string, unknown>);
      },
    )
    .command(
      'list',
      'List templates (and the data they need), locales and brands',
      (y) => y.example('$0 list', 'Show what can be built'),
      (argv) => {
        code = listAll(argv as Record<string, unknown>);
      },
    )
    .example('$0 build', 'Build every flyer and handout the project lists into output/')
    .example('$0 check', 'In CI: exit 1 when an output is missing or out of date')
    .example('$0 list', 'What can be built: templates, locales, brands')
    .demandCommand(1, 'Name a command: build, check or list')
    .strict()
    .version(TOOL_VERSION)
    .help()
    .alias('h', 'help')
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((msg, err) => {
      // yargs' own complaints (an option given without its value) are usage errors too.
      if (err && err.name !== 'YError') throw err;
      const text = msg || err?.message || 'invalid command line';
      const bare = /^Not enough arguments following: (\S+)$/.exec(text)?.[1];
      throw new UsageError(bare ? `${bare.length === 1 ? '-' : '--'}${bare} needs a value` : inWords(text, parser, args));
    });
  // yargs lays out the whole help text before running a command, in case the command fails
  // later and help must be shown (~45 ms of a cold start). Our failures print one line and
  // a pointer to --help, never the help itself.
  const usage = (parser as unknown as { getInternalMethods(): { getUsageInstance(): { cacheHelpMessage(): void } } }).getInternalMethods().getUsageInstance();
  usage.cacheHelpMessage = () => {};
  try {
    await parser.parseAsync();
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`handout: ${e.message}\nRun "handout --help" for usage.`);
      return EXIT_USAGE;
    }
    console.error(`handout: ${describeError(e)}`);
    // A bad project config stops the run before any job, as a wrong option does (a job's own
    // failures are caught with the job and give EXIT_FAILED).
    return isHandoutError(e) && (e.code === 'usage' || e.code === 'invalid-config' || e.code.startsWith('unknown-')) ? EXIT_USAGE : EXIT_FAILED;
  }
  return code;
}


// The bundle holds the worker too: inside a pool's worker thread the CLI does not run.
if (isMainThread) {
  main(hideBin(process.argv)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error(`handout: ${describeError(e)}`);
      process.exitCode = EXIT_FAILED;
    },
  );
}
