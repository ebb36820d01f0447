import type { Job } from './workspace.js';

/**
 * The jobs to build, in plan order (which keeps each template and locale together), split into
 * one contiguous share per thread. A thread builds its own share front to back, so it lays out
 * each locale's texts and loads its fonts for few locales, not for all of them; a thread whose
 * share is done takes from the back of the largest share left.
 */
export class JobQueue {
  private shares: { next: number; end: number }[];

  constructor(
    private readonly jobs: Job[],
    threads: number,
  ) {
    this.shares = divide(0, jobs.length, threads);
  }

  /**
   * For helper threads that join a queue the main thread has worked alone: what is left is
   * divided into one contiguous share per thread, the main thread keeping the front.
   */
  split(threads: number): void {
    if (this.shares.length !== 1) throw new Error('internal: helpers join a queue only once');
    const own = this.shares[0]!;
    this.shares = divide(own.next, own.end, threads);
  }

  /** How many jobs nobody has taken yet. */
  get size(): number {
    return this.shares.reduce((n, s) => n + s.end - s.next, 0);
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

/** [start, end) in `n` contiguous shares of nearly equal length. */
function divide(start: number, end: number, n: number): { next: number; end: number }[] {
  const count = Math.max(1, n);
  const len = end - start;
  return Array.from({ length: count }, (_, i) => ({ next: start + Math.floor((i * len) / count), end: start + Math.floor(((i + 1) * len) / count) }));
}
