/** Shared by the geometry-*.test.ts files (not a test file itself). */
import assert from 'node:assert/strict';
import {
  isModelError,
  type ModelError,
  type ModelErrorCode,
} from '../../src/platform/geometry/stl-errors.js';

/** Runs fn, requires it to throw a ModelError with `code` and `status`, and returns the error. */
export function throwsCode(fn: () => unknown, code: ModelErrorCode, status = 422): ModelError {
  try {
    fn();
  } catch (err) {
    assert.ok(isModelError(err), `expected a ModelError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.equal(err.statusCode, status);
    return err;
  }
  assert.fail(`expected ${code} to be thrown`);
}

export function near(actual: number, expected: number, relTol: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= relTol * Math.abs(expected),
    `${what}: ${actual} is not within ${relTol} (relative) of ${expected} (off by ${Math.abs(actual - expected) / Math.abs(expected)})`,
  );
}

/** A hand-written binary STL: header text, triangles as 9 numbers each. */
export function binaryStl(header: string, triangles: number[][], claimed = triangles.length): Buffer {
  const b = Buffer.alloc(84 + 50 * triangles.length);
  b.write(header, 0, 'latin1');
  b.writeUInt32LE(claimed, 80);
  triangles.forEach((t, i) => t.forEach((v, k) => b.writeFloatLE(v, 84 + 50 * i + 12 + 4 * k)));
  return b;
}

/**
 * The plainest possible float64 reference: Σ a·(b×c)/6 with the apex at the world origin, and
 * Σ |(b−a)×(c−a)|/2, over the same float32 vertices.
 */
export function referenceVolumeArea(p: Float32Array, triangles: number): { volume: number; area: number } {
  let volume = 0;
  let area = 0;
  for (let i = 0; i < triangles * 9; i += 9) {
    const ax = p[i]!;
    const ay = p[i + 1]!;
    const az = p[i + 2]!;
    const bx = p[i + 3]!;
    const by = p[i + 4]!;
    const bz = p[i + 5]!;
    const cx = p[i + 6]!;
    const cy = p[i + 7]!;
    const cz = p[i + 8]!;
    volume += (ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx)) / 6;
    const ux = bx - ax;
    const uy = by - ay;
    const uz = bz - az;
    const vx = cx - ax;
    const vy = cy - ay;
    const vz = cz - az;
    area += Math.hypot(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx) / 2;
  }
  return { volume, area };
}

// One right tetrahedron (0,0,0),(1,0,0),(0,1,0),(0,0,1), outward winding: volume 1/6.
export const TETRA = [
  [0, 0, 0, 0, 1, 0, 1, 0, 0],
  [0, 0, 0, 1, 0, 0, 0, 0, 1],
  [0, 0, 0, 0, 0, 1, 0, 1, 0],
  [1, 0, 0, 0, 1, 0, 0, 0, 1],
];

/** Deterministic pseudo-random integers in [0, n) (mulberry32: exact 32-bit arithmetic). */
export function lcg(seed: number): (n: number) => number {
  let s = seed | 0;
  return (n) => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}
