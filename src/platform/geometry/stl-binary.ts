/**
 * Binary STL reader. Layout: 80-byte header (free text, ignored), uint32 LE triangle count,
 * then 50 bytes per triangle: normal (3 × float32, ignored: we trust the winding, not the
 * stored normal), 3 vertices (9 × float32 LE), uint16 "attribute byte count" (ignored).
 */
import {
  ModelBadNumberError,
  ModelNoTrianglesError,
  ModelTooLargeError,
  ModelTruncatedError,
} from './stl-errors.js';

export const BINARY_HEADER_BYTES = 84;
export const BINARY_TRIANGLE_BYTES = 50;

/** The triangle count in the header; the caller has checked there are at least 84 bytes. */
export function binaryClaimedCount(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(80, true);
}

/** Bytes a binary STL with `count` triangles occupies (exact in float64 for any uint32). */
export function binaryExpectedBytes(count: number): number {
  return BINARY_HEADER_BYTES + BINARY_TRIANGLE_BYTES * count;
}

/**
 * Reads the positions of a binary STL. All size checks happen before the Float32Array is
 * allocated, so a 100-byte file claiming 4 billion triangles costs nothing. Bytes after the
 * last claimed triangle are ignored (some exporters pad files); fewer bytes is an error.
 */
export function parseBinaryStl(
  bytes: Uint8Array,
  maxTriangles: number,
): { positions: Float32Array; triangleCount: number } {
  const count = binaryClaimedCount(bytes);
  const needed = binaryExpectedBytes(count);
  if (needed > bytes.byteLength) throw new ModelTruncatedError(count, needed, bytes.byteLength);
  if (count > maxTriangles) {
    throw new ModelTooLargeError(`${count} triangles, the limit is ${maxTriangles}`);
  }
  if (count === 0) throw new ModelNoTrianglesError('the binary STL header says 0 triangles');

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const positions = new Float32Array(count * 9);
  // The 50-byte stride is not a multiple of 4, so the file cannot be viewed as a Float32Array
  // directly; DataView reads are LE on any host and V8 inlines them.
  let src = BINARY_HEADER_BYTES + 12; // first vertex of the first triangle (after its normal)
  let dst = 0;
  for (let t = 0; t < count; t++) {
    let check = 0;
    for (let k = 0; k < 36; k += 4) {
      const v = view.getFloat32(src + k, true);
      check += v - v; // 0 for finite v; NaN for NaN and ±Infinity
      positions[dst++] = v;
    }
    if (check !== 0) throw badNumberAt(positions, dst - 9, t);
    src += BINARY_TRIANGLE_BYTES;
  }
  return { positions, triangleCount: count };
}

/** Names the first non-finite coordinate of triangle `t` (whose floats start at `at`). */
function badNumberAt(positions: Float32Array, at: number, t: number): Error {
  for (let k = 0; k < 9; k++) {
    const v = positions[at + k]!;
    if (!Number.isFinite(v)) {
      return new ModelBadNumberError(String(v), `triangle ${t} (0-based), vertex ${Math.floor(k / 3)}`);
    }
  }
  return new ModelBadNumberError('?', `triangle ${t} (0-based)`); // unreachable: check was NaN
}
