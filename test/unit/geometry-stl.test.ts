import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ModelEmptyError,
  ModelError,
  ModelNotStlError,
  ModelTruncatedError,
  isModelError,
  parseStl,
  type ModelErrorCode,
} from '../../src/platform/geometry/stl.js';
import { analyzeMesh } from '../../src/platform/geometry/mesh.js';
import { parseDecimal } from '../../src/platform/geometry/stl-ascii.js';
import { cubeStl, toAsciiStl, torusMesh, torusStl } from '../../src/platform/geometry/generate.js';

/** Runs fn, requires it to throw a ModelError with `code`, and returns the error. */
function throwsCode(fn: () => unknown, code: ModelErrorCode, status = 422): ModelError {
  try {
    fn();
  } catch (err) {
    assert.ok(isModelError(err), `expected a ModelError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.equal(err.statusCode, status);
    assert.ok(err instanceof Error);
    return err;
  }
  assert.fail(`expected ${code} to be thrown`);
}

/** A hand-written binary STL: header text, triangles as 9 numbers each. */
function binaryStl(header: string, triangles: number[][], claimed = triangles.length): Buffer {
  const b = Buffer.alloc(84 + 50 * triangles.length);
  b.write(header, 0, 'latin1');
  b.writeUInt32LE(claimed, 80);
  triangles.forEach((t, i) => t.forEach((v, k) => b.writeFloatLE(v, 84 + 50 * i + 12 + 4 * k)));
  return b;
}

// One right tetrahedron (0,0,0),(1,0,0),(0,1,0),(0,0,1), outward winding: volume 1/6.
const TETRA = [
  [0, 0, 0, 0, 1, 0, 1, 0, 0],
  [0, 0, 0, 1, 0, 0, 0, 0, 1],
  [0, 0, 0, 0, 0, 1, 0, 1, 0],
  [1, 0, 0, 0, 1, 0, 0, 0, 1],
];

const ASCII_TETRA = `solid tetra
  facet normal 0 0 -1
    outer loop
      vertex 0 0 0
      vertex 0 1 0
      vertex 1 0 0
    endloop
  endfacet
  facet normal 0 -1 0
    outer loop
      vertex 0 0 0
      vertex 1 0 0
      vertex 0 0 1
    endloop
  endfacet
  facet normal -1 0 0
    outer loop
      vertex 0 0 0
      vertex 0 0 1
      vertex 0 1 0
    endloop
  endfacet
  facet normal 0.577 0.577 0.577
    outer loop
      vertex 1 0 0
      vertex 0 1 0
      vertex 0 0 1
    endloop
  endfacet
endsolid tetra
`;

test('binary STL: reads the exact vertices of a hand-built file', () => {
  const mesh = parseStl(binaryStl('hand made', TETRA));
  assert.equal(mesh.format, 'binary');
  assert.equal(mesh.triangleCount, 4);
  assert.deepEqual(Array.from(mesh.positions), TETRA.flat());
  assert.equal(analyzeMesh(mesh).volumeMm3, 1 / 6);
  // A view into a larger buffer (Node pools small Buffers) reads from its own offset.
  const whole = new Uint8Array(3 + 84 + 50 * 4);
  whole.set(binaryStl('hand made', TETRA), 3);
  const offset = whole.subarray(3);
  assert.equal(offset.byteOffset, 3);
  assert.deepEqual(Array.from(parseStl(offset).positions), TETRA.flat());
});

test('ASCII STL: reads the exact vertices of a hand-written file', () => {
  const mesh = parseStl(Buffer.from(ASCII_TETRA));
  assert.equal(mesh.format, 'ascii');
  assert.equal(mesh.triangleCount, 4);
  assert.deepEqual(Array.from(mesh.positions), TETRA.flat());
  assert.ok(mesh.positions instanceof Float32Array);
});

test('ASCII STL: tolerates CRLF, tabs, upper case, a BOM, no normal, and several solids', () => {
  const text = [
    '\ufeffsolid part1',
    'facet normal 0 0 -1\touter loop',
    '\tvertex 0 0 0\tvertex 0 1 0   vertex 1 0 0',
    'endloop endfacet',
    'FACET NORMAL nan nan nan OUTER LOOP VERTEX 0 0 0 VERTEX 1 0 0 VERTEX 0 0 1 ENDLOOP ENDFACET',
    'endsolid part1',
    'solid',
    '  facet outer loop',
    '    vertex 0.0 0.0 0.0',
    '    vertex 0.0 0.0 1.0e0',
    '    vertex 0 +1 0',
    '  endloop endfacet',
    '  facet normal 1 1 1 outer loop vertex 1 0 0 vertex 0 1 0 vertex 0 0 1 endloop endfacet',
    'endsolid',
  ].join('\r\n');
  const mesh = parseStl(Buffer.from(text, 'utf8'));
  assert.equal(mesh.format, 'ascii');
  assert.equal(mesh.triangleCount, 4);
  assert.deepEqual(Array.from(mesh.positions), TETRA.flat());
});

test('binary and ASCII copies of the same model give the same volume and area', () => {
  const mesh = torusMesh(10, 1.2, 48, 24);
  const fromBinary = analyzeMesh(parseStl(torusStl(10, 1.2, 48, 24)));
  const fromAscii = analyzeMesh(parseStl(toAsciiStl(mesh)));
  // The ASCII writer prints 9 significant digits, enough to restore every float32 exactly.
  assert.equal(fromAscii.volumeMm3, fromBinary.volumeMm3);
  assert.equal(fromAscii.areaMm2, fromBinary.areaMm2);
  assert.deepEqual(fromAscii.bbox, fromBinary.bbox);
  assert.equal(fromBinary.triangleCount, 2 * 48 * 24);
});

test('a binary STL whose header starts with "solid" is still read as binary', () => {
  const bytes = binaryStl('solid tetra exported by SomeCAD', TETRA);
  assert.equal(bytes.subarray(0, 5).toString('latin1'), 'solid');
  const mesh = parseStl(bytes);
  assert.equal(mesh.format, 'binary');
  assert.deepEqual(Array.from(mesh.positions), TETRA.flat());
});

test('a truncated binary STL with a "solid" header is reported as truncated, not as bad ASCII', () => {
  const bytes = binaryStl('solid cube', TETRA).subarray(0, 84 + 50 * 3 + 10);
  const err = throwsCode(() => parseStl(bytes), 'MODEL_TRUNCATED');
  assert.match(err.message, /claims 4 triangles \(284 bytes\) but the file has only 244 bytes/);
});

test('bytes after the last claimed triangle are ignored', () => {
  const padded = Buffer.concat([binaryStl('x', TETRA), Buffer.alloc(17)]);
  assert.equal(parseStl(padded).triangleCount, 4);
});

test('MODEL_EMPTY: empty upload is a 400', () => {
  const err = throwsCode(() => parseStl(new Uint8Array(0)), 'MODEL_EMPTY', 400);
  assert.ok(err instanceof ModelEmptyError);
  assert.equal(err.message, 'The uploaded file is empty; upload a binary or ASCII STL file.');
});

test('MODEL_NOT_STL: a ZIP archive is named as such', () => {
  const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(200, 7)]);
  const err = throwsCode(() => parseStl(zip), 'MODEL_NOT_STL');
  assert.ok(err instanceof ModelNotStlError);
  assert.match(err.message, /starts with 'PK\\x03\\x04' \(a ZIP archive\?/);
});

test('MODEL_NOT_STL: PNG, PDF, short binary junk and plain text', () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]), Buffer.alloc(300)]);
  assert.match(throwsCode(() => parseStl(png), 'MODEL_NOT_STL').message, /PNG image/);
  assert.match(throwsCode(() => parseStl(Buffer.from('%PDF-1.7\n...')), 'MODEL_NOT_STL').message, /PDF/);
  assert.match(
    throwsCode(() => parseStl(Buffer.from([0, 1, 2, 3])), 'MODEL_NOT_STL').message,
    /only 4 bytes/,
  );
  const text = throwsCode(
    () => parseStl(Buffer.from('hello world, this is not a model\n'.repeat(10))),
    'MODEL_NOT_STL',
  );
  assert.match(text.message, /text starting with 'hello world/);
});

test('MODEL_TRUNCATED: binary file shorter than its header claims', () => {
  const bytes = binaryStl('x', TETRA).subarray(0, 84 + 50 * 2);
  const err = throwsCode(() => parseStl(bytes), 'MODEL_TRUNCATED');
  assert.ok(err instanceof ModelTruncatedError);
  assert.match(err.message, /claims 4 triangles \(284 bytes\) but the file has only 184 bytes/);
});

test('a header claiming 4 billion triangles fails fast, before allocating anything', () => {
  const bytes = binaryStl('x', TETRA.slice(0, 2), 0xffffffff);
  const t0 = process.hrtime.bigint();
  // Allocating 4e9 × 36 bytes would throw a RangeError instead, or take seconds.
  const err = throwsCode(() => parseStl(bytes), 'MODEL_TRUNCATED');
  assert.match(err.message, /claims 4294967295 triangles \(214748364834 bytes\)/);
  // With a triangle limit and a file size that matches the claim, the limit is what trips.
  const limited = binaryStl('x', TETRA);
  throwsCode(() => parseStl(limited, { maxTriangles: 3 }), 'MODEL_TOO_LARGE');
  assert.ok(process.hrtime.bigint() - t0 < 50_000_000n, 'took longer than 50 ms');
});

test('MODEL_TOO_LARGE: over maxBytes, or over maxTriangles in ASCII', () => {
  const big = throwsCode(() => parseStl(cubeStl(10), { maxBytes: 500 }), 'MODEL_TOO_LARGE');
  assert.match(big.message, /684 bytes, the limit is 500/);
  throwsCode(() => parseStl(Buffer.from(ASCII_TETRA), { maxTriangles: 3 }), 'MODEL_TOO_LARGE');
  assert.equal(parseStl(Buffer.from(ASCII_TETRA), { maxTriangles: 4 }).triangleCount, 4);
});

test('MODEL_NO_TRIANGLES: binary count 0 and an empty ASCII solid', () => {
  throwsCode(() => parseStl(binaryStl('x', [])), 'MODEL_NO_TRIANGLES');
  throwsCode(() => parseStl(Buffer.from('solid empty\nendsolid empty\n')), 'MODEL_NO_TRIANGLES');
});

test('MODEL_BAD_NUMBER: NaN coordinate in ASCII names the line', () => {
  const text = ASCII_TETRA.replace(
    'vertex 0 0 1\n    endloop\n  endfacet\n  facet normal -1',
    'vertex 0 nan 1\n    endloop\n  endfacet\n  facet normal -1',
  );
  const err = throwsCode(() => parseStl(Buffer.from(text)), 'MODEL_BAD_NUMBER');
  assert.match(err.message, /'nan' at line 13/);
  for (const bad of ['inf', 'Infinity', '1e999', '0x10', '1,5', '--1', '1e', '.', '1.2.3']) {
    const t = ASCII_TETRA.replace('vertex 0 1 0', `vertex 0 ${bad} 0`);
    assert.match(throwsCode(() => parseStl(Buffer.from(t)), 'MODEL_BAD_NUMBER').message, /at line 5/, bad);
  }
});

test('MODEL_BAD_NUMBER: NaN / Infinity in a binary file names the triangle and vertex', () => {
  const tris = TETRA.map((t) => [...t]);
  tris[2]![7] = NaN;
  assert.match(
    throwsCode(() => parseStl(binaryStl('x', tris)), 'MODEL_BAD_NUMBER').message,
    /triangle 2 .*vertex 2/,
  );
  tris[2]![7] = 0;
  tris[3]![0] = -Infinity;
  assert.match(
    throwsCode(() => parseStl(binaryStl('x', tris)), 'MODEL_BAD_NUMBER').message,
    /triangle 3 .*vertex 0/,
  );
});

test('MODEL_BAD_SYNTAX: garbage after "solid", quads, and a cut-off ASCII file', () => {
  const garbage = throwsCode(
    () => parseStl(Buffer.from('solid x\nthis is not a facet\n')),
    'MODEL_BAD_SYNTAX',
  );
  assert.match(garbage.message, /line 2: expected 'facet' or 'endsolid' but found 'this'/);
  const quad = ASCII_TETRA.replace(
    'vertex 1 0 0\n    endloop',
    'vertex 1 0 0\n      vertex 2 2 2\n    endloop',
  );
  assert.match(
    throwsCode(() => parseStl(Buffer.from(quad)), 'MODEL_BAD_SYNTAX').message,
    /expected 'endloop'/,
  );
  const cut = ASCII_TETRA.slice(0, ASCII_TETRA.indexOf('endsolid'));
  assert.match(throwsCode(() => parseStl(Buffer.from(cut)), 'MODEL_BAD_SYNTAX').message, /before 'endsolid'/);
  const midVertex = ASCII_TETRA.slice(0, ASCII_TETRA.indexOf('vertex 0 0 1') + 10);
  assert.match(
    throwsCode(() => parseStl(Buffer.from(midVertex)), 'MODEL_BAD_SYNTAX').message,
    /inside a vertex/,
  );
});

test('every error is a ModelError with a distinct code', () => {
  const codes = new Set<string>();
  const cases: Array<() => unknown> = [
    () => parseStl(new Uint8Array(0)),
    () => parseStl(Buffer.from('PK\x03\x04')),
    () => parseStl(binaryStl('x', TETRA).subarray(0, 100)),
    () => parseStl(binaryStl('x', [])),
    () => parseStl(Buffer.from(ASCII_TETRA.replace('vertex 0 1 0', 'vertex 0 nan 0'))),
    () => parseStl(Buffer.from('solid x\nfoo\n')),
    () => parseStl(cubeStl(1), { maxBytes: 1 }),
  ];
  for (const fn of cases) {
    assert.throws(fn, (err: unknown) => {
      assert.ok(err instanceof ModelError);
      codes.add(err.code);
      return true;
    });
  }
  assert.equal(codes.size, cases.length);
});

test('decimal parser agrees with Number() on every accepted form', () => {
  const samples = ['0', '-0', '+3', '5.', '.5', '-.25', '1e3', '1E-3', '2.5e+2', '123456789.123456789'];
  samples.push(
    '0.10000000149011612',
    '1.7976931348623157e308',
    '4.9e-324',
    '000123.4500',
    '1e-30',
    '9007199254740993',
  );
  // Deterministic pseudo-random decimals of assorted lengths and exponents.
  let seed = 12345;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 2000; i++) {
    const v = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 12 - 6);
    samples.push(
      v.toPrecision(1 + Math.floor(rnd() * 17)),
      v.toExponential(Math.floor(rnd() * 16)),
      String(v),
    );
  }
  for (const s of samples) {
    const bytes = Buffer.from(` ${s} `);
    assert.equal(parseDecimal(bytes, 1, bytes.length - 1), Number(s), s);
  }
});

test('damaged files never escape as anything but a ModelError', () => {
  let seed = 42;
  const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const originals = [Buffer.from(ASCII_TETRA), binaryStl('solid x', TETRA), cubeStl(3)];
  for (let i = 0; i < 3000; i++) {
    const src = originals[i % originals.length]!;
    const b = Buffer.from(src.subarray(0, 1 + rnd(src.length))); // random cut…
    for (let k = rnd(4); k > 0; k--) b[rnd(b.length)] = rnd(256); // …and a few flipped bytes
    try {
      const mesh = parseStl(b);
      assert.equal(mesh.positions.length, mesh.triangleCount * 9);
      assert.ok(mesh.positions.every(Number.isFinite));
    } catch (err) {
      assert.ok(err instanceof ModelError, `input ${i}: ${String(err)}`);
    }
  }
});
