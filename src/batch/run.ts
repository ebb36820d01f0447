import type { Io } from '../io/io.js';
import { describeError } from '../model/diagnostic.js';
import { type BuildOutcome, renderJob, writeJob } from './build-one.js';
import { MEMORY_DIR } from './disk-memory.js';
import { useTextMemory } from './text-memory.js';
import { BuildCache, CACHE_DIR, type Freshness } from './cache.js';
import { HelperPlan } from './helper-plan.js';
import { WorkerPool } from './pool.js';
import { JobQueue } from './queue.js';
import { buildDate, type Job, Workspace } from './workspace.js';

/** Documents built ahead of their writes (each holds its PDF in memory meanwhile). */
const MAX_PENDING_WRITES = 16;

export type JobStatus = 'built' | 'skipped' | 'failed' | 'interrupted';

export interface JobResult {
  job: Job;
  status: JobStatus;
  pages: number;
  /** Fit factor the layout needed (1 = as designed). */
  scale: number;
  bytes: number;
  /** Built to the bytes its output already had, which was left as it was. */
  unchanged: boolean;
  ms: number;
  warnings: string[];
  error?: string;
}

export interface RunSummary {
  results: JobResult[];
  built: number;
  /** Of those built, the ones whose output already had those bytes. */
  unchanged: number;
  skipped: number;
  failed: number;
  interrupted: number;
  /** Threads that built: this one and the helpers it started. */
  threads: number;
  ms: number;
}

export interface RunOptions {
  /** Rebuild even when the output is up to date. */
  force?: boolean;
  /** Threads at most: this one, plus helper threads when the work left pays for them (see helper-plan). */
  workers?: number;
  onResult?: (r: JobResult) => void;
  /** Polled between jobs: true stops starting new ones (Ctrl-C). */
  stopped?: () => boolean;
}

/** The warning of a job fitted below full size (the printer shows it on the job's own line). */
export const fitWarning = (scale: number): string => `fitted to ${Math.round(scale * 100)}% type size`;

function result(job: Job, status: JobStatus, o?: BuildOutcome): JobResult {
  const warnings = o && o.ok ? [...(o.scale < 1 ? [fitWarning(o.scale)] : []), ...o.warnings] : [];
  return { job, status, pages: o?.pages ?? 0, scale: o?.scale ?? 1, bytes: o?.bytes ?? 0, unchanged: status === 'built' && (o?.unchanged ?? false), ms: o?.ms ?? 0, warnings, error: o?.error };
}

/**
 * A run that was killed (not interrupted) can leave a temporary file beside an output or a
 * cache entry; the output itself is whole. The next run removes such leftovers of processes
 * that are gone; `own` also removes this process's, for a run that quits at once (a second
 * Ctrl-C) with documents half written.
 */
export function sweepTemporaries(io: Io, jobs: Job[], own = false): void {
  const dirs = new Set([`${CACHE_DIR}/`, `${MEMORY_DIR}/`, ...jobs.map((j) => j.output.slice(0, j.output.lastIndexOf('/') + 1))]);
  for (const dir of dirs) {
    for (const name of io.list(dir)) {
      const m = /\.(\d+)\.\d+\.tmp$/.exec(name);
      if (!m) continue;
      const pid = Number(m[1]);
      if (pid === process.pid ? !own : processAlive(pid)) continue;
      io.remove(`${dir}${name}`);
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds the jobs that are not up to date, in this thread or on a worker pool. A failing job
 * is recorded and the others go on; each output is replaced only by a complete new file, and
 * its cache entry is written right after it, so an interrupted run stays consistent.
 */
export async function runJobs(io: Io, jobs: Job[], opts: RunOptions = {}): Promise<RunSummary> {
  const start = performance.now();
  sweepTemporaries(io, jobs);
  const date = buildDate();
  const cache = new BuildCache(io, date);
  const results: JobResult[] = [];
  const emit = (r: JobResult) => {
    results.push(r);
    opts.onResult?.(r);
  };
  const todo: Job[] = [];
  for (const job of jobs) {
    if (!opts.force && cache.freshness(job) === 'fresh') emit(result(job, 'skipped'));
    else todo.push(job);
  }
  // Outputs and cache entries are written by the I/O threads while this one builds on; a job
  // counts as built once its cache entry is written, right after its PDF.
  const writes = new Set<Promise<void>>();
  const background = (p: Promise<void>) => {
    writes.add(p);
    void p.finally(() => writes.delete(p));
  };
  const finish = (job: Job, o: BuildOutcome) => {
    if (!o.ok) emit(result(job, 'failed', o));
    else background(cache.write(job, o.pdfHash, o.files).then(() => emit(result(job, 'built', o)), (e) => emit(result(job, 'failed', { ...o, ok: false, error: describeError(e) }))));
  };
  // One queue, pulled by this thread (0) and by the helper threads (1…) once they join.
  const queue = new JobQueue(todo, 1);
  const take = (thread: number) => (opts.stopped?.() ? undefined : queue.take(thread));
  const helpers = { pool: null as WorkerPool | null, done: Promise.resolve() };
  const startHelpers = (n: number) => {
    if (n <= 0) return;
    queue.split(n + 1);
    helpers.pool = new WorkerPool(n, io.root, date, take, finish);
    helpers.done = helpers.pool.run();
  };
  const plan = new HelperPlan(Math.max(0, (opts.workers ?? 1) - 1));
  startHelpers(plan.atStart(queue.size));
  const memory = useTextMemory(io, true);
  try {
    let ws: Workspace | null = null;
    for (let job = take(0); job; job = take(0)) {
      ws ??= new Workspace(io);
      const built = await renderJob(ws, job, date);
      background(writeJob(io, job, built).then((o) => finish(job, o)));
      startHelpers(plan.afterDocument(queue.size));
      // A PDF waiting to be written holds its bytes: at most a few wait.
      while (writes.size > MAX_PENDING_WRITES) await Promise.race(writes);
      // Building resolves through microtasks only; yield to the event loop so worker
      // messages and a Ctrl-C (a signal) are seen between documents.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await helpers.done;
    while (writes.size > 0) await Promise.all(writes);
  } finally {
    await helpers.pool?.close();
    memory.done();
  }
  for (const job of queue.remaining()) emit(result(job, 'interrupted'));
  // Jobs finish in any order (threads, writes); reports list them as planned.
  const order = new Map(jobs.map((j, i) => [j, i]));
  results.sort((a, b) => order.get(a.job)! - order.get(b.job)!);
  const count = (s: JobStatus) => results.filter((r) => r.status === s).length;
  return { results, built: count('built'), unchanged: results.filter((r) => r.unchanged).length, skipped: count('skipped'), failed: count('failed'), interrupted: count('interrupted'), threads: 1 + (helpers.pool?.size ?? 0), ms: performance.now() - start };
}

export interface CheckedOutput {
  job: Job;
  /** `failed`: an output that is not up to date and whose job fails to build now; `unchecked`: the check was stopped first. */
  state: Exclude<Freshness, 'unrecorded'> | 'failed' | 'unchecked';
  /** Of a stale output: the inputs that changed since its record (empty when no record tells). */
  changed: string[];
  /** Inputs the job reads that the output was not built from, and what it was built from instead. */
  swapped?: { reads: string[]; builtFrom: string[] };
  error?: string;
}

/**
 * For `handout check`: each job's output against what its inputs make now, writing nothing.
 * An output its record does not show as up to date is built again in memory and compared
 * (the same inputs give the same bytes): committed PDFs in a fresh clone have no record, a
 * cache restored from another commit describes other files, and an input can change without
 * changing the document.
 */
export async function checkJobs(io: Io, jobs: Job[], stopped: () => boolean = () => false): Promise<CheckedOutput[]> {
  const date = buildDate();
  const cache = new BuildCache(io, date);
  const memory = useTextMemory(io, false);
  let ws: Workspace | null = null;
  const checked: CheckedOutput[] = [];
  try {
    for (const job of jobs) {
      // Building in memory never waits for the event loop: a Ctrl-C is heard between jobs.
      await new Promise((resolve) => setImmediate(resolve));
      if (stopped()) {
        checked.push({ job, state: 'unchecked', changed: [] });
        continue;
      }
      const state = cache.freshness(job);
      if (state !== 'stale' && state !== 'unrecorded') {
        checked.push({ job, state, changed: [] });
        continue;
      }
      const r = await renderJob((ws ??= new Workspace(io)), job, date);
      if ('error' in r) checked.push({ job, state: 'failed', changed: [], error: describeError(r.error) });
      else if (Buffer.compare(r.doc.pdf, io.readBytes(job.output)) === 0) checked.push({ job, state: 'fresh', changed: [] });
      else if (state !== 'stale') checked.push({ job, state: 'stale', changed: [] });
      else {
        const { changed, added, former } = cache.changedInputs(job);
        // Built from another input than the job reads: that one did not change, it was swapped.
        if (former.length > 0) checked.push({ job, state: 'stale', changed: changed.filter((n) => !added.includes(n)), swapped: { reads: added, builtFrom: former } });
        else checked.push({ job, state: 'stale', changed });
      }
    }
  } finally {
    memory.done();
  }
  return checked;
}
