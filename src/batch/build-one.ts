import type { Io } from '../io/io.js';
import { describeError } from '../model/diagnostic.js';
import { hashBytes } from './fingerprint.js';
import type { Job, Workspace } from './workspace.js';

/** What building one job produced, as it crosses from a worker to the main thread. */
export interface BuildOutcome {
  ok: boolean;
  pages: number;
  scale: number;
  bytes: number;
  pdfHash: string;
  fonts: string[];
  ms: number;
  error?: string;
}

/** Builds a job and writes its PDF atomically; never throws. */
export async function buildOne(ws: Workspace, io: Io, job: Job, date: Date): Promise<BuildOutcome> {
  const t0 = performance.now();
  try {
    const doc = await ws.build(job, date);
    io.writeAtomic(job.output, doc.pdf);
    return { ok: true, pages: doc.layout.pages.length, scale: doc.layout.fit.scale, bytes: doc.pdf.length, pdfHash: hashBytes(doc.pdf), fonts: doc.fonts, ms: performance.now() - t0 };
  } catch (e) {
    if (process.env.HANDOUT_DEBUG && e instanceof Error) console.error(e.stack);
    return { ok: false, pages: 0, scale: 1, bytes: 0, pdfHash: '', fonts: [], ms: performance.now() - t0, error: describeError(e) };
  }
}
