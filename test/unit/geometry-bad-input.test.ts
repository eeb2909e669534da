/**
 * Every kind of bad upload ends in a typed ModelError (code, 4xx status, a message that says
 * what to do), quickly and without allocating memory the file does not justify.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readModel } from '../../src/platform/geometry/read-model.js';
import { ModelError } from '../../src/platform/geometry/stl-errors.js';
import { testModel, toAsciiStl, toBinaryStl, toObj } from '../../src/platform/geometry/generate.js';
import { binaryStl, lcg, TETRA, throwsCode } from './geometry-helpers.js';

/** Runs fn and returns how long it took and how much ArrayBuffer memory it left allocated. */
function measured(fn: () => void): { ms: number; bytes: number } {
  const before = process.memoryUsage().arrayBuffers;
  const t0 = performance.now();
  fn();
  return { ms: performance.now() - t0, bytes: process.memoryUsage().arrayBuffers - before };
}

const ascii = toAsciiStl(testModel('cube', 500).mesh);

test('empty file: MODEL_EMPTY (400)', () => {
  const err = throwsCode(() => readModel(new Uint8Array(0)), 'MODEL_EMPTY', 400);
  assert.match(err.message, /empty/);
  throwsCode(() => readModel(new Uint8Array(0), { format: 'obj' }), 'MODEL_EMPTY', 400);
});

test('wrong format: PDF, ZIP, PNG, JPEG and plain text are named', () => {
  const cases: Array<[Buffer, RegExp]> = [
    [Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), /PDF/],
    [Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(300, 1)]), /ZIP archive\? 3MF/],
    [Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]), Buffer.alloc(300)]), /PNG/],
    [Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300)]), /JPEG/],
    [Buffer.from('Dear customer,\nplease find attached…\n'), /text starting with 'Dear customer/],
  ];
  for (const [bytes, why] of cases) {
    for (const filename of [undefined, 'model.stl']) {
      const err = throwsCode(() => readModel(bytes, { filename }), 'MODEL_NOT_STL');
      assert.match(err.message, why);
      assert.match(err.message, /Export the model/);
    }
  }
  // Declared or named as OBJ, the answer speaks of OBJ.
  assert.match(
    throwsCode(() => readModel(cases[0]![0], { filename: 'ring.obj' }), 'MODEL_NOT_OBJ').message,
    /PDF/,
  );
});

test('truncated binary and a header claiming more triangles than the file holds: MODEL_TRUNCATED', () => {
  const { mesh } = testModel('torus', 2_000);
  const full = toBinaryStl(mesh);
  const cut = full.subarray(0, full.length - 1000);
  const err = throwsCode(() => readModel(cut), 'MODEL_TRUNCATED');
  const n = mesh.triangleCount;
  assert.ok(
    err.message.includes(
      `claims ${n} triangles (${84 + 50 * n} bytes) but the file has only ${84 + 50 * n - 1000} bytes`,
    ),
    err.message,
  );
  const claimsMore = binaryStl('x', TETRA, 40);
  assert.match(
    throwsCode(() => readModel(claimsMore), 'MODEL_TRUNCATED').message,
    /claims 40 triangles \(2084 bytes\) but the file has only 284 bytes/,
  );
});

test('a header claiming billions of triangles fails at once, allocating nothing', () => {
  const bytes = binaryStl('x', TETRA, 3_000_000_000);
  const { ms, bytes: allocated } = measured(() => throwsCode(() => readModel(bytes), 'MODEL_TRUNCATED'));
  assert.ok(ms < 200, `${ms} ms`); // no allocation, no loop: far below this even on a busy machine
  assert.ok(allocated < 1_000_000, `${allocated} bytes allocated`);
  // Even when the bytes were all there, the triangle limit trips before allocating.
  throwsCode(() => readModel(binaryStl('x', TETRA), { maxTriangles: 2 }), 'MODEL_TOO_LARGE');
});

test('NaN and Infinity coordinates: MODEL_BAD_NUMBER in binary STL, ASCII STL and OBJ', () => {
  for (const bad of [NaN, Infinity, -Infinity]) {
    const tris = TETRA.map((t) => [...t]);
    tris[1]![5] = bad;
    assert.match(
      throwsCode(() => readModel(binaryStl('x', tris)), 'MODEL_BAD_NUMBER').message,
      /triangle 1 .*vertex 1/,
    );
  }
  for (const bad of ['nan', 'NaN', 'inf', '-Infinity', '1e400']) {
    const text = ascii.toString('latin1').replace(/vertex (\S+) /, `vertex ${bad} `);
    assert.match(
      throwsCode(() => readModel(Buffer.from(text, 'latin1')), 'MODEL_BAD_NUMBER').message,
      /at line 4/,
    );
    const objText = `v 0 0 0\nv 1 ${bad} 0\nv 0 1 0\nf 1 2 3\n`;
    assert.match(throwsCode(() => readModel(Buffer.from(objText)), 'MODEL_BAD_NUMBER').message, /at line 2/);
  }
});

test('binary bytes sent as ASCII: "solid" then binary garbage ends in an error, never a hang', () => {
  // Deterministic noise, 4 bytes per xorshift step.
  const garbage = (n: number): Buffer => {
    const words = new Uint32Array(Math.ceil(n / 4));
    let x = 2463534242;
    for (let i = 0; i < words.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      words[i] = x >>> 0;
    }
    return Buffer.from(words.buffer, 0, n);
  };
  // Garbage right after "solid": not text, so read as a binary STL whose header is nonsense.
  const early = Buffer.concat([Buffer.from('solid model\n'), garbage(5_000)]);
  const e1 = measured(() => assert.throws(() => readModel(early), ModelError));
  assert.ok(e1.ms < 500, `${e1.ms} ms`);
  // Valid facets for the first kilobytes, then garbage: the ASCII reader stops at the garbage.
  const late = Buffer.concat([ascii.subarray(0, 3_000), garbage(20_000_000)]);
  const e2 = measured(() => {
    const err = assert.throws(() => readModel(late), ModelError);
    return err;
  });
  assert.ok(e2.ms < 5000, `${e2.ms} ms`); // a bound, not a benchmark: a hang would never end
  try {
    readModel(late);
  } catch (err) {
    assert.ok(
      err instanceof ModelError && ['MODEL_BAD_SYNTAX', 'MODEL_BAD_NUMBER'].includes(err.code),
      String(err),
    );
  }
});

test('endless whitespace (50 MB of spaces) finishes fast with an error', () => {
  const spaces = Buffer.alloc(50 * 1024 * 1024, 32);
  for (const [head, code, format] of [
    ['solid x\n', 'MODEL_BAD_SYNTAX', undefined],
    ['solid x', 'MODEL_BAD_SYNTAX', undefined], // no newline: the name runs to the end
    ['solid x\nfacet', 'MODEL_BAD_SYNTAX', undefined],
    ['v 0 0 0\n', 'MODEL_NO_TRIANGLES', 'obj'],
  ] as const) {
    const bytes = Buffer.concat([Buffer.from(head), spaces]);
    const { ms } = measured(() => throwsCode(() => readModel(bytes, { format }), code));
    assert.ok(ms < 5000, `${JSON.stringify(head)}: ${ms.toFixed(0)} ms`); // a bound against hangs
  }
  // Newlines and tabs are whitespace too; the line number in the message stays right.
  const lines = Buffer.concat([
    Buffer.from('solid x\n'),
    Buffer.alloc(1_000_000, 10),
    Buffer.from('nonsense'),
  ]);
  assert.match(
    throwsCode(() => readModel(lines), 'MODEL_BAD_SYNTAX').message,
    /line 1000002: expected 'facet'/,
  );
});

test('a file over the size limit is refused before it is read', () => {
  for (const bytes of [toBinaryStl(testModel('cube', 500).mesh), ascii, toObj(testModel('cube', 500).mesh)]) {
    const err = throwsCode(() => readModel(bytes, { maxBytes: 1000 }), 'MODEL_TOO_LARGE');
    assert.match(err.message, new RegExp(`${bytes.length} bytes, the limit is 1000`));
  }
});

test('OBJ with a face referencing a missing vertex, and OBJ with no faces', () => {
  assert.match(
    throwsCode(() => readModel(Buffer.from('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 4\n')), 'MODEL_BAD_INDEX')
      .message,
    /refers to vertex 4, but the file defines 3 vertices/,
  );
  assert.match(
    throwsCode(
      () => readModel(Buffer.from('# just points\nv 0 0 0\nv 1 0 0\nv 0 1 0\n')),
      'MODEL_NO_TRIANGLES',
    ).message,
    /no faces/,
  );
});

test('damaged files of every format never escape as anything but a ModelError', () => {
  const rnd = lcg(42);
  const { mesh } = testModel('sphere', 200);
  const originals = [toBinaryStl(mesh), toAsciiStl(mesh), toObj(mesh)];
  for (let i = 0; i < 3000; i++) {
    const src = originals[i % originals.length]!;
    const b = Buffer.from(src.subarray(0, 1 + rnd(src.length))); // random cut…
    for (let k = rnd(4); k > 0; k--) b[rnd(b.length)] = rnd(256); // …and a few flipped bytes
    try {
      const m = readModel(b, { filename: i % 2 ? 'x.obj' : 'x.stl' });
      assert.equal(m.positions.length, m.triangleCount * 9);
      assert.ok(m.positions.every(Number.isFinite));
    } catch (err) {
      assert.ok(err instanceof ModelError, `input ${i}: ${String(err)}`);
      assert.ok(err.statusCode === 400 || err.statusCode === 422);
    }
  }
});
