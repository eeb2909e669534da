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

/**
 * A key the storage refuses. Keys are built by the services from ids; one that fails here has
 * client input in it, so it is a bug in the caller, and the request fails without storing.
 */
export class StorageKeyInvalidError extends Error {
  override readonly name = 'StorageKeyInvalidError';
}

/** S3's limit, applied to both stores so that a key valid in one is valid in the other. */
const MAX_KEY_BYTES = 1024;
/** One folder or file name: letters, digits, `.`, `_` and `-`; no separators of any system. */
const SEGMENT = /^[A-Za-z0-9._-]+$/;

/**
 * Checks a storage key: names joined by `/`, each made of letters, digits, `.`, `_` and `-`,
 * none empty and none `.` or `..`. On a disk, `..` would reach outside the folder or, as the
 * last name, replace a folder with a file (`models/pricing/<id>/..` is `models/pricing`), after
 * which every later upload fails; a backslash is a separator on Windows. S3 has no folders, but
 * keys must mean the same in both stores.
 */
export function checkStorageKey(key: string): string {
  const refuse = (why: string) =>
    new StorageKeyInvalidError(
      `Storage key ${JSON.stringify(key).slice(0, 200)} ${why}. Build keys from ids and fixed names joined by "/", never from a name a client sent.`,
    );
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw refuse(`is longer than ${MAX_KEY_BYTES} bytes`);
  for (const segment of key.split('/')) {
    if (segment === '.' || segment === '..')
      throw refuse(`escapes the storage folder or overwrites one of its folders (a "${segment}" name)`);
    if (!SEGMENT.test(segment))
      throw refuse(
        segment === ''
          ? 'has an empty name (a leading, trailing or doubled "/")'
          : 'has a character other than letters, digits, ".", "_", "-" and the "/" between names',
      );
  }
  return key;
}
