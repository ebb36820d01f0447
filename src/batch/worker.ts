import { parentPort, workerData } from 'node:worker_threads';
import { createNodeIo } from '../io/node-io.js';
import { buildOne } from './build-one.js';
import { type Job, Workspace } from './workspace.js';

/** A pool worker: its own Workspace (fonts, templates) loaded once, then one job per message. */
const io = createNodeIo((workerData as { root: string }).root);
const ws = new Workspace(io);

parentPort!.on('message', async (msg: { id: number; job: Job; date: number }) => {
  const outcome = await buildOne(ws, io, msg.job, new Date(msg.date));
  parentPort!.postMessage({ id: msg.id, outcome });
});
