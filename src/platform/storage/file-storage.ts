/**
 * Where uploaded 3D models live. Services pass keys in messages, never bytes: the shop or partner
 * API stores a model, and the MES reads it back by key.
 */
export interface FileStorage {
  readonly kind: 'disk' | 's3';
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<Buffer>;
  /**
   * The stored file's path on this machine and its size, for a reader that reads it itself
   * (the pricing workers read a large model range by range). Only a local disk has it; callers
   * fall back to get().
   */
  localFile?(key: string): Promise<{ path: string; size: number }>;
  close?(): Promise<void>;
}

export class FileMissingError extends Error {
  override readonly name = 'FileMissingError';
}
