/**
 * The pricing engine on real worker threads: the parallel measurement equals the one-pass one,
 * and a worker that crashes or hangs has its task retried on a fresh worker, a bounded number
 * of times, without taking the process down.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeMesh } from '../../src/platform/geometry/mesh.js';
import { sphereMesh, toAsciiStl, toBinaryStl, torusMesh } from '../../src/platform/geometry/generate.js';
import { PricingEngine } from '../../src/pricing/engine/engine.js';
import { PricingPool, PricingWorkFailedError } from '../../src/pricing/engine/pool.js';
import type { WorkerFault } from '../../src/pricing/engine/tasks.js';

describe('pricing engine on the worker pool', () => {
  const pools: PricingPool[] = [];
  const engine = (fault?: () => WorkerFault | undefined, taskTimeoutMs = 5000) => {
    const pool = new PricingPool({ threads: 2, taskTimeoutMs, attempts: 3, ...(fault ? { fault } : {}) });
    pools.push(pool);
    return new PricingEngine(pool, { maxTriangles: 5_000_000 });
  };
  after(async () => Promise.all(pools.map((p) => p.close())));

  test('a large mesh split over the workers measures as one pass does', async () => {
    const mesh = torusMesh(10, 2, 400, 150); // 120 000 triangles: several ranges
    const expected = analyzeMesh(mesh);
    const e = engine();
    const stages: string[] = [];
    const m = await e.measure(toBinaryStl(mesh), { filename: 'ring.stl', units: 'mm' }, (p) =>
      stages.push(p.stage),
    );
    assert.equal(m.figures.triangleCount, mesh.triangleCount);
    assert.ok(Math.abs(m.figures.volumeMm3 - expected.volumeMm3) / expected.volumeMm3 < 1e-12);
    assert.ok(Math.abs(m.figures.areaMm2 - expected.areaMm2) / expected.areaMm2 < 1e-12);
    assert.deepEqual(m.bbox, expected.bbox);
    assert.equal(m.validation.watertight, true);
    assert.ok(stages.filter((s) => s === 'parse').length > 2, `progress per range: ${stages.join(',')}`);
    const ascii = await e.measure(toAsciiStl(mesh), { filename: 'ring.stl', units: 'mm' });
    assert.equal(ascii.format, 'ascii');
    assert.ok(Math.abs(ascii.figures.volumeMm3 - expected.volumeMm3) / expected.volumeMm3 < 1e-6);
  });

  test('models priced one after another in reused buffers measure as on a fresh engine', async () => {
    const e = engine();
    const fresh = () => engine();
    const large = torusMesh(10, 2, 300, 150);
    const small = sphereMesh(5, 20);
    const holed = { ...large, positions: large.positions.slice(9), triangleCount: large.triangleCount - 1 };
    // Large, then smaller ones in buffers that still hold the large one's bytes, then large again.
    for (const mesh of [large, small, holed, large]) {
      const bytes = toBinaryStl(mesh);
      const shared = new Uint8Array(e.buffers.take(bytes.length), 0, bytes.length);
      shared.set(bytes);
      const got = await e.measure(shared, { filename: 'm.stl', units: 'mm' });
      e.buffers.give(shared.buffer as SharedArrayBuffer);
      const want = await fresh().measure(bytes, { filename: 'm.stl', units: 'mm' });
      assert.deepEqual({ ...got, stageMs: {} }, { ...want, stageMs: {} }, `${mesh.triangleCount} triangles`);
    }
    assert.ok(e.buffers.keptBytes >= 2 * toBinaryStl(large).length, 'file and positions buffers kept');
  });

  test('a stored file measured by the workers reading it themselves measures as its bytes do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atelier-engine-'));
    try {
      const e = engine();
      const torus = torusMesh(10, 2, 300, 150);
      const files: Array<[string, Buffer]> = [
        ['binary', toBinaryStl(torus)],
        ['ascii', toAsciiStl(sphereMesh(5, 12))],
        ['longer than its header says', Buffer.concat([toBinaryStl(torus), Buffer.alloc(100)])],
      ];
      for (const [what, bytes] of files) {
        const path = join(dir, 'm.stl');
        writeFileSync(path, bytes);
        const got = await e.measureFile({ path, size: bytes.length }, { filename: 'm.stl', units: 'mm' });
        const want = await e.measure(bytes, { filename: 'm.stl', units: 'mm' });
        assert.deepEqual({ ...got, stageMs: {} }, { ...want, stageMs: {} }, what);
      }
      // A header claiming more triangles than the limit: refused before anything is read.
      const huge = Buffer.alloc(84 + 50 * 2);
      huge.writeUInt32LE(2, 80);
      const path = join(dir, 'huge.stl');
      writeFileSync(path, huge);
      const small = new PricingEngine(e.pool, { maxTriangles: 1 });
      await assert.rejects(
        small.measureFile({ path, size: huge.length }, { filename: 'huge.stl', units: 'mm' }),
        (err: Error & { code?: string }) => err.code === 'MODEL_TOO_LARGE',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the validation report: a flipped triangle and bytes beyond the header are named', async () => {
    const mesh = sphereMesh(5, 12);
    const flipped = new Float32Array(mesh.positions);
    // Swap two corners of triangle 0: it now faces inwards against its neighbours.
    for (let k = 0; k < 3; k++) [flipped[3 + k], flipped[6 + k]] = [flipped[6 + k]!, flipped[3 + k]!];
    const e = engine();
    const bad = await e.measure(toBinaryStl({ ...mesh, positions: flipped }), {
      filename: 's.stl',
      units: 'mm',
    });
    assert.ok(bad.validation.misorientedEdges > 0);
    assert.ok(bad.validation.issues.some((i) => i.code === 'MESH_MISORIENTED'));
    const padded = Buffer.concat([toBinaryStl(mesh), Buffer.alloc(100)]);
    const m = await e.measure(padded, { filename: 's.stl', units: 'mm' });
    assert.deepEqual(
      m.validation.issues.map((i) => i.code),
      ['MESH_TRIANGLE_COUNT_MISMATCH'],
    );
    assert.equal(m.validation.triangleCountMismatch?.extraBytes, 100);
  });

  test('a worker that crashes once: the task is retried on a fresh worker and succeeds', async () => {
    let calls = 0;
    const e = engine(() => (calls++ === 0 ? 'crash' : undefined));
    const sphere = sphereMesh(5, 20);
    const m = await e.measure(toBinaryStl(sphere), { filename: 's.stl', units: 'mm' });
    assert.equal(m.figures.triangleCount, sphere.triangleCount);
    assert.ok(e.pool.retries >= 1);
  });

  test('workers that always crash or hang: a typed failure after the bounded tries', async () => {
    for (const fault of ['crash', 'hang'] as const) {
      const e = engine(() => fault, 300);
      const started = Date.now();
      await assert.rejects(
        e.measure(toBinaryStl(sphereMesh(5, 8)), { filename: 's.stl', units: 'mm' }),
        (err: unknown) => {
          assert.ok(err instanceof PricingWorkFailedError);
          assert.match((err as Error).message, fault === 'hang' ? /300 ms limit/ : /worker failed/);
          assert.match((err as Error).message, /3 tries/);
          return true;
        },
      );
      assert.ok(Date.now() - started < 10_000);
    }
    // The pool still works for the next model.
    const healthy = engine();
    const m = await healthy.measure(toBinaryStl(sphereMesh(5, 8)), { filename: 's.stl', units: 'mm' });
    assert.ok(m.figures.volumeMm3 > 0);
  });
});
