import type { Io } from './io.js';
import { utf8Text } from './utf8-text.js';

/**
 * An Io that reads each file once: a batch lays out the same logo and icons for every
 * document (and again for every fit attempt). Only for inputs that do not change during a
 * run; writes and listings go straight through.
 */
export function withReadCache(io: Io): Io {
  const bytes = new Map<string, Uint8Array>();
  const exists = new Map<string, boolean>();
  // Resolving a path is string work of its own, asked for at every read of every layout.
  const resolved = new Map<string, string>();
  const resolve = (p: string) => {
    let abs = resolved.get(p);
    if (abs === undefined) resolved.set(p, (abs = io.resolve(p)));
    return abs;
  };
  return {
    ...io,
    resolve,
    readBytes(p) {
      const abs = resolve(p);
      let b = bytes.get(abs);
      if (!b) {
        b = io.readBytes(abs);
        bytes.set(abs, b);
      }
      return b;
    },
    readText(p) {
      return utf8Text(this.readBytes(p), io.relative(p));
    },
    exists(p) {
      const abs = resolve(p);
      let e = exists.get(abs);
      if (e === undefined) {
        e = io.exists(abs);
        exists.set(abs, e);
      }
      return e;
    },
  };
}

/** The io, noting in `read` each file read through it (project-relative): what a document was made from. */
export function noteReads(io: Io, read: Set<string>): Io {
  return {
    ...io,
    readBytes(p) {
      read.add(io.relative(p));
      return io.readBytes(p);
    },
    readText(p) {
      read.add(io.relative(p));
      return io.readText(p);
    },
  };
}
