import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Io } from '../io/io.js';
import { CACHE_DIR } from './cache.js';
import { TOOL_VERSION } from './workspace.js';

const FORMAT = 1;
/** Entries kept per table; past it, a save keeps only what the run used. */
const MAX_ENTRIES = 20_000;

/** A dependency's version (its results are only valid for it), or null when unknown. */
export function packageVersion(name: string): string | null {
  try {
    const require = createRequire(import.meta.url);
    const main = require.resolve(name);
    const dir = `node_modules/${name}/`;
    return (require(main.slice(0, main.lastIndexOf(dir) + dir.length) + 'package.json') as { version: string }).version;
  } catch {
    return null;
  }
}

export interface Codec<T> {
  encode(value: T): unknown;
  decode(stored: unknown): T;
}

export interface MemoTable<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
}

class Table<T> implements MemoTable<T> {
  readonly entries = new Map<string, T>();
  readonly used = new Set<string>();
  added = false;

  constructor(readonly path: string, readonly codec: Codec<T>) {}

  get(key: string): T | undefined {
    const hit = this.entries.get(key);
    if (hit !== undefined) this.used.add(key);
    return hit;
  }

  set(key: string, value: T): void {
    this.entries.set(key, value);
    this.used.add(key);
    this.added = true;
  }
}

/** Where the tables live (a run sweeps temporaries a killed run left here). */
export const MEMORY_DIR = `${CACHE_DIR}/memory`;

/**
 * Results of costly pure functions (shaping, hyphenation) kept between runs in
 * `.handout-cache/memory/`, one file per table. A table is named by everything its results
 * depend on (the font file's content, the library's version, ours), so a changed input never
 * meets old results, and results read back equal fresh ones: outputs never depend on this
 * cache. Tables are read when first asked for (a Latin build opens no Arabic table) and written
 * at the end of a run, atomically, by the main thread only (workers read).
 */
export class DiskMemory {
  private readonly tables = new Map<string, Table<unknown> | null>();

  constructor(private readonly io: Io, private readonly writable: boolean) {}

  /** The table for `identity` (null when it cannot be named, e.g. a library's version is unknown). */
  table<T>(identity: (string | null)[], codec: Codec<T>): MemoTable<T> | null {
    if (identity.some((part) => part === null)) return null;
    const hash = createHash('sha1').update(`${FORMAT}\u0000${TOOL_VERSION}`);
    for (const part of identity) hash.update('\u0000').update(part!);
    const id = hash.digest('hex');
    let t = this.tables.get(id) as Table<T> | null | undefined;
    if (t !== undefined) return t;
    t = new Table<T>(`${MEMORY_DIR}/${id}.json`, codec);
    try {
      if (this.io.exists(t.path)) {
        const stored = JSON.parse(this.io.readText(t.path)) as { format: number; entries: Record<string, unknown> };
        if (stored.format === FORMAT) for (const [k, v] of Object.entries(stored.entries)) t.entries.set(k, codec.decode(v));
      }
    } catch {
      t.entries.clear(); // unreadable: computed again and rewritten
      t.added = true;
    }
    this.tables.set(id, t as Table<unknown>);
    return t;
  }

  /** Writes the tables that gained entries; a cache that cannot be written is no error. */
  save(): void {
    if (!this.writable) return;
    for (const t of this.tables.values()) {
      if (!t?.added) continue;
      const keep = t.entries.size > MAX_ENTRIES ? [...t.entries].filter(([k]) => t.used.has(k)) : [...t.entries];
      const entries: Record<string, unknown> = {};
      for (const [k, v] of keep) entries[k] = t.codec.encode(v);
      try {
        this.io.writeAtomic(t.path, JSON.stringify({ format: FORMAT, entries }));
        t.added = false;
      } catch {
        // A read-only checkout still builds; it only computes again next time.
      }
    }
  }
}
