import { createHash } from 'node:crypto';
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
 * A stable partition by output path: the same job lands in the same shard on every machine
 * and every run, whatever else is in the matrix, so n CI runners build everything once.
 */
export function inShard(output: string, shard: Shard): boolean {
  const h = createHash('sha1').update(output).digest().readUInt32BE(0);
  return (h % shard.count) + 1 === shard.index;
}
