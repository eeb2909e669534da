/**
 * Wavefront OBJ reader: the geometry only. `v x y z [w | r g b]` lines give vertices, `f` lines
 * give polygons of vertex references (`f 1 2 3`, `f 1/2/3 …`, `f 1//3 …`; negative indices
 * count back from the last vertex defined so far), which are fan-triangulated (v0 vi vi+1):
 * exact for the convex polygons exporters write. Comments and every other statement (normals,
 * texture coordinates, groups, materials, lines, points) are skipped.
 *
 * Like the STL readers it works on the raw bytes with no string per line or number, and every
 * loop moves forward through the bytes, so hostile input costs linear time. Vertices may be
 * referenced before they are defined (the spec does not forbid it); references are therefore
 * checked against the final vertex count, naming the line of the worst offender.
 * three.js's OBJLoader would do the parsing, but builds strings per line and object groups,
 * and brings no error a customer could act on.
 */
import { allocatePositions } from './positions.js';
import { readDecimal } from './decimal.js';
import {
  ModelBadIndexError,
  ModelNotObjError,
  ModelObjBadNumberError,
  ModelObjBadSyntaxError,
  ModelObjNoFacesError,
  ModelTooLargeError,
} from './stl-errors.js';
import { afterBom, knownSignature, looksLikeText, preview } from './sniff.js';

/** Space or tab: separators within a line. */
const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 13 || c === 11 || c === 12;

/** A growable typed array (doubling), holding `length` used elements. */
class Grow<T extends Float32Array | Int32Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  reserve(extra: number): T {
    if (this.length + extra > this.data.length) {
      const bigger = this.make(Math.max(this.data.length * 2, this.length + extra));
      bigger.set(this.data.subarray(0, this.length));
      this.data = bigger as T;
    }
    return this.data;
  }
}

export function parseObj(
  bytes: Uint8Array,
  maxTriangles: number,
  shared = false,
): { positions: Float32Array; triangleCount: number } {
  const known = knownSignature(bytes);
  if (known) throw new ModelNotObjError(`starts with '${preview(bytes, 4)}' (${known})`);
  if (!looksLikeText(bytes)) throw new ModelNotObjError('is binary, not text (a binary STL?)');
  const b = bytes;
  const len = b.length;
  const verts = new Grow(new Float32Array(3 * 1024), (n) => new Float32Array(n));
  const tris = new Grow(new Int32Array(3 * 1024), (n) => new Int32Array(n));
  const poly = new Grow(new Int32Array(64), (n) => new Int32Array(n));
  let worstIndex = 0; // largest 1-based positive reference, checked at the end
  let worstText = '';
  let worstLine = 0;
  let line = 0;
  let i = afterBom(b);

  /** The token at `at`, at most 40 characters, for messages. */
  const token = (at: number): string => {
    let s = '';
    let k = at;
    for (; k < len && b[k]! > 32 && s.length < 40; k++) s += String.fromCharCode(b[k]!);
    return k < len && b[k]! > 32 ? `${s}…` : s;
  };

  while (i < len) {
    line++;
    while (i < len && isBlank(b[i]!)) i++;
    const c = b[i];
    const next = b[i + 1];
    if (c === 118 /* v */ && next !== undefined && isBlank(next)) {
      i += 2;
      const v = verts.reserve(3);
      for (let k = 0; k < 3; k++) {
        while (i < len && isBlank(b[i]!)) i++;
        if (i >= len || b[i] === 10) {
          throw new ModelObjBadSyntaxError(line, `a vertex ('v') needs 3 coordinates, found ${k}`);
        }
        const end = readDecimal(b, i, len, v, verts.length);
        const x = v[verts.length]!;
        // NaN, ±Infinity (also beyond float32), or a token going on after the number.
        if (x - x !== 0 || (end < len && b[end]! > 32)) {
          throw new ModelObjBadNumberError(`'${token(i)}'`, line);
        }
        verts.length++;
        i = end;
      }
    } else if (c === 102 /* f */ && next !== undefined && isBlank(next)) {
      i += 2;
      poly.length = 0;
      const defined = verts.length / 3;
      for (;;) {
        while (i < len && isBlank(b[i]!)) i++;
        if (i >= len || b[i] === 10) break;
        const start = i;
        let neg = false;
        if (b[i] === 45) {
          neg = true;
          i++;
        }
        let n = 0;
        const digits = i;
        while (i < len && b[i]! >= 48 && b[i]! <= 57 && n < 1e10) n = n * 10 + (b[i++]! - 48);
        if (i === digits || (i < len && b[i]! > 32 && b[i] !== 47)) {
          throw new ModelObjBadSyntaxError(
            line,
            `expected a vertex number in the face but found '${token(start)}'`,
          );
        }
        while (i < len && b[i]! > 32) i++; // "/texture/normal" references: not needed
        let index: number;
        if (n === 0) throw new ModelBadIndexError(line, token(start), defined);
        if (neg) {
          index = defined - n;
          if (index < 0) throw new ModelBadIndexError(line, token(start), defined);
        } else {
          index = n - 1;
          if (n > worstIndex) {
            worstIndex = n;
            worstText = token(start);
            worstLine = line;
          }
        }
        poly.reserve(1)[poly.length++] = index;
      }
      if (poly.length < 3) {
        throw new ModelObjBadSyntaxError(
          line,
          `a face ('f') needs at least 3 vertices, found ${poly.length}`,
        );
      }
      const added = poly.length - 2;
      if (tris.length / 3 + added > maxTriangles) {
        throw new ModelTooLargeError(`the file has more than the limit of ${maxTriangles} triangles`);
      }
      const t = tris.reserve(3 * added);
      const p = poly.data;
      for (let k = 1; k <= added; k++) {
        t[tris.length++] = p[0]!;
        t[tris.length++] = p[k]!;
        t[tris.length++] = p[k + 1]!;
      }
    }
    // Anything else (comments, vn, vt, g, usemtl, …) and the rest of this line: skipped.
    const eol = b.indexOf(10, i);
    i = eol < 0 ? len : eol + 1;
  }

  const vertexCount = verts.length / 3;
  const triangleCount = tris.length / 3;
  if (triangleCount === 0) throw new ModelObjNoFacesError(vertexCount);
  if (worstIndex > vertexCount) throw new ModelBadIndexError(worstLine, worstText, vertexCount);

  const positions = allocatePositions(triangleCount * 9, shared);
  const v = verts.data;
  const t = tris.data;
  for (let k = 0, o = 0; k < tris.length; k++, o += 3) {
    const at = 3 * t[k]!;
    positions[o] = v[at]!;
    positions[o + 1] = v[at + 1]!;
    positions[o + 2] = v[at + 2]!;
  }
  return { positions, triangleCount };
}
