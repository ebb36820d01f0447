import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createNodeIo } from '../io/node-io.js';
import { buildOne } from './build-one.js';
import { useTextMemory } from './text-memory.js';
import { type Job, Workspace } from './workspace.js';

/** A pool worker: its own Workspace (fonts, templates) loaded once, then one job per message. */
export function serveJobs(): void {
  const io = createNodeIo((workerData as { root: string }).root);
  const ws = new Workspace(io);
  // Workers read what earlier runs shaped; the main thread alone writes it.
  useTextMemory(io, false);
  // Fault injection for the tests: the pool's first worker dies outright on its first job.
  const crash = process.env.HANDOUT_TEST_CRASH_FIRST_WORKER === '1' && (workerData as { generation: number }).generation === 0;
  parentPort!.on('message', async (msg: { id: number; job: Job; date: number }) => {
    if (crash) process.exit(3);
    const outcome = await buildOne(ws, io, msg.job, new Date(msg.date));
    parentPort!.postMessage({ id: msg.id, outcome });
  });
}

// Loaded as a pool's worker script (or as part of the bundle inside a worker thread).
if (!isMainThread && parentPort) serveJobs();
