import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseShard, shardOf } from '../../src/batch/shard.js';
import { planJobs } from '../../src/batch/plan.js';
import { JobQueue } from '../../src/batch/queue.js';
import { defaultThreads, HelperPlan, helpersFor, PROBE_MS } from '../../src/batch/helper-plan.js';
import { loadConfig } from '../../src/config/project.js';
import { createNodeIo } from '../../src/io/node-io.js';
import { type JobOptions, optionsDiff } from '../../src/batch/options-diff.js';
import type { JobResult } from '../../src/batch/run.js';
import { createPrinter } from '../../src/cli/report.js';
import { read, ROOT, tempProject, write } from '../helpers.js';

describe('job matrix', () => {
  const io = createNodeIo(ROOT);
  const config = loadConfig(io);

  it('builds a job listed by two overlapping entries once', () => {
    const once = planJobs(io, config, { locales: ['en'] });
    const twice = planJobs(io, { ...config, jobs: [...config.jobs!, ...config.jobs!] }, { locales: ['en'] });
    expect(twice.map((j) => j.output)).toEqual(once.map((j) => j.output));
  });

  it('--out names a template built with several data files after each', () => {
    const dir = tempProject(['en']);
    write(dir, 'data/autumn.yaml', read(dir, 'data/class-sample.yaml'));
    const project = createNodeIo(dir);
    const spec = { templates: ['class-handout'], locales: ['en'], brands: ['default'] };
    const two = planJobs(project, { ...config, jobs: [{ ...spec, data: ['data/class-sample.yaml', 'data/autumn.yaml'] }] }, { out: 'print/' });
    expect(two.map((j) => j.output)).toEqual(['print/default/en/class-handout-class-sample.pdf', 'print/default/en/class-handout-autumn.pdf']);
    const one = planJobs(project, { ...config, jobs: [{ ...spec, data: ['data/class-sample.yaml'] }] }, { out: 'print' });
    expect(one.map((j) => j.output)).toEqual(['print/default/en/class-handout.pdf']);
    // Two files of one name in two folders: adding {data}, as the message had said, is no help.
    write(dir, 'data/north/class.yaml', read(dir, 'data/class-sample.yaml'));
    write(dir, 'data/south/class.yaml', read(dir, 'data/class-sample.yaml'));
    expect(() => planJobs(project, { ...config, output: 'out/{brand}/{locale}/{template}-{data}.pdf', jobs: [{ ...spec, data: ['data/north/class.yaml', 'data/south/class.yaml'] }] }, {})).toThrow(
      'two jobs would write out/default/en/class-handout-class.pdf: {data} is a data file\'s name without its folder and extension, "class" for both data/north/class.yaml and data/south/class.yaml; give one of them another name',
    );
  });

  it('refuses an output pattern that gives two different documents one file', () => {
    expect(() => planJobs(io, { ...config, output: 'output/{locale}/{template}.pdf' }, { locales: ['en'] })).toThrow(
      /two jobs write output\/en\/flyer\.pdf \(brand default and sunrise-clinic\); add \{brand\} to the output pattern/,
    );
    expect(() => planJobs(io, { ...config, output: 'output/{brand}/{template}.pdf' }, { locales: ['en', 'es'] })).toThrow(/\(locale en and es\); add \{locale\}/);
  });
});

describe('shards', () => {
  const jobs = planJobs(createNodeIo(ROOT), loadConfig(createNodeIo(ROOT)), {});

  it('partition the jobs: every job in exactly one shard, for any n, the shards of equal length', () => {
    for (const n of [1, 2, 3, 5, 8]) {
      const shards = Array.from({ length: n }, (_, i) => shardOf(jobs, { index: i + 1, count: n }));
      expect(shards.flat().length).toBe(jobs.length);
      expect(new Set(shards.flat().map((j) => j.output)).size).toBe(jobs.length);
      for (const s of shards) expect(Math.abs(s.length - jobs.length / n)).toBeLessThan(1);
    }
  });

  it('keep locales together: each of four shards of the samples lays out half the locales (one template\'s), not all', () => {
    const locales = new Set(jobs.map((j) => j.locale)).size;
    expect(locales % 2).toBe(0);
    for (let i = 1; i <= 4; i++) {
      const shard = shardOf(jobs, { index: i, count: 4 });
      expect(new Set(shard.map((j) => j.locale)).size).toBe(locales / 2);
      expect(new Set(shard.map((j) => j.template)).size).toBe(1);
    }
  });

  it('move only jobs near the ends of their ranges when others are added', () => {
    const n = 4;
    const shardNo = (list: typeof jobs) => new Map(Array.from({ length: n }, (_, i) => shardOf(list, { index: i + 1, count: n })).flatMap((s, i) => s.map((j) => [j.output, i] as const)));
    const before = shardNo(jobs.slice(0, jobs.length - 6));
    const after = shardNo(jobs);
    const moved = [...before].filter(([o, i]) => after.get(o) !== i).length;
    expect(moved).toBeLessThanOrEqual((n - 1) * 6);
  });

  it('reject malformed specs', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '2', 'a/b', '1/0']) expect(() => parseShard(bad)).toThrow(/--shard takes i\/n/);
  });
});

describe('job queue', () => {
  const jobs = planJobs(createNodeIo(ROOT), loadConfig(createNodeIo(ROOT)), {});

  it('gives every job to exactly one thread, each thread its own run of the plan first', () => {
    for (const threads of [1, 2, 3, 5]) {
      const queue = new JobQueue(jobs, threads);
      const taken: string[][] = Array.from({ length: threads }, () => []);
      // Uneven speeds: thread t takes t + 1 jobs per round, so the fast ones steal from the slow.
      for (let round = 0, more = true; more; round++) {
        more = false;
        for (let t = 0; t < threads; t++) {
          for (let k = 0; k <= t; k++) {
            const job = queue.take(t);
            if (job) {
              taken[t]!.push(job.output);
              more = true;
            }
          }
        }
      }
      const all = taken.flat();
      expect(all.length).toBe(jobs.length);
      expect(new Set(all).size).toBe(jobs.length);
      // Each thread starts on a contiguous share of the plan, in plan order.
      const order = jobs.map((j) => j.output);
      taken.forEach((got, t) => {
        const start = order.indexOf(got[0]!);
        expect(start).toBe(Math.floor((t * jobs.length) / threads));
        expect(got.slice(0, 3)).toEqual(order.slice(start, start + 3));
      });
      expect(queue.take(0)).toBeUndefined();
      expect(queue.remaining()).toEqual([]);
    }
  });

  it('divides what is left when helpers join later, the main thread keeping the front', () => {
    const queue = new JobQueue(jobs, 1);
    const first = [queue.take(0), queue.take(0)].map((j) => j!.output);
    queue.split(3);
    expect(queue.size).toBe(jobs.length - 2);
    const left = jobs.length - 2;
    const order = jobs.map((j) => j.output);
    const taken = [...first, queue.take(0)!.output, queue.take(1)!.output, queue.take(2)!.output];
    expect(taken.slice(0, 3)).toEqual(order.slice(0, 3));
    expect(taken[3]).toBe(order[2 + Math.floor(left / 3)]);
    expect(taken[4]).toBe(order[2 + Math.floor((2 * left) / 3)]);
    for (let job = queue.take(1); job; job = queue.take(1)) taken.push(job.output);
    expect([...taken].sort()).toEqual([...order].sort());
    expect(() => queue.split(2)).toThrow(/only once/);
  });

  it('uses as many threads by default as the cores keep busy: one on two cores', () => {
    expect([1, 2, 3, 4, 8, 16].map(defaultThreads)).toEqual([1, 1, 1, 2, 5, 10]);
  });

  it('starts a helper per few seconds of work left, never for a short batch', () => {
    expect(helpersFor(1, 200, 8, 3000)).toBe(0);
    expect(helpersFor(1, 600, 8, 3000)).toBe(1);
    expect(helpersFor(3, 600, 8, 3000)).toBe(1);
    expect(helpersFor(3, 2000, 8, 3000)).toBe(3);
    expect(helpersFor(0, 2000, 8, 3000)).toBe(0);
    // 0 starts every helper at once, one per job at most.
    expect(helpersFor(3, 2, 8, 0)).toBe(2);
  });

  it('decides once, from the documents timed after the first', () => {
    // 600 jobs left at 10 ms a document: 6 s of work, two helpers' worth.
    const plan = new HelperPlan(3, 3000);
    expect(plan.atStart(600)).toBe(0);
    expect(plan.afterDocument(600, 1000)).toBe(0); // the first document: not timed
    for (let k = 1; k < PROBE_MS / 10; k++) expect(plan.afterDocument(600, 1000 + k * 10)).toBe(0);
    expect(plan.afterDocument(600, 1000 + PROBE_MS)).toBe(2);
    expect(plan.afterDocument(600, 2000)).toBe(0); // decided
    // 0 starts them all before any document, and never again.
    const eager = new HelperPlan(3, 0);
    expect(eager.atStart(2)).toBe(2);
    expect(eager.afterDocument(2, 0)).toBe(0);
    expect(new HelperPlan(0, 0).atStart(10)).toBe(0);
  });

  it('reports the jobs nobody took', () => {
    const queue = new JobQueue(jobs.slice(0, 6), 2);
    queue.take(0);
    queue.take(1);
    expect(queue.remaining().map((j) => j.output)).toEqual([jobs[1], jobs[2], jobs[4], jobs[5]].map((j) => j!.output));
  });
});

describe('atomic writes', () => {
  it('make missing folders, and name a folder that cannot be made instead of spinning (a link to nowhere)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handout-io-'));
    const io = createNodeIo(dir);
    io.writeAtomic('a/b/c.txt', Buffer.from('one'));
    await io.writeAtomicAsync('a/d/e.txt', Buffer.from('two'));
    expect(fs.readFileSync(path.join(dir, 'a/b/c.txt'), 'utf8')).toBe('one');
    expect(fs.readFileSync(path.join(dir, 'a/d/e.txt'), 'utf8')).toBe('two');
    // A link to a folder that is not there (an unmounted disk).
    fs.symlinkSync(path.join(dir, 'unmounted'), path.join(dir, 'out'));
    expect(() => io.writeAtomic('out/en/flyer.pdf', Buffer.from('x'))).toThrow(/^cannot write: ENOENT: no such file or directory, mkdir '.*out\/en'$/);
    await expect(io.writeAtomicAsync('out/en/flyer.pdf', Buffer.from('x'))).rejects.toThrow(/^cannot write: ENOENT/);
    expect(fs.readdirSync(dir).sort()).toEqual(['a', 'out']);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('options diff', () => {
  const job = (o: Partial<JobOptions> = {}): JobOptions => ({ template: 'flyer', locale: 'en', brand: 'default', print: {}, set: {}, ...o });
  it('says each option that differs as it is typed, and nothing when none does', () => {
    expect(optionsDiff(job(), job())).toBe('');
    expect(optionsDiff(job({ print: { size: 'Letter', twoUp: true } }), job({ print: { size: 'A5' } }))).toBe('--size Letter when built, A5 now; --2up when built, not now');
    expect(optionsDiff(job({ set: { 'place.name': 'Room 2' } }), job({ set: { 'place.name': 'Room 3', spots: '8' } }))).toBe('--set place.name: "Room 2" when built, "Room 3" now; --set spots="8" now, not when built');
    expect(optionsDiff(job({ print: { grayscale: false } }), job())).toBe('');
    expect(optionsDiff(job({ locale: 'es' }), job())).toBe('-l es when built, en now');
  });
});

describe('progress on a terminal', () => {
  it('counts the jobs done, not those an interrupt left unstarted', () => {
    const job = (n: number) => ({ template: 'flyer', locale: 'en', brand: `b${n}`, data: null, set: {}, print: {}, output: `o${n}.pdf` });
    const outcome = (n: number, status: JobResult['status']) => ({ job: job(n), status, pages: 1, scale: 1, bytes: 1, unchanged: false, ms: 1, warnings: [] });
    const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    const write = process.stderr.write;
    let shown = '';
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    process.stderr.write = ((text: string) => ((shown += text), true)) as typeof process.stderr.write;
    try {
      const printer = createPrinter(4, { quiet: false, verbose: false });
      printer.result(outcome(1, 'built'));
      printer.result(outcome(2, 'interrupted'));
      printer.result(outcome(3, 'interrupted'));
    } finally {
      process.stderr.write = write;
      if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
    expect(shown).toMatch(/\] 1\/4$/);
  });
});
