import { describe, expect, it } from 'vitest';
import { inShard, parseShard } from '../../src/batch/shard.js';
import { planJobs } from '../../src/batch/plan.js';
import { loadConfig } from '../../src/config/project.js';
import { createNodeIo } from '../../src/io/node-io.js';
import { ROOT } from '../helpers.js';

describe('shards', () => {
  const jobs = planJobs(createNodeIo(ROOT), loadConfig(createNodeIo(ROOT)), {});

  it('partition the jobs: every job in exactly one shard, for any n', () => {
    for (const n of [1, 2, 3, 5, 8]) {
      const shards = Array.from({ length: n }, (_, i) => jobs.filter((j) => inShard(j.output, { index: i + 1, count: n })));
      expect(shards.flat().length).toBe(jobs.length);
      expect(new Set(shards.flat().map((j) => j.output)).size).toBe(jobs.length);
      for (const s of shards) expect(s.length).toBeGreaterThan(jobs.length / n / 2);
    }
  });

  it('are stable: a job stays in its shard when others are added', () => {
    const few = jobs.slice(0, 10);
    const before = few.filter((j) => inShard(j.output, { index: 2, count: 4 })).map((j) => j.output);
    const after = jobs.filter((j) => inShard(j.output, { index: 2, count: 4 })).map((j) => j.output);
    for (const o of before) expect(after).toContain(o);
  });

  it('reject malformed specs', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '2', 'a/b', '1/0']) expect(() => parseShard(bad)).toThrow(/--shard takes i\/n/);
  });
});
