import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { checkStorageKey, FileMissingError, type FileStorage } from './file-storage.js';

export class DiskStorage implements FileStorage {
  readonly kind = 'disk';
  private readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathOf(key: string): string {
    const p = resolve(join(this.root, checkStorageKey(key)));
    // A second guard, on the resolved path: nothing the key check missed may leave the folder.
    if (!p.startsWith(this.root + sep)) throw new Error(`Storage key ${key} escapes the storage folder`);
    return p;
  }

  async put(key: string, data: Buffer): Promise<void> {
    const p = this.pathOf(key);
    await mkdir(dirname(p), { recursive: true });
    // Write then rename: a reader never sees half a file, even after a crash.
    const tmp = `${p}.${process.pid}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, p);
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(key));
    } catch (err) {
      throw missing(err, key);
    }
  }

  /** Where a stored file is on this machine, and its size: for readers that read it themselves. */
  async localFile(key: string): Promise<{ path: string; size: number }> {
    const path = this.pathOf(key);
    try {
      return { path, size: (await stat(path)).size };
    } catch (err) {
      throw missing(err, key);
    }
  }
}

function missing(err: unknown, key: string): unknown {
  return (err as NodeJS.ErrnoException).code === 'ENOENT'
    ? new FileMissingError(`No stored file ${key}`)
    : err;
}
