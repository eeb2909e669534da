/**
 * STL writers, the inverse of the readers: used by the generators, the demo catalog and tests.
 * Output is deterministic (no timestamps in the header) so fixtures and hashes are stable.
 */
import type { Mesh } from './mesh.js';

/** Header text; deliberately not starting with "solid" so naive readers don't take it for ASCII. */
const HEADER = 'binary STL written by atelier platform/geometry';

/** Unit normal of triangle t from its winding (zero for a degenerate triangle). */
function facetNormal(p: Float32Array, t: number): [number, number, number] {
  const i = t * 9;
  const e1x = p[i + 3]! - p[i]!,
    e1y = p[i + 4]! - p[i + 1]!,
    e1z = p[i + 5]! - p[i + 2]!;
  const e2x = p[i + 6]! - p[i]!,
    e2y = p[i + 7]! - p[i + 1]!,
    e2z = p[i + 8]! - p[i + 2]!;
  const nx = e1y * e2z - e1z * e2y;
  const ny = e1z * e2x - e1x * e2z;
  const nz = e1x * e2y - e1y * e2x;
  const len = Math.sqrt(nx * nx + ny * ny + nz * nz);
  return len > 0 ? [nx / len, ny / len, nz / len] : [0, 0, 0];
}

export function toBinaryStl(mesh: Mesh, header: string = HEADER): Buffer {
  const n = mesh.triangleCount;
  const out = Buffer.alloc(84 + 50 * n); // zero-filled: header padding and attribute words
  out.write(header.slice(0, 80), 0, 'latin1');
  out.writeUInt32LE(n, 80);
  const p = mesh.positions;
  let o = 84;
  for (let t = 0; t < n; t++) {
    const [nx, ny, nz] = facetNormal(p, t);
    out.writeFloatLE(nx, o);
    out.writeFloatLE(ny, o + 4);
    out.writeFloatLE(nz, o + 8);
    for (let k = 0; k < 9; k++) out.writeFloatLE(p[t * 9 + k]!, o + 12 + 4 * k);
    o += 50;
  }
  return out;
}

/**
 * A float32 as decimal text that reads back to the identical float32 (9 significant digits
 * always suffice for float32), so an ASCII copy of a mesh has bit-identical vertices. Integers
 * print plainly; the rest keep toPrecision's trailing zeros, which is valid STL and much faster
 * than trimming them.
 */
function num(v: number): string {
  return Number.isInteger(v) && Math.abs(v) < 1e9 ? String(v) : v.toPrecision(9);
}

export function toAsciiStl(mesh: Mesh, name = 'atelier'): Buffer {
  const p = mesh.positions;
  // Text is flushed to a Buffer every 4096 facets: holding millions of small strings until one
  // final join spends most of the time in the garbage collector.
  const chunks: Buffer[] = [];
  let text = `solid ${name}\n`;
  for (let t = 0; t < mesh.triangleCount; t++) {
    const [nx, ny, nz] = facetNormal(p, t);
    const i = t * 9;
    text +=
      `  facet normal ${num(nx)} ${num(ny)} ${num(nz)}\n    outer loop\n` +
      `      vertex ${num(p[i]!)} ${num(p[i + 1]!)} ${num(p[i + 2]!)}\n` +
      `      vertex ${num(p[i + 3]!)} ${num(p[i + 4]!)} ${num(p[i + 5]!)}\n` +
      `      vertex ${num(p[i + 6]!)} ${num(p[i + 7]!)} ${num(p[i + 8]!)}\n` +
      '    endloop\n  endfacet\n';
    if ((t & 4095) === 4095) {
      chunks.push(Buffer.from(text, 'latin1'));
      text = '';
    }
  }
  chunks.push(Buffer.from(`${text}endsolid ${name}\n`, 'latin1'));
  return Buffer.concat(chunks);
}
