#!/usr/bin/env node
// The 200 Latin flyers on N threads of a fresh process, measured as the Typst row is: each
// thread builds its first document untimed (as typst-flyer.js warms its compiler), then all
// start together on a contiguous share of the jobs (as the CLI's queue splits them, so each
// thread lays out few locales' texts); no planning or writing. Prints the wall time from the
// start signal to the last thread's end, and the process's CPU time over it.
// Usage: threads-flyer.js PROJECT_DIR THREADS LOCALES PER_LOCALE
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, Worker, parentPort, workerData } from 'node:worker_threads';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

if (isMainThread) {
  const [dir, threadsArg, localesArg, perArg] = process.argv.slice(2);
  const threads = Number(threadsArg ?? 2);
  const locales = (localesArg ?? 'en').split(',');
  const per = Number(perArg ?? 20);
  const jobs = locales.flatMap((locale) => Array.from({ length: per }, (_, i) => ({ locale, brand: `clinic-${String(i).padStart(2, '0')}` })));
  const timed = jobs.slice(1);
  const shares = Array.from({ length: threads }, (_, i) => timed.slice(Math.floor((i * timed.length) / threads), Math.floor(((i + 1) * timed.length) / threads)));
  const workers = shares.map((share) => new Worker(fileURLToPath(import.meta.url), { workerData: { dir, first: jobs[0], share } }));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const results = await Promise.all(workers.map((w) => new Promise((resolve) => { w.once('message', resolve); w.postMessage('go'); })));
  const ms = performance.now() - t0;
  // CPU time of the whole process: V8 also compiles hot code and collects garbage on threads of its own.
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const bytes = results.reduce((n, r) => n + r.bytes, 0);
  for (const w of workers) await w.terminate();
  const each = threads > 1 ? `; threads ${results.map((r) => `${r.docs} docs in ${(r.ms / 1000).toFixed(2)} s`).join(', ')}` : '';
  console.log(`${(ms / timed.length).toFixed(1)} ms/doc (${((1000 * timed.length) / ms).toFixed(1)} docs/s, ${Math.round(bytes / timed.length / 1024)} KB; CPU ${(cpuMs / timed.length).toFixed(1)} ms/doc, ${(cpuMs / ms).toFixed(2)} cores busy${each})`);
} else {
  const { dir, first, share } = workerData;
  const { createNodeIo } = await import(path.join(ROOT, 'dist/io/node-io.js'));
  const { Workspace, buildDate } = await import(path.join(ROOT, 'dist/batch/workspace.js'));
  const ws = new Workspace(createNodeIo(dir));
  const date = buildDate();
  const job = (j) => ({ template: 'flyer', locale: j.locale, brand: j.brand, data: null, set: {}, print: {}, output: 'x.pdf' });
  await ws.build(job(first), date);
  parentPort.postMessage('ready');
  parentPort.once('message', async () => {
    const t0 = performance.now();
    let bytes = 0;
    for (const j of share) bytes += (await ws.build(job(j), date)).pdf.length;
    parentPort.postMessage({ docs: share.length, ms: performance.now() - t0, bytes });
  });
}
