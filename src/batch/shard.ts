import { HandoutError } from '../model/diagnostic.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export function parseShard(spec: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new HandoutError('usage', `--shard takes i/n with 1 ≤ i ≤ n, like 2/4, not "${spec}"`);
  return { index, count };
}

/**
 * Shard i of n: the i-th of n contiguous ranges of the jobs in plan order, of equal length
 * (±1). Every runner plans the same jobs from the same commit, so the ranges partition them.
 * Contiguous, a runner builds few locales (their texts laid out and their fonts loaded once,
 * not by every runner), and equal, no runner waits on a larger share: by a hash of the output
 * path, 96 jobs fell into 27, 29 and 40. A change of the matrix moves only jobs near the
 * ranges' ends to another runner (whose cache then lacks their records: they are built again).
 */
export function shardOf<T>(jobs: T[], shard: Shard): T[] {
  return jobs.slice(Math.floor(((shard.index - 1) * jobs.length) / shard.count), Math.floor((shard.index * jobs.length) / shard.count));
}
