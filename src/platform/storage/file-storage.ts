/**
 * Where uploaded 3D models live. Services pass keys in messages, never bytes: the shop or partner
 * API stores a model, and the MES reads it back by key.
 */
export interface FileStorage {
  readonly kind: 'disk' | 's3';
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<Buffer>;
  /**
   * The bytes in a SharedArrayBuffer that worker threads read without a copy, read into it
   * directly. Only storages that can do so (a local file) have it; callers fall back to get().
   */
  getShared?(key: string): Promise<Uint8Array>;
  close?(): Promise<void>;
}

export class FileMissingError extends Error {
  override readonly name = 'FileMissingError';
}
