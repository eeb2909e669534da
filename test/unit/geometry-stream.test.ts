import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BinaryStlDecoder } from '../../src/platform/geometry/stl-stream.js';
import { parseStl } from '../../src/platform/geometry/stl.js';
import { validateMesh } from '../../src/platform/geometry/validate.js';
import { testModel, toAsciiStl, toBinaryStl } from '../../src/platform/geometry/generate.js';
import { binaryStl, lcg, TETRA, throwsCode } from './geometry-helpers.js';

/** Feeds `bytes` to a new decoder in chunks of the given sizes (cycled), returns the decoder. */
function feed(bytes: Uint8Array, sizes: number[], opts = {}): BinaryStlDecoder {
  const d = new BinaryStlDecoder(opts);
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = Math.max(1, sizes[k % sizes.length]!);
    d.push(bytes.subarray(i, i + n));
    i += n;
  }
  return d;
}

test('stream: any chunking (header and records split anywhere) gives the parsed mesh', () => {
  const bytes = toBinaryStl(testModel('sphere', 3_000).mesh);
  const expected = parseStl(bytes).positions;
  const rnd = lcg(7);
  const chunkings = [
    [1],
    [3, 97],
    [84],
    [50],
    [49, 51],
    [83, 1, 50, 2],
    [bytes.length],
    [4096],
    [1000, 7, 13],
  ];
  for (let i = 0; i < 10; i++) chunkings.push(Array.from({ length: 20 }, () => 1 + rnd(300)));
  for (const sizes of chunkings) {
    const mesh = feed(bytes, sizes).end();
    assert.equal(mesh.format, 'binary');
    assert.deepEqual(mesh.positions, expected, `chunks ${sizes.slice(0, 5).join(',')}`);
    assert.deepEqual(mesh.file, { byteLength: bytes.length, claimedTriangles: mesh.triangleCount });
  }
});

test('stream: decodes while chunks arrive and can allocate shared positions', () => {
  const bytes = binaryStl('x', TETRA);
  const d = new BinaryStlDecoder({ shared: true });
  d.push(bytes.subarray(0, 84 + 50 * 2 + 10));
  assert.equal(d.trianglesClaimed, 4);
  assert.equal(d.trianglesDecoded, 2);
  d.push(bytes.subarray(84 + 50 * 2 + 10));
  const mesh = d.end();
  assert.ok(mesh.positions.buffer instanceof SharedArrayBuffer);
  assert.deepEqual(Array.from(mesh.positions), TETRA.flat());
});

test('stream: truncation, empty, short header', () => {
  const bytes = binaryStl('x', TETRA);
  const err = throwsCode(() => feed(bytes.subarray(0, 84 + 50 * 3 + 20), [64]).end(), 'MODEL_TRUNCATED');
  assert.match(err.message, /claims 4 triangles \(284 bytes\) but the file has only 254 bytes/);
  throwsCode(() => new BinaryStlDecoder().end(), 'MODEL_EMPTY', 400);
  assert.match(
    throwsCode(() => feed(bytes.subarray(0, 60), [7]).end(), 'MODEL_NOT_STL').message,
    /only 60 bytes/,
  );
});

test('stream: the header count is checked against the limits before any allocation', () => {
  const huge = binaryStl('x', TETRA.slice(0, 1), 0xffffffff);
  const before = process.memoryUsage().arrayBuffers;
  const t0 = performance.now();
  const d = new BinaryStlDecoder();
  throwsCode(() => d.push(huge), 'MODEL_TOO_LARGE');
  assert.ok(performance.now() - t0 < 200); // no allocation, no loop
  assert.ok(process.memoryUsage().arrayBuffers - before < 1_000_000, 'nothing big was allocated');
  // An error sticks: the stream is unusable afterwards.
  throwsCode(() => d.push(new Uint8Array(10)), 'MODEL_TOO_LARGE');
  throwsCode(() => d.end(), 'MODEL_TOO_LARGE');
  // Within the triangle limit but over the byte limit.
  const m = throwsCode(
    () => feed(binaryStl('x', TETRA, 1000), [84], { maxBytes: 10_000 }),
    'MODEL_TOO_LARGE',
  );
  assert.match(m.message, /claims 1000 triangles \(50084 bytes\), the limit is 10000 bytes/);
  throwsCode(() => feed(binaryStl('x', TETRA), [84], { maxTriangles: 3 }), 'MODEL_TOO_LARGE');
  throwsCode(() => feed(binaryStl('x', TETRA), [84], { maxBytes: 200 }), 'MODEL_TOO_LARGE');
  throwsCode(() => feed(binaryStl('x', []), [10]), 'MODEL_NO_TRIANGLES');
  // Bytes beyond maxBytes fail as they arrive, even past the triangles.
  const padded = Buffer.concat([binaryStl('x', TETRA), Buffer.alloc(1000)]);
  throwsCode(() => feed(padded, [100], { maxBytes: 500 }), 'MODEL_TOO_LARGE');
});

test('stream: NaN fails at its triangle; extra bytes are counted and reported', () => {
  const tris = TETRA.map((t) => [...t]);
  tris[3]![4] = NaN;
  const err = throwsCode(() => feed(binaryStl('x', tris), [61]), 'MODEL_BAD_NUMBER');
  assert.match(err.message, /triangle 3 .*vertex 1/);
  const padded = Buffer.concat([binaryStl('x', TETRA), Buffer.alloc(117, 1)]);
  const mesh = feed(padded, [33]).end();
  assert.equal(mesh.triangleCount, 4);
  assert.deepEqual(validateMesh(mesh).triangleCountMismatch, {
    claimed: 4,
    fromFileSize: 6,
    extraBytes: 117,
  });
});

test('stream: text and other formats are refused at the header', () => {
  const ascii = toAsciiStl(testModel('cube', 12).mesh);
  assert.match(throwsCode(() => feed(ascii, [200]), 'MODEL_NOT_STL').message, /not a binary STL/);
  const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(200, 7)]);
  assert.match(throwsCode(() => feed(zip, [100]), 'MODEL_NOT_STL').message, /ZIP/);
  // A binary STL whose header text starts with "solid" is fine (the count bytes are binary).
  assert.equal(feed(binaryStl('solid exported by SomeCAD', TETRA), [9]).end().triangleCount, 4);
});
