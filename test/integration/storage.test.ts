/** Model storage: the S3 implementation against a real S3-protocol server, and the disk one. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync as readFile, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import S3rver from 's3rver';
import { cubeStl, toBinaryStl, torusMesh } from '../../src/platform/geometry/generate.js';
import { DiskStorage } from '../../src/platform/storage/disk-storage.js';
import { FileMissingError } from '../../src/platform/storage/file-storage.js';
import { S3Storage } from '../../src/platform/storage/s3-storage.js';

describe('S3 storage (s3rver)', () => {
  let server: S3rver;
  let dir: string;
  let storage: S3Storage;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'atelier-s3-'));
    server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir });
    const addr = await server.run();
    storage = new S3Storage({
      bucket: 'atelier-models-test',
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${addr.port}`,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    });
    await storage.ensureBucket();
  });
  after(async () => {
    await storage.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('stores a model and reads back the same bytes', async () => {
    const model = cubeStl(10);
    await storage.put('models/shop/o1/m.stl', model, 'model/stl');
    const back = await storage.get('models/shop/o1/m.stl');
    assert.ok(back.equals(model));
  });

  test('a missing key is a FileMissingError, not a crash', async () => {
    await assert.rejects(storage.get('models/none.stl'), FileMissingError);
  });
});

describe('disk storage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-disk-'));
  const storage = new DiskStorage(dir);
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('round trip, missing key, and keys cannot escape the folder', async () => {
    const model = cubeStl(5);
    await storage.put('models/a/b.stl', model);
    assert.ok((await storage.get('models/a/b.stl')).equals(model));
    await assert.rejects(storage.get('models/none.stl'), FileMissingError);
    await assert.rejects(storage.put('../outside.stl', model), /escapes the storage folder/);
  });

  test('a stored file is found on disk with its size, for the workers to read it themselves', async () => {
    const model = toBinaryStl(torusMesh(10, 2, 100, 50));
    await storage.put('models/big/m.stl', model);
    const local = await storage.localFile('models/big/m.stl');
    assert.equal(local.size, model.length);
    assert.ok(readFile(local.path).equals(model));
    await assert.rejects(storage.localFile('models/none.stl'), FileMissingError);
    await assert.rejects(storage.localFile('../outside.stl'), /escapes the storage folder/);
  });
});
