/**
 * Model files (STL, binary or ASCII, and OBJ) to one three.js geometry, and its measurements.
 * Imports three.js: only the lazily loaded preview uses this module.
 */
import { BufferGeometry, Float32BufferAttribute, type Mesh } from 'three';
import { OBJLoader } from 'three/examples/jsm/loaders/OBJLoader.js';
import { STLLoader } from 'three/examples/jsm/loaders/STLLoader.js';
import type { ModelFormatHint } from '../api/types';
import type { ModelFigures } from './figures';

/** OBJ is text whose lines start with keywords such as `v`, `f`, `o`; STL is "solid …" or binary. */
function looksLikeObj(bytes: ArrayBuffer): boolean {
  const head = new Uint8Array(bytes, 0, Math.min(bytes.byteLength, 4096));
  if (head.includes(0)) return false;
  const text = new TextDecoder().decode(head);
  if (/^\s*solid\b/.test(text)) return false;
  return /^\s*v\s+[-+.\d]/m.test(text);
}

function positionsOf(geometry: BufferGeometry): Float32Array {
  const flat = geometry.index ? geometry.toNonIndexed() : geometry;
  const position = flat.getAttribute('position');
  const out = new Float32Array(position.count * 3);
  for (let i = 0; i < position.count; i++) {
    out[i * 3] = position.getX(i);
    out[i * 3 + 1] = position.getY(i);
    out[i * 3 + 2] = position.getZ(i);
  }
  if (flat !== geometry) flat.dispose();
  return out;
}

function objPositions(bytes: ArrayBuffer): Float32Array {
  const group = new OBJLoader().parse(new TextDecoder().decode(bytes));
  const parts: Float32Array[] = [];
  group.updateMatrixWorld(true);
  group.traverse((object) => {
    if (!(object as Mesh).isMesh) return;
    const geometry = (object as Mesh).geometry.clone().applyMatrix4(object.matrixWorld);
    parts.push(positionsOf(geometry));
    geometry.dispose();
    (object as Mesh).geometry.dispose();
  });
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function stlPositions(bytes: ArrayBuffer): Float32Array {
  let geometry: BufferGeometry;
  try {
    geometry = new STLLoader().parse(bytes);
  } catch {
    throw new Error('The file is not a readable STL model.');
  }
  const out = positionsOf(geometry);
  geometry.dispose();
  return out;
}

/**
 * One non-indexed geometry (3 vertices per triangle) with flat normals. Throws a readable
 * error for a file without triangles.
 */
export function parseModel(bytes: ArrayBuffer, hint: ModelFormatHint): BufferGeometry {
  const obj = hint === 'obj' || (hint === undefined && looksLikeObj(bytes));
  const positions = obj ? objPositions(bytes) : stlPositions(bytes);
  if (positions.length < 9 || positions.some((v) => !Number.isFinite(v))) {
    throw new Error('The model file has no triangles the preview can show.');
  }
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new Float32BufferAttribute(positions, 3));
  geometry.computeVertexNormals();
  return geometry;
}

/**
 * Bounding box, volume and triangle count, in mm. The volume is the sum of signed tetrahedra
 * from the first vertex (close to the model, so the terms do not cancel badly), in float64.
 */
export function measureGeometry(geometry: BufferGeometry, mmPerUnit: number): ModelFigures {
  const p = geometry.getAttribute('position').array;
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < p.length; i++) {
    const axis = i % 3;
    const v = p[i]!;
    if (v < min[axis]!) min[axis] = v;
    if (v > max[axis]!) max[axis] = v;
  }
  const [ox, oy, oz] = [p[0]!, p[1]!, p[2]!];
  let sixVolume = 0;
  for (let i = 0; i + 8 < p.length; i += 9) {
    const ax = p[i]! - ox,
      ay = p[i + 1]! - oy,
      az = p[i + 2]! - oz;
    const bx = p[i + 3]! - ox,
      by = p[i + 4]! - oy,
      bz = p[i + 5]! - oz;
    const cx = p[i + 6]! - ox,
      cy = p[i + 7]! - oy,
      cz = p[i + 8]! - oz;
    sixVolume += ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
  }
  const size = (axis: number) => (max[axis]! - min[axis]!) * mmPerUnit;
  return {
    dimensionsMm: [size(0), size(1), size(2)],
    volumeMm3: (Math.abs(sixVolume) / 6) * mmPerUnit ** 3,
    triangleCount: p.length / 9,
  };
}
