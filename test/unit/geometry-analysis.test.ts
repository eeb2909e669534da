import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import {
  analyzeBinaryStlFileRange,
  analyzeBinaryStlRange,
  analyzeRange,
  binaryStlOrigin,
  combineAnalyses,
  meshOrigin,
  type PartialAnalysis,
} from '../../src/platform/geometry/analysis.js';
import { analyzeMesh, type Mesh } from '../../src/platform/geometry/mesh.js';
import { parseStl } from '../../src/platform/geometry/stl.js';
import { readModel } from '../../src/platform/geometry/read-model.js';
import {
  cubeMesh,
  subdividedCubeMesh,
  testModel,
  toBinaryStl,
  torusMesh,
} from '../../src/platform/geometry/generate.js';
import { binaryStl, near, referenceVolumeArea, TETRA, throwsCode } from './geometry-helpers.js';

const SHAPES = ['torus', 'sphere', 'cube'] as const;

/** Splits [0, n) into `parts` uneven ranges (the k-th about k times as long as the first). */
function unevenRanges(n: number, parts: number): Array<[number, number]> {
  const weights = Array.from({ length: parts }, (_, k) => k + 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const out: Array<[number, number]> = [];
  let from = 0;
  let acc = 0;
  for (const w of weights) {
    acc += w;
    const to = Math.round((n * acc) / total);
    out.push([from, to]);
    from = to;
  }
  return out;
}

test('volume and area match a plain float64 reference loop to 1e-9, for every shape and size', () => {
  for (const shape of SHAPES) {
    for (const size of [1_000, 30_000]) {
      const { mesh } = testModel(shape, size);
      const ref = referenceVolumeArea(mesh.positions, mesh.triangleCount);
      const a = analyzeMesh(mesh);
      near(a.volumeMm3, ref.volume, 1e-9, `${shape} ${size} volume`);
      near(a.areaMm2, ref.area, 1e-9, `${shape} ${size} area`);
      // The fused path reads the same float32 values from the file bytes.
      const bytes = toBinaryStl(mesh);
      const fused = combineAnalyses([
        analyzeBinaryStlRange(bytes, 0, mesh.triangleCount, binaryStlOrigin(bytes)),
      ]);
      near(fused.volumeMm3, ref.volume, 1e-9, `${shape} ${size} volume from bytes`);
      near(fused.areaMm2, ref.area, 1e-9, `${shape} ${size} area from bytes`);
    }
  }
});

test('fine meshes are within faceting error (< 1e-4) of the analytic volume, and match the faceted one', () => {
  // A torus needs ~330 k triangles to get below 1e-4: (2π²/3)(1/m² + 1/n²) with m = 2n.
  for (const [shape, size] of [
    ['torus', 400_000],
    ['sphere', 200_000],
    ['cube', 100_000],
  ] as const) {
    const m = testModel(shape, size);
    const a = analyzeMesh(m.mesh);
    near(a.volumeMm3, m.analyticVolumeMm3, 1e-4, `${m.label} vs analytic`);
    // float32 vertices put the mesh ~1e-7 away from its exact faceted volume.
    near(a.volumeMm3, m.facetedVolumeMm3, 1e-6, `${m.label} vs faceted`);
    assert.equal(a.degenerateTriangles, 0, m.label);
    assert.equal(a.isInsideOut, false);
  }
  const cube = analyzeMesh(subdividedCubeMesh(10, 40));
  near(cube.areaMm2, 600, 1e-12, 'subdivided cube area');
  assert.deepEqual(cube.bbox, { min: [-5, -5, -5], max: [5, 5, 5] });
  assert.deepEqual(cube.dimensions, [10, 10, 10]);
});

test('7 uneven ranges combine to the one-pass analysis (1e-12), in any order of arrival', () => {
  for (const shape of SHAPES) {
    const { mesh } = testModel(shape, 50_000);
    const n = mesh.triangleCount;
    const origin = meshOrigin(mesh.positions);
    const whole = combineAnalyses([analyzeRange(mesh.positions, 0, n, origin)]);
    const parts = unevenRanges(n, 7).map(([from, to]) => analyzeRange(mesh.positions, from, to, origin));
    assert.ok(parts[0]!.triangleCount < parts[6]!.triangleCount / 5, 'ranges are uneven');
    const combined = combineAnalyses(parts.slice().reverse());
    near(combined.volumeMm3, whole.volumeMm3, 1e-12, `${shape} volume`);
    near(combined.areaMm2, whole.areaMm2, 1e-12, `${shape} area`);
    assert.deepEqual(combined.bbox, whole.bbox);
    assert.equal(combined.triangleCount, n);
    assert.deepEqual(combineAnalyses(parts), combined, 'order of the parts does not matter');

    // The same ranges straight from the file bytes, filling one positions array as they go.
    const bytes = toBinaryStl(mesh);
    const out = new Float32Array(new SharedArrayBuffer(n * 36));
    const o = binaryStlOrigin(bytes);
    assert.deepEqual(o, origin);
    const fromBytes = unevenRanges(n, 7).map(([from, to]) => analyzeBinaryStlRange(bytes, from, to, o, out));
    assert.deepEqual(combineAnalyses(fromBytes), combined, 'bytes and positions give identical sums');
    assert.deepEqual(out, mesh.positions, 'positions written by the ranges');
  }
});

test('the fused path gives bit-identical sums with and without writing positions', () => {
  const { mesh } = testModel('sphere', 20_000);
  const bytes = toBinaryStl(mesh);
  const o = binaryStlOrigin(bytes);
  const n = mesh.triangleCount;
  const plain = analyzeBinaryStlRange(bytes, 0, n, o);
  const out = new Float32Array(n * 9);
  assert.deepEqual(analyzeBinaryStlRange(bytes, 0, n, o, out), plain);
  assert.deepEqual(analyzeRange(out, 0, n, o), plain);
  // A view into a larger buffer at an odd offset reads from its own start.
  const shifted = new Uint8Array(bytes.length + 3);
  shifted.set(bytes, 3);
  assert.deepEqual(analyzeBinaryStlRange(shifted.subarray(3), 0, n, o), plain);
});

test('a file read block by block measures as its bytes in memory do, ranges and positions alike', () => {
  const { mesh } = testModel('torus', 20_000);
  const bytes = toBinaryStl(mesh);
  const n = mesh.triangleCount;
  const o = binaryStlOrigin(bytes);
  // Reads that stop short now and then, as a file read may: the reader asks again.
  const read = (into: Uint8Array, position: number) => {
    const len = Math.min(into.byteLength, 777, bytes.length - position);
    into.set(bytes.subarray(position, position + len));
    return len;
  };
  // Blocks of 7 triangles plus a stray byte: ranges never line up with them.
  const block = new Uint8Array(7 * 50 + 1);
  const fromMemory = new Float32Array(n * 9);
  const fromFile = new Float32Array(n * 9);
  for (const [from, to] of unevenRanges(n, 5))
    assert.deepEqual(
      analyzeBinaryStlFileRange(read, n, from, to, o, fromFile, block),
      analyzeBinaryStlRange(bytes, from, to, o, fromMemory),
      `${from}–${to}`,
    );
  assert.deepEqual(fromFile, fromMemory);
  assert.deepEqual(fromFile, mesh.positions);

  // A file that ends before the header's count: MODEL_TRUNCATED, naming both sizes.
  const short = bytes.subarray(0, bytes.length - 120);
  const readShort = (into: Uint8Array, position: number) => {
    const len = Math.max(0, Math.min(into.byteLength, short.length - position));
    into.set(short.subarray(position, position + len));
    return len;
  };
  const err = throwsCode(
    () => analyzeBinaryStlFileRange(readShort, n, n - 10, n, o, fromFile, block),
    'MODEL_TRUNCATED',
  );
  assert.match(err.message, new RegExp(String(bytes.length)));
});

test('degenerate triangles are counted, and add no volume or area', () => {
  const base = cubeMesh(2);
  const extra = [
    [0, 0, 0, 0, 0, 0, 1, 1, 1], // two equal corners
    [0, 0, 0, 1, 1, 1, 3, 3, 3], // collinear
    [0, 0, 0, 1, 1, 1, 1, 1, 1 + 1e-9], // collinear in float32 (1 + 1e-9 rounds to 1)
  ];
  const tris = [
    ...Array.from({ length: 12 }, (_, t) => Array.from(base.positions.subarray(9 * t, 9 * t + 9))),
    ...extra,
  ];
  const mesh: Mesh = {
    positions: Float32Array.from(tris.flat()),
    triangleCount: tris.length,
    format: 'binary',
  };
  const a = analyzeMesh(mesh);
  assert.equal(a.degenerateTriangles, 3);
  assert.equal(a.volumeMm3, 8);
  assert.equal(a.areaMm2, 24);
  // A thin but real sliver is not degenerate.
  const sliver: Mesh = {
    positions: Float32Array.from([0, 0, 0, 10, 0, 0, 0, 1e-3, 0]),
    triangleCount: 1,
    format: 'binary',
  };
  assert.equal(analyzeMesh(sliver).degenerateTriangles, 0);
  // The fused path agrees.
  const bytes = toBinaryStl(mesh);
  assert.equal(
    analyzeBinaryStlRange(bytes, 0, mesh.triangleCount, binaryStlOrigin(bytes)).degenerateTriangles,
    3,
  );
});

test('NaN and Infinity coordinates are counted and their triangles left out of every sum', () => {
  const good = torusMesh(8, 1.5, 24, 12);
  const n = good.triangleCount;
  const p = new Float32Array(good.positions.length + 27);
  p.set(good.positions);
  p.set(
    [
      NaN,
      0,
      0,
      1,
      1,
      1,
      2,
      2,
      2,
      0,
      0,
      0,
      Infinity,
      -Infinity,
      0,
      1,
      0,
      0,
      1e3,
      1e3,
      1e3,
      1,
      0,
      0,
      0,
      1,
      NaN,
    ],
    9 * n,
  );
  const bad: Mesh = { positions: p, triangleCount: n + 3, format: 'binary' };
  const a = analyzeMesh(bad);
  const b = analyzeMesh(good);
  assert.equal(a.nonFiniteCoordinates, 4);
  assert.equal(a.volumeMm3, b.volumeMm3);
  assert.equal(a.areaMm2, b.areaMm2);
  assert.deepEqual(a.bbox, b.bbox, 'the finite triangles define the box');
  assert.equal(a.triangleCount, n + 3);
  // Same from file bytes (the readers reject such files; the range kernels count instead).
  const bytes = toBinaryStl(bad);
  const fused = combineAnalyses([analyzeBinaryStlRange(bytes, 0, n + 3, binaryStlOrigin(bytes))]);
  assert.equal(fused.nonFiniteCoordinates, 4);
  assert.equal(fused.volumeMm3, b.volumeMm3);
  // A NaN first vertex does not poison the origin.
  const first = new Float32Array(good.positions);
  first[0] = NaN;
  const c = analyzeMesh({ positions: first, triangleCount: n, format: 'binary' });
  assert.ok(Number.isFinite(c.volumeMm3) && c.volumeMm3 > 0);
  assert.equal(c.nonFiniteCoordinates, 1);
  assert.deepEqual(analyzeRange(first, 0, n, [NaN, 0, 0]).origin, [0, 0, 0]);
});

test('combineAnalyses refuses parts that overlap, leave gaps or use different origins', () => {
  const { mesh } = testModel('cube', 1_000);
  const o = meshOrigin(mesh.positions);
  const a = analyzeRange(mesh.positions, 0, 100, o);
  const b = analyzeRange(mesh.positions, 100, 200, o);
  assert.equal(combineAnalyses([b, a]).triangleCount, 200);
  assert.throws(() => combineAnalyses([a, analyzeRange(mesh.positions, 50, 200, o)]), RangeError);
  assert.throws(() => combineAnalyses([a, analyzeRange(mesh.positions, 150, 200, o)]), RangeError);
  assert.throws(() => combineAnalyses([a, analyzeRange(mesh.positions, 100, 200, [0, 0, 0])]), RangeError);
  assert.throws(() => analyzeRange(mesh.positions, 0, mesh.triangleCount + 1, o), RangeError);
  assert.throws(() => analyzeRange(mesh.positions, 5, 4, o), RangeError);
  const empty: PartialAnalysis[] = [];
  assert.equal(combineAnalyses(empty).volumeMm3, 0);
});

test('analyzeBinaryStlRange: a range past the end of the bytes is MODEL_TRUNCATED', () => {
  const bytes = binaryStl('x', TETRA);
  const part = analyzeBinaryStlRange(bytes, 0, 4, [0, 0, 0]);
  assert.equal(combineAnalyses([part]).volumeMm3, 1 / 6);
  const cut = bytes.subarray(0, bytes.length - 20);
  const err = throwsCode(() => analyzeBinaryStlRange(cut, 2, 4, [0, 0, 0]), 'MODEL_TRUNCATED');
  assert.match(err.message, /claims 4 triangles \(284 bytes\) but the file has only 264 bytes/);
  assert.equal(analyzeBinaryStlRange(cut, 0, 3, [0, 0, 0]).triangleCount, 3);
  assert.throws(() => analyzeBinaryStlRange(bytes, 0, 5, [0, 0, 0]), RangeError, 'beyond the header count');
  assert.throws(() => analyzeBinaryStlRange(bytes, 0, 4, [0, 0, 0], new Float32Array(10)), RangeError);
});

test('shared positions are readable by a worker thread without copying', async () => {
  const bytes = toBinaryStl(torusMesh(9, 1.25, 64, 32));
  const mesh = readModel(bytes, { shared: true });
  assert.ok(mesh.positions.buffer instanceof SharedArrayBuffer);
  const expected = analyzeMesh(mesh).volumeMm3;
  // The worker writes into the same memory: proof that nothing was copied.
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const p = new Float32Array(workerData);
     let sum = 0;
     for (let i = 0; i < p.length; i++) sum += p[i];
     p[0] = 12345;
     parentPort.postMessage(sum);`,
    { eval: true, workerData: mesh.positions.buffer },
  );
  const sum = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.ok(Number.isFinite(sum));
  assert.equal(mesh.positions[0], 12345);
  assert.ok(expected > 0);
  const ascii = readModel(
    Buffer.from(
      'solid t\nfacet normal 0 0 1 outer loop vertex 0 0 0 vertex 1 0 0 vertex 0 1 0 endloop endfacet\nendsolid t\n',
    ),
    { shared: true },
  );
  assert.ok(ascii.positions.buffer instanceof SharedArrayBuffer);
  assert.ok(parseStl(bytes, { shared: false }).positions.buffer instanceof ArrayBuffer);
});
