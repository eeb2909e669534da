/**
 * Where uploaded 3D models live. Services pass keys in messages, never bytes: the shop or partner
 * API stores a model, and the MES reads it back by key.
 */
export interface FileStorage {
  readonly kind: 'disk' | 's3';
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<Buffer>;
  close?(): Promise<void>;
}

export class FileMissingError extends Error {
  override readonly name = 'FileMissingError';
}
