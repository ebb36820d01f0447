import type { Io } from '../io/io.js';
import { describeError } from '../model/diagnostic.js';
import { hashBytes } from './fingerprint.js';
import type { BuiltDocument, Job, Workspace } from './workspace.js';

/** What building one job produced, as it crosses from a worker to the main thread. */
export interface BuildOutcome {
  ok: boolean;
  pages: number;
  scale: number;
  bytes: number;
  pdfHash: string;
  files: string[];
  ms: number;
  /** Besides a fit below full size, which `scale` tells. */
  warnings: string[];
  error?: string;
}

/**
 * A job built in memory, not yet written, and how long building took: writing overlaps the
 * next job, so the time a job reports is its building alone.
 */
export type Rendered = { ms: number; doc: BuiltDocument } | { ms: number; error: unknown };

/** Builds a job's PDF in memory; never throws (a failure is part of the result). */
export async function renderJob(ws: Workspace, job: Job, date: Date): Promise<Rendered> {
  const t0 = performance.now();
  try {
    const doc = await ws.build(job, date);
    return { ms: performance.now() - t0, doc };
  } catch (error) {
    return { ms: performance.now() - t0, error };
  }
}

/**
 * Writes a built job's PDF atomically and tells how the job went; never rejects. The write
 * runs on the I/O threads, so a caller that does not wait for it can build the next job.
 */
export async function writeJob(io: Io, job: Job, r: Rendered): Promise<BuildOutcome> {
  try {
    if ('error' in r) throw r.error;
    await io.writeAtomicAsync(job.output, r.doc.pdf);
    const { pdf, layout, files, warnings } = r.doc;
    return { ok: true, pages: layout.pages.length, scale: layout.fit.scale, bytes: pdf.length, pdfHash: hashBytes(pdf), files, ms: r.ms, warnings };
  } catch (e) {
    if (process.env.HANDOUT_DEBUG && e instanceof Error) console.error(e.stack);
    return { ok: false, pages: 0, scale: 1, bytes: 0, pdfHash: '', files: [], ms: r.ms, warnings: [], error: describeError(e) };
  }
}

/** Builds a job and writes its PDF atomically; never throws. */
export async function buildOne(ws: Workspace, io: Io, job: Job, date: Date): Promise<BuildOutcome> {
  return writeJob(io, job, await renderJob(ws, job, date));
}
