/**
 * The in-memory triangle mesh and the measurements pricing needs from it.
 *
 * A mesh is one flat Float32Array (9 floats per triangle: x0 y0 z0 x1 y1 z1 x2 y2 z2) rather
 * than an object per triangle: a few million triangles then cost 36 bytes each and no GC work.
 * Units are whatever the file used; STL has no units and the platform treats them as mm.
 */

export interface Mesh {
  /** 9 floats per triangle; vertices in counter-clockwise order seen from outside. */
  positions: Float32Array;
  triangleCount: number;
  /** The STL flavour the mesh was read from (generated meshes say 'binary'). */
  format: 'binary' | 'ascii';
}

export type Vec3 = [number, number, number];

export interface MeshAnalysis {
  /** |signedVolumeMm3|: what pricing uses, whatever the winding. */
  volumeMm3: number;
  /** Positive when triangles wind counter-clockwise seen from outside (normals point out). */
  signedVolumeMm3: number;
  areaMm2: number;
  bbox: { min: Vec3; max: Vec3 };
  triangleCount: number;
  /** True when the signed volume is negative: every triangle is wound the wrong way round. */
  isInsideOut: boolean;
}

/**
 * Volume, surface area and bounding box in one pass over the triangles.
 *
 * Volume is the divergence-theorem sum of signed tetrahedra (apex, a, b, c) / 6. It is exact
 * for a closed mesh whatever apex is used, but rounding is not: with the apex at the world
 * origin, a ring modelled 500 mm away from the origin sums large terms that cancel. So the apex
 * is the first vertex (on the model, hence near every triangle), and all sums are float64.
 * For an open (non-watertight) mesh the "volume" depends on the apex and means little; this
 * function does not check watertightness.
 */
export function analyzeMesh(mesh: Mesh): MeshAnalysis {
  const p = mesh.positions;
  const n = mesh.triangleCount;
  if (n === 0) {
    return {
      volumeMm3: 0,
      signedVolumeMm3: 0,
      areaMm2: 0,
      bbox: { min: [0, 0, 0], max: [0, 0, 0] },
      triangleCount: 0,
      isInsideOut: false,
    };
  }
  if (p.length < n * 9) throw new RangeError(`mesh has ${p.length} floats, ${n} triangles need ${n * 9}`);

  // Apex (origin of the tetrahedra). `!` is safe: n > 0 and length checked above.
  const ox = p[0]!;
  const oy = p[1]!;
  const oz = p[2]!;
  let minX = ox,
    minY = oy,
    minZ = oz,
    maxX = ox,
    maxY = oy,
    maxZ = oz;
  let six = 0; // 6 × signed volume
  let twiceArea = 0;

  for (let i = 0, end = n * 9; i < end; i += 9) {
    const ax = p[i]!,
      ay = p[i + 1]!,
      az = p[i + 2]!;
    const bx = p[i + 3]!,
      by = p[i + 4]!,
      bz = p[i + 5]!;
    const cx = p[i + 6]!,
      cy = p[i + 7]!,
      cz = p[i + 8]!;

    // Bounding box.
    if (ax < minX) minX = ax;
    if (ax > maxX) maxX = ax;
    if (bx < minX) minX = bx;
    if (bx > maxX) maxX = bx;
    if (cx < minX) minX = cx;
    if (cx > maxX) maxX = cx;
    if (ay < minY) minY = ay;
    if (ay > maxY) maxY = ay;
    if (by < minY) minY = by;
    if (by > maxY) maxY = by;
    if (cy < minY) minY = cy;
    if (cy > maxY) maxY = cy;
    if (az < minZ) minZ = az;
    if (az > maxZ) maxZ = az;
    if (bz < minZ) minZ = bz;
    if (bz > maxZ) maxZ = bz;
    if (cz < minZ) minZ = cz;
    if (cz > maxZ) maxZ = cz;

    // Vertices relative to the apex.
    const ux = ax - ox,
      uy = ay - oy,
      uz = az - oz;
    const vx = bx - ox,
      vy = by - oy,
      vz = bz - oz;
    const wx = cx - ox,
      wy = cy - oy,
      wz = cz - oz;
    // Triple product u · (v × w) = 6 × signed tetrahedron volume.
    six += ux * (vy * wz - vz * wy) + uy * (vz * wx - vx * wz) + uz * (vx * wy - vy * wx);

    // Area: |(b - a) × (c - a)| / 2.
    const e1x = vx - ux,
      e1y = vy - uy,
      e1z = vz - uz;
    const e2x = wx - ux,
      e2y = wy - uy,
      e2z = wz - uz;
    const nx = e1y * e2z - e1z * e2y;
    const ny = e1z * e2x - e1x * e2z;
    const nz = e1x * e2y - e1y * e2x;
    twiceArea += Math.sqrt(nx * nx + ny * ny + nz * nz);
  }

  const signed = six / 6;
  return {
    volumeMm3: Math.abs(signed),
    signedVolumeMm3: signed,
    areaMm2: twiceArea / 2,
    bbox: { min: [minX, minY, minZ], max: [maxX, maxY, maxZ] },
    triangleCount: n,
    isInsideOut: signed < 0,
  };
}
