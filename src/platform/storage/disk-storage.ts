import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { FileMissingError, type FileStorage } from './file-storage.js';

export class DiskStorage implements FileStorage {
  readonly kind = 'disk';
  private readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathOf(key: string): string {
    const p = resolve(join(this.root, key));
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

  /** Read straight into shared memory: no Buffer in between and no copy of a large model. */
  async getShared(key: string): Promise<Uint8Array> {
    let file;
    try {
      file = await open(this.pathOf(key), 'r');
    } catch (err) {
      throw missing(err, key);
    }
    try {
      const { size } = await file.stat();
      const bytes = new Uint8Array(new SharedArrayBuffer(size));
      let read = 0;
      while (read < size) {
        const { bytesRead } = await file.read(bytes, read, size - read, read);
        if (bytesRead === 0) break; // the file shrank meanwhile (keys are written once: not expected)
        read += bytesRead;
      }
      return read === size ? bytes : bytes.subarray(0, read);
    } finally {
      await file.close();
    }
  }
}

function missing(err: unknown, key: string): unknown {
  return (err as NodeJS.ErrnoException).code === 'ENOENT'
    ? new FileMissingError(`No stored file ${key}`)
    : err;
}
