import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeMesh, type Mesh } from '../../src/platform/geometry/mesh.js';
import { parseStl } from '../../src/platform/geometry/stl.js';
import {
  cubeMesh,
  cubeStl,
  sphereMesh,
  sphereStl,
  torusMesh,
  torusStl,
} from '../../src/platform/geometry/generate.js';

const near = (actual: number, expected: number, relTol: number, what: string): void =>
  assert.ok(
    Math.abs(actual - expected) <= relTol * Math.abs(expected),
    `${what}: ${actual} is not within ${relTol} (relative) of ${expected}`,
  );

/** Same triangles with the winding reversed (swap vertex 1 and 2). */
function invert(mesh: Mesh): Mesh {
  const p = mesh.positions.slice();
  for (let i = 0; i < p.length; i += 9) {
    for (let k = 0; k < 3; k++) [p[i + 3 + k], p[i + 6 + k]] = [p[i + 6 + k]!, p[i + 3 + k]!];
  }
  return { ...mesh, positions: p };
}

function translate(mesh: Mesh, dx: number, dy: number, dz: number): Mesh {
  const p = mesh.positions.slice();
  for (let i = 0; i < p.length; i += 3) {
    p[i]! += dx;
    p[i + 1]! += dy;
    p[i + 2]! += dz;
  }
  return { ...mesh, positions: p };
}

// Independent closed forms for the faceted shapes (see generate.ts for the derivation):
// each quad is a planar isosceles trapezoid, and each wedge between meridians has volume
// sin(Δθ) × (first moment of the profile polygon about the axis).
const torusFaceted = (R: number, r: number, m: number, n: number): number =>
  (R * r * r * (m * Math.sin((2 * Math.PI) / m)) * (n * Math.sin((2 * Math.PI) / n))) / 2;

function sphereFaceted(radius: number, stacks: number): number {
  const slices = 2 * stacks;
  let frusta = 0; // Σ h (ρ0² + ρ0ρ1 + ρ1²): 3/π × the volume of revolution of the profile
  for (let k = 0; k < stacks; k++) {
    const [a, b] = [(Math.PI * k) / stacks, (Math.PI * (k + 1)) / stacks];
    const [r0, r1] = [radius * Math.sin(a), radius * Math.sin(b)];
    frusta += (radius * Math.cos(a) - radius * Math.cos(b)) * (r0 * r0 + r0 * r1 + r1 * r1);
  }
  return (slices / 6) * Math.sin((2 * Math.PI) / slices) * frusta;
}

test('cube: volume, area and bbox are exact', () => {
  const a = analyzeMesh(parseStl(cubeStl(10)));
  assert.equal(a.volumeMm3, 1000);
  assert.equal(a.signedVolumeMm3, 1000);
  assert.equal(a.areaMm2, 600);
  assert.equal(a.triangleCount, 12);
  assert.equal(a.isInsideOut, false);
  assert.deepEqual(a.bbox, { min: [-5, -5, -5], max: [5, 5, 5] });
  const b = analyzeMesh(cubeMesh(2.5));
  assert.equal(b.volumeMm3, 15.625);
  assert.equal(b.areaMm2, 37.5);
});

test('cube far from the origin keeps its volume (apex shifted onto the model)', () => {
  // 2^20 ± 1 are exact float32s, so the moved cube is still exactly 8 mm³. With the apex at the
  // world origin each tetrahedron term would be ~2^60 and cancel, losing far more than 8 mm³.
  const o = 2 ** 20;
  const moved = analyzeMesh(translate(cubeMesh(2), o, o, o));
  assert.equal(moved.volumeMm3, 8);
  assert.equal(moved.areaMm2, 24);
  assert.deepEqual(moved.bbox, { min: [o - 1, o - 1, o - 1], max: [o + 1, o + 1, o + 1] });
});

test('inside-out mesh: negative signed volume, same absolute volume', () => {
  const a = analyzeMesh(invert(torusMesh(8, 1.5, 32, 16)));
  const b = analyzeMesh(torusMesh(8, 1.5, 32, 16));
  assert.ok(b.signedVolumeMm3 > 0);
  assert.equal(a.signedVolumeMm3, -b.signedVolumeMm3);
  assert.equal(a.volumeMm3, b.volumeMm3);
  assert.equal(a.isInsideOut, true);
  assert.equal(b.isInsideOut, false);
  assert.equal(analyzeMesh(invert(cubeMesh(10))).signedVolumeMm3, -1000);
});

test('torus: matches the faceted closed form, stays below 2π²Rr² and converges to it', () => {
  const [R, r] = [9, 1.25];
  const analytic = 2 * Math.PI ** 2 * R * r * r; // 277.58… mm³
  let previousGap = Infinity;
  // Doubling both segment counts should quarter the error (faceting error is O(1/n²)).
  for (const [m, n] of [
    [16, 8],
    [32, 16],
    [64, 32],
    [128, 64],
    [256, 128],
  ] as const) {
    const a = analyzeMesh(parseStl(torusStl(R, r, m, n)));
    assert.equal(a.triangleCount, 2 * m * n);
    near(a.volumeMm3, torusFaceted(R, r, m, n), 1e-6, `torus ${m}×${n} volume`);
    assert.ok(a.volumeMm3 < analytic, 'facets cut inside the true surface');
    const gap = (analytic - a.volumeMm3) / analytic;
    if (previousGap !== Infinity) {
      const ratio = previousGap / gap;
      assert.ok(ratio > 3.8 && ratio < 4.2, `doubling segments divides the error by ${ratio}, not ~4`);
    }
    previousGap = gap;
    // Area also converges, to 4π²Rr.
    assert.ok(a.areaMm2 < 4 * Math.PI ** 2 * R * r);
  }
  // Leading term of the faceting error: (2π²/3)(1/m² + 1/n²) = 5.02e-4 for 256×128.
  assert.ok(previousGap < 5.1e-4, `256×128 torus is within 0.051% of analytic (${previousGap})`);
  const bbox = analyzeMesh(torusMesh(R, r, 64, 32)).bbox;
  near(bbox.max[0], R + r, 1e-6, 'outer radius');
  near(bbox.max[2], r, 1e-6, 'tube radius');
});

test('sphere: matches the faceted closed form, stays below 4/3πr³ and converges to it', () => {
  const radius = 3;
  const analytic = (4 / 3) * Math.PI * radius ** 3;
  let previousGap = Infinity;
  for (const s of [2, 4, 8, 32, 128]) {
    const a = analyzeMesh(parseStl(sphereStl(radius, s)));
    assert.equal(a.triangleCount, 2 * (2 * s) * (s - 1));
    assert.equal(a.isInsideOut, false);
    near(a.volumeMm3, sphereFaceted(radius, s), 1e-6, `sphere ${s} volume`);
    assert.ok(a.volumeMm3 < analytic);
    const gap = (analytic - a.volumeMm3) / analytic;
    assert.ok(gap < previousGap, `error shrinks with more subdivisions (${gap} vs ${previousGap})`);
    previousGap = gap;
  }
  assert.ok(previousGap < 1e-3, `128-stack sphere is within 0.1% of analytic (${previousGap})`);
  // The coarsest sphere (2 stacks, 4 slices) is an octahedron: volume 4/3 r³ exactly.
  near(analyzeMesh(sphereMesh(radius, 2)).volumeMm3, (4 / 3) * radius ** 3, 1e-6, 'octahedron');
});

test('generators are deterministic and reject impossible shapes', () => {
  assert.deepEqual(torusStl(9, 1, 24, 12), torusStl(9, 1, 24, 12));
  assert.deepEqual(sphereStl(2, 10), sphereStl(2, 10));
  assert.throws(() => torusMesh(1, 2, 8, 8), RangeError);
  assert.throws(() => torusMesh(5, 1, 2, 8), RangeError);
  assert.throws(() => sphereMesh(1, 1), RangeError);
  assert.throws(() => cubeMesh(0), RangeError);
  assert.throws(() => cubeMesh(Number.NaN), RangeError);
});

test('empty mesh analyses to zeros', () => {
  const a = analyzeMesh({ positions: new Float32Array(0), triangleCount: 0, format: 'binary' });
  assert.equal(a.volumeMm3, 0);
  assert.equal(a.areaMm2, 0);
  assert.equal(a.isInsideOut, false);
});
