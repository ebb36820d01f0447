import { type CheckedOutput, fitWarning, type JobResult, type RunSummary } from '../batch/run.js';
import { type Job, TOOL_BUILD, TOOL_VERSION } from '../batch/workspace.js';
import type { Io } from '../io/io.js';

export interface Printer {
  result(r: JobResult): void;
  summary(s: RunSummary, total: number): void;
}

/** Colour for a stream that is a terminal: failures go to stderr, which CI logs often catch apart from stdout. */
const useColor = (stream: NodeJS.WriteStream) => !process.env.NO_COLOR && Boolean(stream.isTTY);
const paint = (code: number, stream: NodeJS.WriteStream) => (s: string) => (useColor(stream) ? `\x1b[${code}m${s}\x1b[0m` : s);
/** For lines written to stderr. */
export const red = paint(31, process.stderr);
const yellow = paint(33, process.stderr);
const green = paint(32, process.stdout);
const dim = paint(2, process.stdout);

/**
 * Plain lines in CI and pipes (one per built or failed job); on a terminal a progress bar on
 * stderr instead of a line per job. `quiet` keeps only the summary with its list of failures,
 * `verbose` adds skipped jobs. An error is printed on the line of the first job it fails (later
 * ones say "the same error as …"), and in the summary's list, grouped by error, when several
 * jobs fail or when quiet keeps the job lines back.
 */
export function createPrinter(total: number, mode: { quiet: boolean; verbose: boolean }): Printer {
  const tty = Boolean(process.stderr.isTTY) && !mode.quiet && !mode.verbose;
  let done = 0;
  /** Each error's first failed output: a broken brand fails all its jobs with one message. */
  const firstWith = new Map<string, string>();
  const bar = () => {
    const width = 28;
    const filled = Math.round((done / Math.max(1, total)) * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`);
  };
  return {
    result(r) {
      // A job not started (interrupted) is not done: the bar had run on to the end after Ctrl-C.
      if (r.status === 'interrupted') return;
      done++;
      if (r.status === 'failed') {
        // Quiet: the summary's list says it, once.
        if (mode.quiet) return;
        if (tty) process.stderr.write('\r\x1b[K');
        const first = firstWith.get(r.error ?? '');
        if (first) console.error(`${red('failed')} ${r.job.output}: the same error as ${first}`);
        else {
          firstWith.set(r.error ?? '', r.job.output);
          console.error(`${red('failed')} ${r.job.output}\n  ${r.error}`);
        }
      } else if (r.status === 'built' && !mode.quiet && !tty) {
        const fitted = r.scale < 1 ? `, fitted to ${Math.round(r.scale * 100)}%` : r.scale > 1 ? `, type grown to ${Math.round(r.scale * 100)}%` : '';
        // Its inputs changed and its bytes did not: the file was left as it was.
        const same = r.unchanged ? '; the same bytes as before, file left as it was' : '';
        console.log(`${green('built')}   ${r.job.output} (${r.pages} page${r.pages === 1 ? '' : 's'}${fitted}, ${Math.round(r.bytes / 1024)} KB, ${Math.round(r.ms)} ms${same})`);
      } else if (r.status === 'skipped' && mode.verbose) {
        console.log(`${dim('skipped')} ${r.job.output} (up to date)`);
      }
      if (tty) bar();
    },
    summary(s, jobs) {
      if (tty) process.stderr.write('\r\x1b[K');
      // Built again (an input changed) to the bytes the output had: the file was left alone.
      const same = s.unchanged === 0 ? '' : s.unchanged < s.built ? ` (${s.unchanged} of them to the same bytes as before)` : s.built === 1 ? ' (to the same bytes as before)' : ' (all to the same bytes as before)';
      const parts = [`${s.built} built${same}`, `${s.skipped} up to date`, `${s.failed} failed`];
      if (s.interrupted) parts.push(`${s.interrupted} not started (interrupted)`);
      const line = `${parts.join(', ')} — ${jobs} job${jobs === 1 ? '' : 's'} in ${(s.ms / 1000).toFixed(1)} s`;
      if (s.failed > 0 || s.interrupted > 0) {
        console.error(`\n${red(line)}`);
        // One broken input (a brand, a locale) fails many jobs with the same message: say it once.
        const byError = new Map<string, string[]>();
        for (const r of s.results) if (r.status === 'failed') byError.set(r.error ?? '', [...(byError.get(r.error ?? '') ?? []), r.job.output]);
        // A single failure was just said on its job's line, unless quiet kept it for here.
        if (byError.size && (mode.quiet || s.failed > 1)) {
          const lines = [...byError].map(([error, outputs]) =>
            outputs.length === 1 ? `  ${error.startsWith(`${outputs[0]}: `) ? '' : `${outputs[0]}: `}${error}` : `  ${error}\n    in ${outputs.length} jobs: ${outputs.slice(0, 3).join(', ')}${outputs.length > 3 ? ', …' : ''}`,
          );
          console.error(`Failures:\n${lines.join('\n')}`);
        }
      } else console.log(line);
      // A locale's warning comes with each of its jobs: it is said once.
      const warnings = new Set(s.results.flatMap((r) => r.warnings.filter((w) => w !== fitWarning(r.scale))));
      for (const w of warnings) console.error(`${yellow('warning')} ${w}`);
    },
  };
}

/** What a report says of the tool, and of each job: what it reads and where it writes. */
const TOOL = { tool: 'handout', version: TOOL_VERSION, build: TOOL_BUILD };
const jobFields = (job: Job) => ({ template: job.template, locale: job.locale, brand: job.brand, data: job.data, output: job.output });

/** The `--json` report: one record per job, for CI dashboards and scripts. */
export function writeJsonReport(io: Io, file: string, s: RunSummary): void {
  const report = {
    ...TOOL,
    summary: { built: s.built, unchanged: s.unchanged, skipped: s.skipped, failed: s.failed, interrupted: s.interrupted, jobs: s.results.length, threads: s.threads, ms: Math.round(s.ms) },
    jobs: s.results.map((r) => ({
      ...jobFields(r.job),
      status: r.status,
      // A job not built in this run (up to date, failed, interrupted) wrote nothing to count.
      pages: r.status === 'built' ? r.pages : null,
      bytes: r.status === 'built' ? r.bytes : null,
      // Built to the bytes the output already had (the file was not written).
      unchanged: r.status === 'built' ? r.unchanged : null,
      ms: Math.round(r.ms),
      // Not known for a job this run did not build (up to date, interrupted): not "none".
      warnings: r.status === 'skipped' || r.status === 'interrupted' ? null : r.warnings,
      error: r.error ?? null,
    })),
  };
  io.writeAtomic(file, `${JSON.stringify(report, null, 2)}\n`);
}

/** `check --json`: one record per output, its state and why, for CI to act on. */
export function writeCheckReport(io: Io, file: string, states: CheckedOutput[]): void {
  const count = (state: CheckedOutput['state']) => states.filter((c) => c.state === state).length;
  const report = {
    ...TOOL,
    summary: { outputs: states.length, fresh: count('fresh'), missing: count('missing'), stale: count('stale'), edited: count('edited'), failed: count('failed'), unchecked: count('unchecked') },
    outputs: states.map((c) => ({ ...jobFields(c.job), state: c.state, changed: c.changed, builtFrom: c.swapped?.builtFrom ?? null, error: c.error ?? null })),
  };
  io.writeAtomic(file, `${JSON.stringify(report, null, 2)}\n`);
}
