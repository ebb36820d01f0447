/**
 * When helper threads pay for themselves. A helper first spends about half a second loading
 * the bundle, fonts and templates and laying out its locales' texts for the first time, and
 * it slows the main thread meanwhile. Nor do two builders give two threads' worth: V8
 * compiles and collects garbage on background threads, so one building thread alone keeps
 * about 1.6 cores busy, and on a 2-core machine two builders run at ~60% speed each (see
 * bench/README.md; the CLI's default --jobs therefore gives one thread per 1.6 cores). So
 * helpers start by how much work is left, never by a count of jobs: the
 * main thread times its own first documents, then starts one helper per HELPER_WORK_MS of
 * work it estimates it has left.
 */

/**
 * Cores one building thread keeps busy: V8 compiles its hot code and collects its garbage on
 * threads of its own (bench/README.md: 10.7 ms of CPU in 6.6 ms a document).
 */
const CORES_PER_BUILDER = 1.6;

/** The threads a build uses at most when --jobs does not say: as many as the cores keep busy. */
export function defaultThreads(cores: number): number {
  return Math.max(1, Math.floor(cores / CORES_PER_BUILDER));
}

/** Building time the main thread measures before it decides. */
export const PROBE_MS = 300;

/**
 * Estimated work left on one thread that justifies one helper. Tests set
 * HANDOUT_HELPER_WORK_MS=0 to start every helper at once, before any document.
 */
export const HELPER_WORK_MS = workMs(process.env.HANDOUT_HELPER_WORK_MS);

function workMs(setting: string | undefined): number {
  const ms = setting === undefined || setting.trim() === '' ? NaN : Number(setting);
  return Number.isFinite(ms) && ms >= 0 ? ms : 3000;
}

/**
 * The decision, made once per run: before any document when HELPER_WORK_MS is 0, else after
 * the main thread has timed PROBE_MS of its own documents (its first not counted, as it pays
 * for fonts and cold code). Each method returns how many helpers to start now.
 */
export class HelperPlan {
  private probe: { since: number; docs: number } | null = null;
  private decided: boolean;

  constructor(
    private readonly max: number,
    private readonly workMs = HELPER_WORK_MS,
  ) {
    this.decided = max <= 0;
  }

  atStart(left: number): number {
    if (this.decided || this.workMs > 0) return 0;
    this.decided = true;
    return helpersFor(this.max, left, 0, this.workMs);
  }

  /** After each document the main thread builds, with the jobs nobody has taken yet. */
  afterDocument(left: number, now = performance.now()): number {
    if (this.decided) return 0;
    if (!this.probe) {
      this.probe = { since: now, docs: 0 };
      return 0;
    }
    this.probe.docs++;
    if (now - this.probe.since < PROBE_MS) return 0;
    this.decided = true;
    return helpersFor(this.max, left, (now - this.probe.since) / this.probe.docs, this.workMs);
  }
}

/** Helpers to start for `left` jobs at `msPerDoc` each, at most `max`. */
export function helpersFor(max: number, left: number, msPerDoc: number, workMs = HELPER_WORK_MS): number {
  if (workMs <= 0) return Math.max(0, Math.min(max, left));
  return Math.max(0, Math.min(max, Math.floor((left * msPerDoc) / workMs)));
}
