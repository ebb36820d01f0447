import type { Job } from './workspace.js';

/**
 * The jobs to build, in plan order (which keeps each template and locale together), split into
 * one contiguous share per thread. A thread builds its own share front to back, so it lays out
 * each locale's texts and loads its fonts for few locales, not for all of them; a thread whose
 * share is done takes from the back of the largest share left.
 */
export class JobQueue {
  private readonly shares: { next: number; end: number }[];

  constructor(
    private readonly jobs: Job[],
    threads: number,
  ) {
    const n = Math.max(1, threads);
    this.shares = Array.from({ length: n }, (_, i) => ({ next: Math.floor((i * jobs.length) / n), end: Math.floor(((i + 1) * jobs.length) / n) }));
  }

  /** The next job for a thread (0 is the main thread), or undefined when none is left. */
  take(thread: number): Job | undefined {
    const own = this.shares[thread % this.shares.length]!;
    if (own.next < own.end) return this.jobs[own.next++];
    let largest = own;
    for (const s of this.shares) if (s.end - s.next > largest.end - largest.next) largest = s;
    return largest.next < largest.end ? this.jobs[--largest.end] : undefined;
  }

  /** The jobs nobody took (an interrupted run reports them). */
  remaining(): Job[] {
    return this.shares.flatMap((s) => this.jobs.slice(s.next, s.end));
  }
}
