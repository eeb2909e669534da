/**
 * Deterministic test/demo models: closed, watertight (seam vertices are shared exactly), wound
 * counter-clockwise seen from outside (positive signed volume), centred on the origin, in mm.
 *
 * Faceting: vertices lie ON the true surface, so the flat facets cut inside it and a curved
 * mesh's volume is slightly SMALLER than the analytic one, converging to it as segments grow.
 * Every quad below is an isosceles trapezoid (mirror-symmetric about the plane halfway between
 * its two meridians), hence planar, which makes the faceted volumes exact closed forms too:
 *
 *   torus(R, r, m, n):   analytic 2π²Rr²
 *                        mesh     R r² · (m sin(2π/m)) · (n sin(2π/n)) / 2
 *   sphere(r, s):        analytic 4/3 π r³   (s stacks, 2s slices)
 *                        mesh     (2s/6) sin(2π/2s) · Σₖ (zₖ − zₖ₊₁)(ρₖ² + ρₖρₖ₊₁ + ρₖ₊₁²),
 *                                 zₖ = r cos(πk/s), ρₖ = r sin(πk/s)
 *   cube(a), subdivided: a³ exactly, area 6a² (every vertex lies on the cube's faces).
 * (Each wedge between two meridians has volume sin(Δθ) × the profile polygon's first moment
 * about the axis; summing gives the formulas, exported below as torusFacetedVolume and
 * sphereFacetedVolume.) Float32 storage adds ~1e-7 relative error.
 */
import type { Mesh } from './mesh.js';
import { toBinaryStl } from './stl-write.js';

export { toAsciiStl, toBinaryStl } from './stl-write.js';
export { toObj } from './obj-write.js';

type P = readonly [number, number, number];

/** Collects triangles into a right-sized Float32Array. */
class Builder {
  private readonly positions: Float32Array;
  private o = 0;
  constructor(private readonly triangleCount: number) {
    this.positions = new Float32Array(triangleCount * 9);
  }
  tri(a: P, b: P, c: P): void {
    this.positions.set(a, this.o);
    this.positions.set(b, this.o + 3);
    this.positions.set(c, this.o + 6);
    this.o += 9;
  }
  /** Quad a-b-c-d, counter-clockwise from outside, as two triangles. */
  quad(a: P, b: P, c: P, d: P): void {
    this.tri(a, b, c);
    this.tri(a, c, d);
  }
  mesh(): Mesh {
    if (this.o !== this.positions.length) throw new Error('generator emitted the wrong number of triangles');
    return { positions: this.positions, triangleCount: this.triangleCount, format: 'binary' };
  }
}

function assertInt(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${v}`);
}

function assertPositive(name: string, v: number): void {
  if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`${name} must be a positive number, got ${v}`);
}

/** Axis-aligned cube of edge `sizeMm` centred on the origin: 12 triangles. */
export function cubeMesh(sizeMm: number): Mesh {
  assertPositive('sizeMm', sizeMm);
  const h = sizeMm / 2;
  // Corner index = x + 2y + 4z, each bit choosing -h or +h.
  const c = (i: number): P => [i & 1 ? h : -h, i & 2 ? h : -h, i & 4 ? h : -h];
  const b = new Builder(12);
  b.quad(c(4), c(5), c(7), c(6)); // +z
  b.quad(c(0), c(2), c(3), c(1)); // -z
  b.quad(c(1), c(3), c(7), c(5)); // +x
  b.quad(c(0), c(4), c(6), c(2)); // -x
  b.quad(c(2), c(6), c(7), c(3)); // +y
  b.quad(c(0), c(1), c(5), c(4)); // -y
  return b.mesh();
}

/**
 * Torus around the z axis: major radius R (axis to tube centre), minor radius r (tube), with
 * `segmentsMajor` steps around the axis and `segmentsMinor` around the tube: 2·m·n triangles.
 * A ring of inner diameter 18 mm and 2 mm wire is torusMesh(10, 1, …).
 */
export function torusMesh(R: number, r: number, segmentsMajor: number, segmentsMinor: number): Mesh {
  assertPositive('r', r);
  if (!(R > r) || !Number.isFinite(R)) throw new RangeError(`R must exceed r (${r}), got ${R}`);
  assertInt('segmentsMajor', segmentsMajor, 3);
  assertInt('segmentsMinor', segmentsMinor, 3);
  const m = segmentsMajor;
  const n = segmentsMinor;
  // grid[i][j]: u = 2πi/m around the axis, v = 2πj/n around the tube. Indices wrap with % so
  // the seam reuses identical vertices and the mesh is exactly closed.
  const grid: P[][] = [];
  for (let i = 0; i < m; i++) {
    const u = (2 * Math.PI * i) / m;
    const row: P[] = [];
    for (let j = 0; j < n; j++) {
      const v = (2 * Math.PI * j) / n;
      const rho = R + r * Math.cos(v);
      row.push([rho * Math.cos(u), rho * Math.sin(u), r * Math.sin(v)]);
    }
    grid.push(row);
  }
  const at = (i: number, j: number): P => grid[i % m]![j % n]!;
  const b = new Builder(2 * m * n);
  // ∂p/∂u × ∂p/∂v points away from the tube centre, so (i,j)→(i+1,j)→(i+1,j+1) is CCW outside.
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) b.quad(at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1));
  }
  return b.mesh();
}

/**
 * UV sphere centred on the origin: `subdivisions` stacks pole to pole and twice as many
 * slices around, triangle fans at the poles: 2·slices·(stacks − 1) triangles.
 */
export function sphereMesh(radius: number, subdivisions: number): Mesh {
  assertPositive('radius', radius);
  assertInt('subdivisions', subdivisions, 2);
  const stacks = subdivisions;
  const slices = 2 * subdivisions;
  const ring = (k: number): P[] => {
    const phi = (Math.PI * k) / stacks; // polar angle from +z
    // Exact poles: sin(π) is 1.2e-16, not 0, and would leave a pin-hole of slivers.
    const s = k === 0 || k === stacks ? 0 : Math.sin(phi);
    const z = k === 0 ? radius : k === stacks ? -radius : radius * Math.cos(phi);
    const out: P[] = [];
    for (let j = 0; j < slices; j++) {
      const t = (2 * Math.PI * j) / slices;
      out.push([radius * s * Math.cos(t), radius * s * Math.sin(t), z]);
    }
    return out;
  };
  const rings = Array.from({ length: stacks + 1 }, (_, k) => ring(k));
  const at = (k: number, j: number): P => rings[k]![j % slices]!;
  const b = new Builder(2 * slices * (stacks - 1));
  // ∂p/∂φ × ∂p/∂θ points outwards, so (k,j)→(k+1,j)→(k+1,j+1) is CCW seen from outside.
  for (let k = 0; k < stacks; k++) {
    for (let j = 0; j < slices; j++) {
      const a = at(k, j),
        p = at(k + 1, j),
        c = at(k + 1, j + 1),
        d = at(k, j + 1);
      if (k === 0)
        b.tri(a, p, c); // north cap: a and d are both the pole
      else if (k === stacks - 1)
        b.tri(a, c, d); // south cap: p and c are both the pole
      else b.quad(a, p, c, d);
    }
  }
  return b.mesh();
}

/**
 * Axis-aligned cube of edge `sizeMm` centred on the origin, each face an n × n grid of squares:
 * 12·n² triangles. Every coordinate is computed from its integer grid index by one formula, so
 * the faces share their border vertices bit for bit and the mesh is exactly closed.
 */
export function subdividedCubeMesh(sizeMm: number, n: number): Mesh {
  assertPositive('sizeMm', sizeMm);
  assertInt('n', n, 1);
  const h = sizeMm / 2;
  const coord = (k: number): number => (k === n ? h : -h + (sizeMm * k) / n);
  // [fixed axis, fixed index, u axis, v axis] with u × v pointing outwards.
  const faces: ReadonlyArray<readonly [number, number, number, number]> = [
    [0, n, 1, 2],
    [0, 0, 2, 1],
    [1, n, 2, 0],
    [1, 0, 0, 2],
    [2, n, 0, 1],
    [2, 0, 1, 0],
  ];
  const b = new Builder(12 * n * n);
  for (const [axis, fixed, u, v] of faces) {
    const at = (i: number, j: number): P => {
      const idx = [0, 0, 0];
      idx[axis] = fixed;
      idx[u] = i;
      idx[v] = j;
      return [coord(idx[0]!), coord(idx[1]!), coord(idx[2]!)];
    };
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) b.quad(at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1));
    }
  }
  return b.mesh();
}

/** Exact volume of torusMesh(R, r, m, n) (before float32 rounding); see the module comment. */
export function torusFacetedVolume(R: number, r: number, m: number, n: number): number {
  return (R * r * r * (m * Math.sin((2 * Math.PI) / m)) * (n * Math.sin((2 * Math.PI) / n))) / 2;
}

/** Exact volume of sphereMesh(radius, stacks) (before float32 rounding). */
export function sphereFacetedVolume(radius: number, stacks: number): number {
  const slices = 2 * stacks;
  let frusta = 0;
  for (let k = 0; k < stacks; k++) {
    const r0 = radius * Math.sin((Math.PI * k) / stacks);
    const r1 = radius * Math.sin((Math.PI * (k + 1)) / stacks);
    const dz = radius * (Math.cos((Math.PI * k) / stacks) - Math.cos((Math.PI * (k + 1)) / stacks));
    frusta += dz * (r0 * r0 + r0 * r1 + r1 * r1);
  }
  return (slices / 6) * Math.sin((2 * Math.PI) / slices) * frusta;
}

export type TestShape = 'torus' | 'sphere' | 'cube';

export interface TestModel {
  shape: TestShape;
  /** e.g. "torus R10 r2, 1000×500". */
  label: string;
  mesh: Mesh;
  /** Volume of the true (curved) solid. */
  analyticVolumeMm3: number;
  /** Exact volume of the faceted mesh. */
  facetedVolumeMm3: number;
}

/**
 * A closed model of about `triangles` triangles (±2%) and known volume, for tests and the
 * benchmark: a ring (torus R 10, r 2, twice as many steps around as across), a ball (sphere
 * r 5) or a subdivided 10 mm cube.
 */
export function testModel(shape: TestShape, triangles: number): TestModel {
  assertPositive('triangles', triangles);
  if (shape === 'torus') {
    const n = Math.max(3, Math.round(Math.sqrt(triangles / 4)));
    return {
      shape,
      label: `torus R10 r2, ${2 * n}×${n}`,
      mesh: torusMesh(10, 2, 2 * n, n),
      analyticVolumeMm3: 2 * Math.PI ** 2 * 10 * 2 * 2,
      facetedVolumeMm3: torusFacetedVolume(10, 2, 2 * n, n),
    };
  }
  if (shape === 'sphere') {
    const s = Math.max(2, Math.round((1 + Math.sqrt(1 + triangles)) / 2));
    return {
      shape,
      label: `sphere r5, ${s} stacks`,
      mesh: sphereMesh(5, s),
      analyticVolumeMm3: (4 / 3) * Math.PI * 125,
      facetedVolumeMm3: sphereFacetedVolume(5, s),
    };
  }
  const n = Math.max(1, Math.round(Math.sqrt(triangles / 12)));
  return {
    shape,
    label: `cube 10 mm, ${n}×${n} per face`,
    mesh: subdividedCubeMesh(10, n),
    analyticVolumeMm3: 1000,
    facetedVolumeMm3: 1000,
  };
}

/** Binary STL of cubeMesh(sizeMm). */
export function cubeStl(sizeMm: number): Buffer {
  return toBinaryStl(cubeMesh(sizeMm));
}

/** Binary STL of torusMesh(R, r, segmentsMajor, segmentsMinor). */
export function torusStl(R: number, r: number, segmentsMajor: number, segmentsMinor: number): Buffer {
  return toBinaryStl(torusMesh(R, r, segmentsMajor, segmentsMinor));
}

/** Binary STL of sphereMesh(radius, subdivisions). */
export function sphereStl(radius: number, subdivisions: number): Buffer {
  return toBinaryStl(sphereMesh(radius, subdivisions));
}
