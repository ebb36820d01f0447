import * as path from 'node:path';
import type { Io } from './io.js';
import { HandoutError } from '../model/diagnostic.js';
import { utf8Text } from './utf8-text.js';

/**
 * An in-memory file system for tests: reads fall through to `base` (usually the real project)
 * unless overridden, writes stay in memory.
 */
export function createMemoryIo(root: string, files: Record<string, string | Uint8Array> = {}, base?: Io): Io & { files: Map<string, Uint8Array> } {
  const absRoot = path.resolve(root);
  const resolve = (p: string) => path.resolve(absRoot, p);
  const relative = (p: string) => path.relative(absRoot, resolve(p)).split(path.sep).join('/');
  const mem = new Map<string, Uint8Array>();
  const enc = new TextEncoder();
  for (const [k, v] of Object.entries(files)) mem.set(resolve(k), typeof v === 'string' ? enc.encode(v) : v);
  const dirOf = (abs: string) => abs.endsWith(path.sep) ? abs : abs + path.sep;
  return {
    root: absRoot,
    files: mem,
    resolve,
    relative,
    readBytes(p) {
      const hit = mem.get(resolve(p));
      if (hit) return hit;
      if (base) return base.readBytes(resolve(p));
      throw new HandoutError('io', 'cannot read: file not found', { file: relative(p) });
    },
    readText(p) {
      return utf8Text(this.readBytes(p), relative(p));
    },
    exists(p) {
      const abs = resolve(p);
      if (mem.has(abs)) return true;
      for (const k of mem.keys()) if (k.startsWith(dirOf(abs))) return true;
      return base ? base.exists(abs) : false;
    },
    isDirectory(p) {
      const abs = resolve(p);
      for (const k of mem.keys()) if (k.startsWith(dirOf(abs))) return true;
      return base ? base.isDirectory(abs) : false;
    },
    list(p) {
      const abs = dirOf(resolve(p));
      const names = new Set<string>(base ? base.list(resolve(p)) : []);
      for (const k of mem.keys()) if (k.startsWith(abs)) names.add(k.slice(abs.length).split(path.sep)[0]!);
      return [...names].sort();
    },
    writeAtomic(p, data) {
      mem.set(resolve(p), typeof data === 'string' ? enc.encode(data) : data);
    },
    async writeAtomicAsync(p, data) {
      this.writeAtomic(p, data);
    },
    remove(p) {
      mem.delete(resolve(p));
    },
  };
}
