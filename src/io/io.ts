/**
 * The one place that touches the file system. Everything above it receives an `Io`, so tests
 * can run the whole pipeline in memory and the batch layer can swap in atomic writes.
 */
export interface Io {
  readonly root: string;
  readBytes(path: string): Uint8Array;
  readText(path: string): string;
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
  /** Entry names in a directory, sorted, or [] when it does not exist. */
  list(path: string): string[];
  /** Writes via a temporary file and a rename: readers see the old file or the new, never half. */
  writeAtomic(path: string, data: Uint8Array | string): void;
  /**
   * The same, done by the I/O threads: the caller builds on while the file is written and
   * renamed. Rejects with the error writeAtomic would throw; the target is then untouched.
   */
  writeAtomicAsync(path: string, data: Uint8Array | string): Promise<void>;
  remove(path: string): void;
  /** Absolute path for a project-relative one. */
  resolve(path: string): string;
  /** Project-relative path for messages. */
  relative(path: string): string;
}
