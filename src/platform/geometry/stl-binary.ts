/**
 * Binary STL reader. Layout: 80-byte header (free text, ignored), uint32 LE triangle count,
 * then 50 bytes per triangle: normal (3 × float32, ignored: we trust the winding, not the
 * stored normal), 3 vertices (9 × float32 LE), uint16 "attribute byte count" (ignored).
 * For uploads that arrive in chunks, stl-stream.ts decodes the same format incrementally.
 */
import { allocatePositions } from './positions.js';
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
 * The size checks every binary reader makes before allocating anything, so a 100-byte file
 * claiming 4 billion triangles costs nothing: fewer bytes than claimed is MODEL_TRUNCATED,
 * more triangles than allowed MODEL_TOO_LARGE, none MODEL_NO_TRIANGLES. `received` is the
 * file size when known, else omitted (a stream checks truncation at its end).
 */
export function checkBinaryCount(count: number, maxTriangles: number, received?: number): void {
  const needed = binaryExpectedBytes(count);
  if (received !== undefined && needed > received) throw new ModelTruncatedError(count, needed, received);
  if (count > maxTriangles) throw new ModelTooLargeError(`${count} triangles, the limit is ${maxTriangles}`);
  if (count === 0) throw new ModelNoTrianglesError('the binary STL header says 0 triangles');
}

/**
 * Reads the positions of a binary STL, on a SharedArrayBuffer when `shared`. Bytes after the
 * last claimed triangle are not read (some exporters pad files; validateMesh reports the
 * mismatch); fewer bytes is an error.
 */
export function parseBinaryStl(
  bytes: Uint8Array,
  maxTriangles: number,
  shared = false,
): { positions: Float32Array; triangleCount: number } {
  const count = binaryClaimedCount(bytes);
  checkBinaryCount(count, maxTriangles, bytes.byteLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const positions = allocatePositions(count * 9, shared);
  decodeTriangles(view, BINARY_HEADER_BYTES, count, positions, 0, 0);
  return { positions, triangleCount: count };
}

/**
 * Copies `count` 50-byte triangle records starting at byte `at` of `view` into `positions`
 * from float `dst`, rejecting NaN and ±Infinity. `firstIndex` numbers the first record in
 * error messages. The 50-byte stride is not a multiple of 4, so the records cannot be viewed
 * as a Float32Array; DataView reads are little-endian on any host and V8 inlines them.
 */
export function decodeTriangles(
  view: DataView,
  at: number,
  count: number,
  positions: Float32Array,
  dst: number,
  firstIndex: number,
): void {
  for (let t = 0, o = at + 12; t < count; t++, o += BINARY_TRIANGLE_BYTES, dst += 9) {
    // Unrolled: a loop over the 9 floats measured twice as slow.
    const ax = view.getFloat32(o, true);
    const ay = view.getFloat32(o + 4, true);
    const az = view.getFloat32(o + 8, true);
    const bx = view.getFloat32(o + 12, true);
    const by = view.getFloat32(o + 16, true);
    const bz = view.getFloat32(o + 20, true);
    const cx = view.getFloat32(o + 24, true);
    const cy = view.getFloat32(o + 28, true);
    const cz = view.getFloat32(o + 32, true);
    positions[dst] = ax;
    positions[dst + 1] = ay;
    positions[dst + 2] = az;
    positions[dst + 3] = bx;
    positions[dst + 4] = by;
    positions[dst + 5] = bz;
    positions[dst + 6] = cx;
    positions[dst + 7] = cy;
    positions[dst + 8] = cz;
    // x − x is 0 for finite x and NaN for NaN and ±Infinity, so one test covers all nine.
    if (
      ax -
        ax +
        (ay - ay) +
        (az - az) +
        (bx - bx) +
        (by - by) +
        (bz - bz) +
        (cx - cx) +
        (cy - cy) +
        (cz - cz) !==
      0
    ) {
      throw badNumberAt(positions, dst, firstIndex + t);
    }
  }
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
