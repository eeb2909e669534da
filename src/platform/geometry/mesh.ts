/**
 * The in-memory triangle mesh and the measurements pricing needs from it.
 *
 * A mesh is one flat Float32Array (9 floats per triangle: x0 y0 z0 x1 y1 z1 x2 y2 z2) rather
 * than an object per triangle: a few million triangles then cost 36 bytes each and no GC work.
 * Units are whatever the file used; STL and OBJ have none and the platform treats them as mm
 * unless the uploader says otherwise (units.ts).
 */
import { analyzeRange, combineAnalyses, meshOrigin } from './analysis.js';

export { allocatePositions } from './positions.js';

/** Where the mesh came from: binary or ASCII STL, or OBJ (generated meshes say 'binary'). */
export type MeshFormat = 'binary' | 'ascii' | 'obj';

/** Facts about the uploaded file that validation reports on (see validate.ts). */
export interface ModelFileInfo {
  byteLength: number;
  /** Binary STL only: the triangle count its header claims. */
  claimedTriangles?: number;
}

export interface Mesh {
  /** 9 floats per triangle; vertices in counter-clockwise order seen from outside. */
  positions: Float32Array;
  triangleCount: number;
  format: MeshFormat;
  /** Set by the readers; absent on generated meshes. */
  file?: ModelFileInfo;
}

export type Vec3 = [number, number, number];

export interface MeshAnalysis {
  /** |signedVolumeMm3|: what pricing uses, whatever the winding. */
  volumeMm3: number;
  /** Positive when triangles wind counter-clockwise seen from outside (normals point out). */
  signedVolumeMm3: number;
  areaMm2: number;
  bbox: { min: Vec3; max: Vec3 };
  /** bbox.max − bbox.min per axis. */
  dimensions: Vec3;
  triangleCount: number;
  /** True when the signed volume is negative: every triangle is wound the wrong way round. */
  isInsideOut: boolean;
  /** Triangles with (next to) no area: collinear or repeated vertices. */
  degenerateTriangles: number;
  /** NaN or ±Infinity coordinates; their triangles are left out of every sum. */
  nonFiniteCoordinates: number;
}

/**
 * Volume, surface area and bounding box in one pass: the one-call form of analyzeRange over
 * the whole mesh (analysis.ts explains the method and its precision). It does not check that
 * the mesh is closed; validate.ts does.
 */
export function analyzeMesh(mesh: Mesh): MeshAnalysis {
  const n = mesh.triangleCount;
  return combineAnalyses([analyzeRange(mesh.positions, 0, n, meshOrigin(mesh.positions, n))]);
}
