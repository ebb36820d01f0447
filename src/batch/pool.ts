import { Worker } from 'node:worker_threads';
import type { BuildOutcome } from './build-one.js';
import type { Job } from './workspace.js';

const WORKER = new URL('./worker.js', import.meta.url);

interface Slot {
  worker: Worker;
  busy: { id: number; job: Job; resolve: (o: BuildOutcome | null) => void } | null;
}

/**
 * worker_threads, one per core by default, each loading fonts and templates once. A worker
 * that dies fails only the job it was building and is replaced.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: { job: Job; resolve: (o: BuildOutcome | null) => void }[] = [];
  private nextId = 0;
  private closed = false;

  constructor(private readonly size: number, private readonly root: string, private readonly date: Date) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(WORKER, { workerData: { root: this.root } }), busy: null };
    slot.worker.on('message', (msg: { id: number; outcome: BuildOutcome }) => {
      const busy = slot.busy;
      if (!busy || busy.id !== msg.id) return;
      slot.busy = null;
      busy.resolve(msg.outcome);
      this.pump();
    });
    const crash = (why: string) => {
      const busy = slot.busy;
      slot.busy = null;
      if (busy) busy.resolve({ ok: false, pages: 0, scale: 1, bytes: 0, pdfHash: '', fonts: [], ms: 0, error: `worker crashed: ${why}` });
      if (!this.closed) {
        const i = this.slots.indexOf(slot);
        if (i >= 0) this.slots[i] = this.spawn();
        this.pump();
      }
    };
    slot.worker.on('error', (e) => crash(e.message));
    slot.worker.on('exit', (code) => {
      if (!this.closed || slot.busy) crash(`exit code ${code}`);
    });
    return slot;
  }

  /** The job's outcome, or null when it was cancelled before it started. */
  run(job: Job): Promise<BuildOutcome | null> {
    return new Promise((resolve) => {
      this.waiting.push({ job, resolve });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy || this.waiting.length === 0) continue;
      const next = this.waiting.shift()!;
      const id = this.nextId++;
      slot.busy = { id, job: next.job, resolve: next.resolve };
      slot.worker.postMessage({ id, job: next.job, date: this.date.getTime() });
    }
  }

  /** Jobs not yet started are dropped (interrupted runs); their run() resolves to null. */
  cancelWaiting(): void {
    for (const w of this.waiting.splice(0)) w.resolve(null);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
