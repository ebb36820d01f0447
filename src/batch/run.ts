import type { Io } from '../io/io.js';
import { describeError, isHandoutError } from '../model/diagnostic.js';
import { buildDate, type Job, Workspace } from './workspace.js';

export interface JobResult {
  job: Job;
  status: 'built' | 'failed';
  pages: number;
  /** Fit factor the layout needed (1 = as designed). */
  scale: number;
  bytes: number;
  ms: number;
  error?: string;
}

export interface RunSummary {
  results: JobResult[];
  built: number;
  failed: number;
  ms: number;
}

/**
 * Builds every job in one process. A failing job is recorded and the others go on; an output
 * is replaced only by a complete new file (written beside it, then renamed), so a failure
 * never leaves a half-written or broken PDF where a good one was.
 */
export async function runJobs(io: Io, jobs: Job[], onResult: (r: JobResult) => void = () => {}): Promise<RunSummary> {
  const start = performance.now();
  const date = buildDate();
  let ws: Workspace | null = null;
  const results: JobResult[] = [];
  for (const job of jobs) {
    const t0 = performance.now();
    let result: JobResult;
    try {
      ws ??= new Workspace(io);
      const doc = await ws.build(job, date);
      io.writeAtomic(job.output, doc.pdf);
      result = { job, status: 'built', pages: doc.layout.pages.length, scale: doc.layout.fit.scale, bytes: doc.pdf.length, ms: performance.now() - t0 };
    } catch (e) {
      if (!isHandoutError(e) && process.env.HANDOUT_DEBUG) console.error(e);
      result = { job, status: 'failed', pages: 0, scale: 1, bytes: 0, ms: performance.now() - t0, error: describeError(e) };
    }
    results.push(result);
    onResult(result);
  }
  const failed = results.filter((r) => r.status === 'failed').length;
  return { results, built: results.length - failed, failed, ms: performance.now() - start };
}
