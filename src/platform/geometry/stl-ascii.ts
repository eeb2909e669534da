/**
 * ASCII STL reader, working on the raw bytes: it walks whitespace-separated tokens by index and
 * parses numbers straight from the bytes, so it builds no string per line or per number (only
 * for error messages and the rare number too long for the fast path).
 *
 * Grammar (keywords case-insensitive, any whitespace between tokens):
 *   solid [name…]\n  { facet [normal n n n] outer loop vertex x y z ×3 endloop endfacet }
 *   endsolid [name…]  — and optionally further solid…endsolid blocks after it.
 * Facet normals are skipped unread: volume comes from the winding, and some exporters write
 * "nan" normals for degenerate triangles that are otherwise harmless.
 */
import {
  ModelBadNumberError,
  ModelBadSyntaxError,
  ModelNoTrianglesError,
  ModelTooLargeError,
} from './stl-errors.js';

const kw = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const SOLID = kw('solid');
const ENDSOLID = kw('endsolid');
const FACET = kw('facet');
const NORMAL = kw('normal');
const OUTER = kw('outer');
const LOOP = kw('loop');
const VERTEX = kw('vertex');
const ENDLOOP = kw('endloop');
const ENDFACET = kw('endfacet');
// Prebuilt so the hot loop builds no strings.
const VERTEX_CONTEXT = [
  'as vertex 1 of 3 in a facet',
  'as vertex 2 of 3 in a facet',
  'as vertex 3 of 3 in a facet',
];

/** 10^0 … 10^22 are exact doubles: the range where mantissa × 10^k rounds correctly once. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** Tokenizer state: the current token is bytes[start, end), found on line `line` (1-based). */
class Scanner {
  pos = 0;
  line = 1;
  start = 0;
  end = 0;
  constructor(readonly b: Uint8Array) {}

  /** Advances to the next token; false at end of input. */
  next(): boolean {
    const b = this.b;
    const len = b.length;
    let i = this.pos;
    for (; i < len; i++) {
      const c = b[i]!;
      if (c === 10) this.line++;
      else if (c !== 32 && c !== 13 && c !== 9 && c !== 12 && c !== 11) break;
    }
    this.start = i;
    while (i < len) {
      const c = b[i]!;
      if (c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 11) break;
      i++;
    }
    this.end = i;
    this.pos = i;
    return this.end > this.start;
  }

  /** Skips the rest of the current line (a solid's name). */
  skipLine(): void {
    const i = this.b.indexOf(10, this.pos);
    this.pos = i < 0 ? this.b.length : i; // leave the \n for next() to count
  }

  is(word: Uint8Array): boolean {
    const n = word.length;
    if (this.end - this.start !== n) return false;
    const b = this.b;
    for (let k = 0; k < n; k++) {
      // `| 0x20` lower-cases ASCII letters and leaves digits alone: keywords are letters only.
      if ((b[this.start + k]! | 0x20) !== word[k]) return false;
    }
    return true;
  }

  text(): string {
    const e = Math.min(this.end, this.start + 40);
    let s = '';
    for (let k = this.start; k < e; k++) s += String.fromCharCode(this.b[k]!);
    return this.end > e ? `${s}…` : s;
  }

  /** Advances to the next token, which must exist. */
  need(context: string): void {
    if (!this.next()) {
      throw new ModelBadSyntaxError(this.line, `the file ends ${context}; the upload may have been cut off`);
    }
  }

  /** Requires the next token to be `word`. */
  expect(word: Uint8Array, context: string): void {
    this.need(context);
    if (!this.is(word)) {
      throw new ModelBadSyntaxError(
        this.line,
        `expected '${String.fromCharCode(...word)}' ${context} but found '${this.text()}'`,
      );
    }
  }

  /** Reads the next token as a finite coordinate. */
  number(): number {
    this.need('inside a vertex');
    const v = parseDecimal(this.b, this.start, this.end);
    if (v - v !== 0) {
      // NaN: not a decimal number at all; ±Infinity: a decimal that overflows (1e999).
      throw new ModelBadNumberError(`'${this.text()}'`, `line ${this.line}`);
    }
    return v;
  }
}

/**
 * Parses a decimal number `[+-] digits [. digits] [e [+-] digits]` from bytes[s, e), or NaN
 * when the token is anything else ("nan", "inf", "0x1F", "1,5"). Up to 15 significant digits
 * and |exponent| ≤ 22 it is one exact integer times one exact power of ten, which IEEE
 * rounds correctly (Clinger's fast path); beyond that it defers to Number() on the token.
 */
export function parseDecimal(b: Uint8Array, s: number, e: number): number {
  let i = s;
  let neg = false;
  if (i < e && (b[i] === 45 || b[i] === 43)) neg = b[i++] === 45;
  let mant = 0;
  let sig = 0; // significant digits folded into mant
  let dropped = false; // more than 15 significant digits: needs the slow path
  let exp = 0;
  let digits = 0;
  for (; i < e; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) break;
    digits++;
    if (sig < 15) {
      mant = mant * 10 + d;
      if (mant !== 0) sig++;
    } else {
      exp++;
      if (d !== 0) dropped = true;
    }
  }
  if (i < e && b[i] === 46) {
    for (i++; i < e; i++) {
      const d = b[i]! - 48;
      if (d < 0 || d > 9) break;
      digits++;
      if (sig < 15) {
        mant = mant * 10 + d;
        exp--;
        if (mant !== 0) sig++;
      } else if (d !== 0) dropped = true;
    }
  }
  if (digits === 0) return NaN;
  if (i < e && (b[i]! | 0x20) === 101) {
    i++;
    let eneg = false;
    if (i < e && (b[i] === 45 || b[i] === 43)) eneg = b[i++] === 45;
    let ev = 0;
    const eStart = i;
    for (; i < e; i++) {
      const d = b[i]! - 48;
      if (d < 0 || d > 9) break;
      if (ev < 100000) ev = ev * 10 + d; // cap: anything this large is 0 or Infinity anyway
    }
    if (i === eStart) return NaN;
    exp += eneg ? -ev : ev;
  }
  if (i !== e) return NaN;

  let v: number;
  if (!dropped && exp >= -22 && exp <= 22) {
    v = exp < 0 ? mant / POW10[-exp]! : mant * POW10[exp]!;
  } else {
    let str = '';
    for (let k = s; k < e; k++) str += String.fromCharCode(b[k]!);
    return Number(str); // the grammar above already rejected everything Number() is lax about
  }
  return neg ? -v : v;
}

/** Parses an ASCII STL (the caller has checked it starts with "solid", after an optional BOM). */
export function parseAsciiStl(
  bytes: Uint8Array,
  maxTriangles: number,
): { positions: Float32Array; triangleCount: number } {
  const sc = new Scanner(bytes);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) sc.pos = 3; // UTF-8 BOM

  // Typical facets are ~250 bytes of text; start there and double as needed.
  let positions = new Float32Array(Math.max(9, Math.min(maxTriangles, Math.ceil(bytes.length / 250)) * 9));
  let count = 0;

  sc.expect(SOLID, 'at the start');
  sc.skipLine();
  for (;;) {
    if (!sc.next()) {
      throw new ModelBadSyntaxError(
        sc.line,
        "the file ends before 'endsolid'; the upload may have been cut off",
      );
    }
    if (sc.is(FACET)) {
      if (count === maxTriangles) {
        throw new ModelTooLargeError(`the file has more than the limit of ${maxTriangles} triangles`);
      }
      sc.need("after 'facet'");
      if (sc.is(NORMAL)) {
        for (let k = 0; k < 3; k++) sc.need("in 'facet normal nx ny nz'");
        sc.expect(OUTER, "after 'facet normal nx ny nz'");
      } else if (!sc.is(OUTER)) {
        throw new ModelBadSyntaxError(
          sc.line,
          `expected 'normal' or 'outer' after 'facet' but found '${sc.text()}'`,
        );
      }
      sc.expect(LOOP, "after 'outer'");
      if (count * 9 + 9 > positions.length) {
        const grown = new Float32Array(Math.min(maxTriangles * 9, positions.length * 2));
        grown.set(positions);
        positions = grown;
      }
      let o = count * 9;
      for (let v = 0; v < 3; v++) {
        sc.expect(VERTEX, VERTEX_CONTEXT[v]!);
        positions[o++] = sc.number();
        positions[o++] = sc.number();
        positions[o++] = sc.number();
      }
      sc.expect(ENDLOOP, 'after 3 vertices (only triangles are allowed)');
      sc.expect(ENDFACET, "after 'endloop'");
      count++;
    } else if (sc.is(ENDSOLID)) {
      sc.skipLine();
      // Some exporters write several solids (one per part or colour) into one file.
      if (!sc.next()) break;
      if (!sc.is(SOLID)) {
        throw new ModelBadSyntaxError(
          sc.line,
          `expected 'solid' or the end of the file but found '${sc.text()}'`,
        );
      }
      sc.skipLine();
    } else {
      throw new ModelBadSyntaxError(sc.line, `expected 'facet' or 'endsolid' but found '${sc.text()}'`);
    }
  }

  if (count === 0) throw new ModelNoTrianglesError("the ASCII STL has 'solid' blocks but no facets");
  return {
    positions: count * 9 === positions.length ? positions : positions.slice(0, count * 9),
    triangleCount: count,
  };
}
