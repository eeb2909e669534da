import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateMesh } from '../../src/platform/geometry/validate.js';
import { checkTopology, weldVertices } from '../../src/platform/geometry/topology.js';
import { Scratch } from '../../src/platform/geometry/scratch.js';
import type { Mesh } from '../../src/platform/geometry/mesh.js';
import { parseStl } from '../../src/platform/geometry/stl.js';
import { readModel } from '../../src/platform/geometry/read-model.js';
import {
  cubeMesh,
  subdividedCubeMesh,
  testModel,
  toBinaryStl,
  torusMesh,
} from '../../src/platform/geometry/generate.js';
import { binaryStl, lcg, TETRA } from './geometry-helpers.js';

const meshOf = (tris: ArrayLike<number>[]): Mesh => ({
  positions: Float32Array.from(tris.flatMap((t) => Array.from(t))),
  triangleCount: tris.length,
  format: 'binary',
});
const trianglesOf = (m: Mesh): number[][] =>
  Array.from({ length: m.triangleCount }, (_, t) => Array.from(m.positions.subarray(9 * t, 9 * t + 9)));
const moved = (m: Mesh, d: [number, number, number]): number[][] =>
  trianglesOf(m).map((t) => t.map((v, i) => v + d[i % 3]!));
const flipped = (t: number[]): number[] => [...t.slice(0, 3), ...t.slice(6, 9), ...t.slice(3, 6)];

test('closed generated meshes are watertight, and satisfy Euler: V − E + F = 2 (0 for a torus)', () => {
  const cases: Array<[string, Mesh, number]> = [
    ['cube', cubeMesh(3), 2],
    ['subdivided cube', subdividedCubeMesh(10, 7), 2],
    ['torus', testModel('torus', 10_000).mesh, 0],
    ['sphere', testModel('sphere', 10_000).mesh, 2],
  ];
  for (const [name, mesh, euler] of cases) {
    const r = validateMesh(mesh);
    assert.equal(r.watertight, true, name);
    assert.equal(r.openEdges, 0, name);
    assert.equal(r.nonManifoldEdges, 0, name);
    assert.equal(r.misorientedEdges, 0, name);
    assert.equal(r.inverted, false, name);
    assert.deepEqual(r.issues, [], name);
    const t = checkTopology(mesh.positions, mesh.triangleCount);
    assert.equal(t.edgeCount, (3 * mesh.triangleCount) / 2, name);
    assert.equal(t.vertexCount - t.edgeCount + mesh.triangleCount, euler, name);
  }
});

test('a missing triangle leaves 3 open edges; the report says so', () => {
  const tris = trianglesOf(testModel('sphere', 2_000).mesh);
  tris.splice(100, 1);
  const r = validateMesh(meshOf(tris));
  assert.equal(r.watertight, false);
  assert.equal(r.openEdges, 3);
  assert.equal(r.issues[0]!.code, 'MESH_NOT_WATERTIGHT');
  assert.match(r.issues[0]!.message, /not closed: 3 edges belong to only one triangle/);
  // Two separate holes.
  tris.splice(1000, 2);
  assert.ok(validateMesh(meshOf(tris)).openEdges >= 7);
});

test('a duplicated triangle makes 3 non-manifold edges; cubes touching along an edge make 1', () => {
  const tris = trianglesOf(cubeMesh(2));
  const dup = validateMesh(meshOf([...tris, tris[5]!]));
  assert.equal(dup.nonManifoldEdges, 3);
  assert.equal(dup.watertight, false);
  assert.ok(dup.issues.some((i) => i.code === 'MESH_NON_MANIFOLD'));
  const a = moved(cubeMesh(1), [0.5, 0.5, 0.5]);
  const b = moved(cubeMesh(1), [1.5, 1.5, 0.5]);
  const touching = validateMesh(meshOf([...a, ...b]));
  assert.equal(touching.nonManifoldEdges, 1);
  assert.equal(touching.openEdges, 0);
});

test('one flipped triangle: still closed, 3 misoriented edges; all flipped: inverted', () => {
  const tris = trianglesOf(torusMesh(8, 1.5, 24, 12));
  const one = tris.slice();
  one[40] = flipped(one[40]!);
  const r = validateMesh(meshOf(one));
  assert.equal(r.watertight, true);
  assert.equal(r.misorientedEdges, 3);
  assert.deepEqual(
    r.issues.map((i) => i.code),
    ['MESH_MISORIENTED'],
  );
  const all = validateMesh(meshOf(tris.map(flipped)));
  assert.equal(all.inverted, true);
  assert.equal(all.misorientedEdges, 0);
  assert.deepEqual(
    all.issues.map((i) => i.code),
    ['MESH_INVERTED'],
  );
});

test('welding is by exact bit pattern, with −0 equal to +0', () => {
  const tris = TETRA.map((t) => [...t]);
  tris[1]![0] = -0; // same point as the +0 in the other triangles
  assert.equal(validateMesh(meshOf(tris)).watertight, true);
  tris[1]![1] = 1e-30; // a different float, however close
  const r = validateMesh(meshOf(tris));
  assert.equal(r.watertight, false);
  assert.equal(r.openEdges, 4);
  assert.equal(weldVertices(meshOf(tris).positions).vertexCount, 5);
});

test('a triangle soup (nothing shared) has only open edges; the hash table grows as needed', () => {
  const rnd = lcg(3);
  const tris = Array.from({ length: 30_000 }, () => Array.from({ length: 9 }, () => rnd(1_000_000) / 1000));
  const t = checkTopology(meshOf(tris).positions);
  assert.equal(t.vertexCount, 90_000);
  assert.equal(t.openEdges, 90_000);
  assert.equal(t.edgeCount, 90_000);
});

test('degenerate and non-finite triangles and winding come from the analysis', () => {
  const tris = [...TETRA, [0, 0, 0, 1, 0, 0, 2, 0, 0], [NaN, 0, 0, 1, 1, 1, 0, 0, 1]];
  const r = validateMesh(meshOf(tris));
  assert.equal(r.degenerateTriangles, 1);
  assert.equal(r.nonFiniteCoordinates, 1);
  const codes = r.issues.map((i) => i.code);
  assert.ok(codes.includes('MESH_DEGENERATE_TRIANGLES') && codes.includes('MESH_NON_FINITE'), codes.join());
});

test('a binary STL longer than its header count is reported, not rejected', () => {
  const exact = parseStl(binaryStl('x', TETRA));
  assert.equal(validateMesh(exact).triangleCountMismatch, undefined);
  const padded = readModel(Buffer.concat([binaryStl('x', TETRA), Buffer.alloc(100, 9)]));
  const r = validateMesh(padded);
  assert.deepEqual(r.triangleCountMismatch, { claimed: 4, fromFileSize: 6, extraBytes: 100 });
  assert.equal(r.watertight, true);
  const issue = r.issues.find((i) => i.code === 'MESH_TRIANGLE_COUNT_MISMATCH');
  assert.match(
    issue!.message,
    /header says 4 triangles, but the file is 100 bytes longer than that needs \(room for 6\)/,
  );
  // fileInfo can also be passed explicitly.
  assert.equal(
    validateMesh(exact, undefined, { byteLength: 300, claimedTriangles: 4 }).triangleCountMismatch
      ?.extraBytes,
    16,
  );
});

// Its speed (< 300 ms) is the pricing benchmark's to prove; here, that the hash tables stay
// right at full size (welding 500 000 shared vertices, 1.5 M edges).
test('a 1 M-triangle closed mesh is found watertight, with every vertex welded', () => {
  const mesh = parseStl(toBinaryStl(testModel('torus', 1_000_000).mesh));
  assert.equal(mesh.triangleCount, 1_000_000);
  const t = checkTopology(mesh.positions, mesh.triangleCount);
  assert.equal(t.openEdges + t.nonManifoldEdges + t.misorientedEdges, 0);
  assert.equal(t.edgeCount, 1_500_000);
  assert.equal(t.vertexCount, 500_000);
});

test('one scratch reused across meshes gives what fresh arrays give, whatever came before', () => {
  const scratch = new Scratch();
  const open = trianglesOf(testModel('sphere', 2_000).mesh);
  open.splice(7, 1);
  const rnd = lcg(5);
  const soup = Array.from({ length: 3_000 }, () => Array.from({ length: 9 }, () => rnd(1_000_000) / 1000));
  // Large first (the arrays hold its values), then smaller and different ones, then large again.
  const meshes = [
    torusMesh(10, 2, 200, 100),
    meshOf(open),
    meshOf(soup),
    cubeMesh(3),
    meshOf(trianglesOf(torusMesh(8, 1.5, 24, 12)).map(flipped)),
    torusMesh(10, 2, 200, 100),
  ];
  for (const [i, mesh] of meshes.entries())
    assert.deepEqual(
      checkTopology(mesh.positions, mesh.triangleCount, scratch),
      checkTopology(mesh.positions, mesh.triangleCount),
      `mesh ${i}`,
    );
});

test('a scratch array is zeroed when asked, and grows when too small', () => {
  const scratch = new Scratch();
  const a = scratch.int32('a', 10);
  a.fill(7);
  assert.deepEqual([...scratch.int32('a', 10)], Array(10).fill(7), 'reused as it was left');
  assert.deepEqual([...scratch.int32('a', 10, true)], Array(10).fill(0));
  const big = scratch.int32('a', 1_000);
  assert.equal(big.length, 1_000);
  assert.ok(big.every((v) => v === 0));
  assert.notEqual(scratch.int32('b', 10).buffer, big.buffer, 'each name has its own buffer');
});
