import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Io } from './io.js';
import { HandoutError } from '../model/diagnostic.js';
import { utf8Text } from './utf8-text.js';

let tmpCounter = 0;

/**
 * Tests only: holds each atomic write this long between its temporary file and the rename, as
 * a slow disk would, so that a test's second Ctrl-C surely meets a half-written file.
 */
const SLOW_WRITE_MS = Number(process.env.HANDOUT_TEST_SLOW_WRITE_MS) || 0;

export function createNodeIo(root: string): Io {
  const absRoot = path.resolve(root);
  const resolve = (p: string) => path.resolve(absRoot, p);
  const relative = (p: string) => {
    const rel = path.relative(absRoot, resolve(p));
    return rel.startsWith('..') ? resolve(p) : rel.split(path.sep).join('/');
  };
  const fail = (p: string, e: unknown): never => {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'file not found' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'a folder, not a file' : err.message;
    throw new HandoutError('io', `cannot read: ${why}`, { file: relative(p) });
  };
  // Same directory as the target so the rename stays on one file system (atomic on POSIX).
  const temporaryFor = (p: string) => {
    const target = resolve(p);
    return { target, tmp: `${target}.${process.pid}.${++tmpCounter}.tmp` };
  };
  // The temporary file is ours, not the user's: a message names the file being written.
  const writeError = (p: string, e: unknown, tmp: string) => new HandoutError('io', `cannot write: ${(e as Error).message.replaceAll(tmp, resolve(p))}`, { file: relative(p) });
  return {
    root: absRoot,
    resolve,
    relative,
    readBytes(p) {
      try {
        return fs.readFileSync(resolve(p));
      } catch (e) {
        return fail(p, e);
      }
    },
    readText(p) {
      return utf8Text(this.readBytes(p), relative(p));
    },
    exists: (p) => fs.existsSync(resolve(p)),
    isDirectory(p) {
      try {
        return fs.statSync(resolve(p)).isDirectory();
      } catch {
        return false;
      }
    },
    list(p) {
      try {
        return fs.readdirSync(resolve(p)).sort();
      } catch {
        return [];
      }
    },
    writeAtomic(p, data) {
      const { target, tmp } = temporaryFor(p);
      try {
        try {
          fs.writeFileSync(tmp, data);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
          makeFolders(path.dirname(target));
          fs.writeFileSync(tmp, data);
        }
        fs.renameSync(tmp, target);
      } catch (e) {
        try {
          fs.rmSync(tmp, { force: true });
        } catch {
          /* the original error is the one worth reporting */
        }
        throw writeError(p, e, tmp);
      }
    },
    async writeAtomicAsync(p, data) {
      const { target, tmp } = temporaryFor(p);
      try {
        await fs.promises.writeFile(tmp, data).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'ENOENT') throw e;
          makeFolders(path.dirname(target));
          return fs.promises.writeFile(tmp, data);
        });
        if (SLOW_WRITE_MS > 0) await new Promise((resolve) => setTimeout(resolve, SLOW_WRITE_MS));
        await fs.promises.rename(tmp, target);
      } catch (e) {
        await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
        throw writeError(p, e, tmp);
      }
    },
    remove(p) {
      fs.rmSync(resolve(p), { force: true });
    },
  };
}

/**
 * Makes a folder and its missing parents, each once. Node 20's recursive mkdir spins forever
 * (100% CPU, no error) under /proc, where the parent exists but a new child gives ENOENT, which
 * it takes for a missing parent; here the first level that cannot be made is the error.
 */
function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !fs.existsSync(d) && path.dirname(d) !== d; d = path.dirname(d)) missing.push(d);
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      // Another thread made it first, or a link to nowhere stands there (its child then fails).
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
