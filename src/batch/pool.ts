import { Worker } from 'node:worker_threads';
import { type BuildOutcome, failedOutcome } from './build-one.js';
import type { Job } from './workspace.js';

/** Set by bin/load-bundle.cjs: workers start through it, to share the bundle and its code cache. */
declare const __handout_loader: string | undefined;
const WORKER = typeof __handout_loader === 'string' ? __handout_loader : new URL('./worker.js', import.meta.url);
/** Jobs handed to a worker ahead of time, so it never waits for a busy main thread. */
const PREFETCH = 2;

interface Slot {
  /** Which share of the queue the helper takes from (1…; 0 is the main thread). */
  thread: number;
  worker: Worker;
  inFlight: Map<number, Job>;
}

/**
 * Helper threads that pull jobs from the same queue as the main thread, each loading fonts
 * and templates once. A pool never slows a run down: while a worker warms up, the main thread
 * is already building. A worker that dies fails only the jobs it held and is replaced.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private spawned = 0;
  private closed = false;

  constructor(
    /** Helper threads (a crashed one is replaced, so there are always this many). */
    readonly size: number,
    private readonly root: string,
    private readonly date: Date,
    /** The shared queue: the next job for a thread to build, or undefined when there is none. */
    private readonly take: (thread: number) => Job | undefined,
    private readonly done: (job: Job, outcome: BuildOutcome) => void,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn(i + 1));
  }

  private spawn(thread: number): Slot {
    const slot: Slot = { thread, worker: new Worker(WORKER, { workerData: { root: this.root, generation: this.spawned++ } }), inFlight: new Map() };
    slot.worker.on('message', (msg: { id: number; outcome: BuildOutcome }) => {
      const job = slot.inFlight.get(msg.id);
      if (!job) return;
      slot.inFlight.delete(msg.id);
      this.done(job, msg.outcome);
      this.feed(slot);
      this.settle();
    });
    const crash = (why: string) => {
      for (const job of slot.inFlight.values()) this.done(job, failedOutcome(`worker crashed: ${why}`));
      slot.inFlight.clear();
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      if (!this.closed) {
        const fresh = this.spawn(slot.thread);
        this.slots.push(fresh);
        this.feed(fresh);
      }
      this.settle();
    };
    slot.worker.on('error', (e) => crash(e.message));
    slot.worker.on('exit', (code) => {
      if (!this.closed) crash(`exit code ${code}`);
    });
    return slot;
  }

  private feed(slot: Slot): void {
    while (slot.inFlight.size < PREFETCH) {
      const job = this.take(slot.thread);
      if (!job) return;
      const id = this.nextId++;
      slot.inFlight.set(id, job);
      slot.worker.postMessage({ id, job, date: this.date.getTime() });
    }
  }

  private waiters: (() => void)[] = [];

  private settle(): void {
    if (this.slots.every((s) => s.inFlight.size === 0)) for (const w of this.waiters.splice(0)) w();
  }

  /** Starts feeding the workers; resolves when the queue is empty and no worker holds a job. */
  run(): Promise<void> {
    for (const slot of this.slots) this.feed(slot);
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.settle();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
