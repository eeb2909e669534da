/** Storage keys: only names joined by "/", so no caller can build a path out of client input. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskStorage } from '../../src/platform/storage/disk-storage.js';
import { checkStorageKey, StorageKeyInvalidError } from '../../src/platform/storage/file-storage.js';
import { S3Storage } from '../../src/platform/storage/s3-storage.js';

describe('storage keys', () => {
  test('the keys the services build are accepted', () => {
    for (const key of [
      'models/shop/0190a5d0-ac96-774b-bcce-b302099a8057/0190a5d0-ac96-774b-bcce-b302099a8058.stl',
      'models/pricing/0190a5d0-ac96-774b-bcce-b302099a8057/model.obj',
      'models/pricing/0190a5d0-ac96-774b-bcce-b302099a8057/my_ring-v2.STL',
      'a/...',
    ])
      assert.equal(checkStorageKey(key), key);
  });

  test('dot names, separators and empty names are refused', () => {
    const cases: [string, RegExp][] = [
      ['..', /escapes the storage folder/],
      ['models/pricing/x/..', /escapes the storage folder/],
      ['models/./x.stl', /"\." name/],
      ['../outside.stl', /escapes the storage folder/],
      ['/etc/passwd', /empty name/],
      ['models//x.stl', /empty name/],
      ['models/x/', /empty name/],
      ['', /empty name/],
      ['models\\..\\x.stl', /character other than/],
      ['models/x\0.stl', /character other than/],
      ['models/C:x.stl', /character other than/],
      [`models/${'a'.repeat(1100)}`, /longer than 1024 bytes/],
    ];
    for (const [key, message] of cases) {
      assert.throws(
        () => checkStorageKey(key),
        (err: unknown) =>
          err instanceof StorageKeyInvalidError &&
          message.test(err.message) &&
          /never from a name/.test(err.message),
        key,
      );
    }
  });

  describe('disk storage', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atelier-keys-'));
    const storage = new DiskStorage(dir);
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('a `..` key cannot replace a folder with a file', async () => {
      const model = Buffer.from('solid x\nendsolid x\n');
      await storage.put('models/pricing/a/m.stl', model);
      await assert.rejects(storage.put('models/pricing/b/..', model), StorageKeyInvalidError);
      await assert.rejects(storage.get('models/pricing/..'), StorageKeyInvalidError);
      await assert.rejects(storage.localFile('models/pricing/../..'), StorageKeyInvalidError);
      assert.ok(statSync(join(dir, 'models', 'pricing')).isDirectory());
      await storage.put('models/pricing/c/m.stl', model);
      assert.ok((await storage.get('models/pricing/c/m.stl')).equals(model));
    });
  });

  test('S3 storage refuses the same keys before sending anything', async () => {
    // No server at this address: a refused key fails before any request is made.
    const s3 = new S3Storage({ bucket: 'b', region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
    try {
      await assert.rejects(
        s3.put('models/pricing/x/..', Buffer.alloc(1), 'model/stl'),
        StorageKeyInvalidError,
      );
      await assert.rejects(s3.get('../x.stl'), StorageKeyInvalidError);
    } finally {
      await s3.close();
    }
  });
});
