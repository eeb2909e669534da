/**
 * Decimal numbers read straight from bytes, for the text readers (ASCII STL, OBJ): no string
 * per number. Number() on a substring would allocate one string per coordinate, which is most
 * of the time of a text parse.
 */

/** 10^0 … 10^22 are exact doubles: the range where mantissa × 10^k rounds correctly once. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/**
 * Reads `[+-] digits [. digits] [e [+-] digits]` from bytes[s, e), stopping at the first byte
 * that cannot continue it, stores its value in out[o] (NaN when there are no digits) and
 * returns the position where it stopped. Storing instead of returning the value matters: a
 * double returned from a call that V8 does not inline is boxed in a new heap object, one per
 * coordinate, and the garbage collector then shows in the profile; the position is a small
 * integer, which is not boxed. Storing to a Float32Array rounds to float32 there, so a
 * coordinate too large for float32 reads as Infinity and is refused like one.
 *
 * Up to 15 digits and |exponent| ≤ 22 the value is one exact integer times or divided by one
 * exact power of ten, which IEEE rounds correctly (Clinger's fast path); beyond that it defers
 * to Number() on the text read.
 */
export function readDecimal(
  b: Uint8Array,
  s: number,
  e: number,
  out: Float32Array | Float64Array,
  o: number,
): number {
  let i = s;
  let neg = false;
  if (i < e && (b[i] === 45 || b[i] === 43)) neg = b[i++] === 45;
  // All digits, both sides of the point, go into one mantissa; exact up to 15 digits.
  let mant = 0;
  let dot = -1;
  const start = i;
  for (; i < e; i++) {
    const d = b[i]! - 48;
    if (d >= 0 && d <= 9) mant = mant * 10 + d;
    else if (d === -2 && dot < 0) dot = i;
    else break;
  }
  const digits = i - start - (dot < 0 ? 0 : 1);
  if (digits <= 0) {
    out[o] = NaN;
    return i;
  }
  let exp = dot < 0 ? 0 : dot + 1 - i; // minus the digits after the point
  if (i < e && (b[i]! | 0x20) === 101) {
    let j = i + 1;
    let eneg = false;
    if (j < e && (b[j] === 45 || b[j] === 43)) eneg = b[j++] === 45;
    let ev = 0;
    const eStart = j;
    for (; j < e; j++) {
      const d = b[j]! - 48;
      if (d < 0 || d > 9) break;
      if (ev < 100000) ev = ev * 10 + d; // cap: anything this large is 0 or Infinity anyway
    }
    if (j === eStart) {
      out[o] = NaN; // "1e" or "1e+": not a number
      return i;
    }
    exp += eneg ? -ev : ev;
    i = j;
  }
  // Leading zeros count as digits here, which only sends such numbers down the slow path.
  if (digits <= 15 && exp >= -22 && exp <= 22) {
    const v = exp < 0 ? mant / POW10[-exp]! : mant * POW10[exp]!;
    out[o] = neg ? -v : v;
    return i;
  }
  let str = '';
  for (let k = s; k < i; k++) str += String.fromCharCode(b[k]!);
  out[o] = Number(str); // the grammar above already rejected everything Number() is lax about
  return i;
}

const scratch = new Float64Array(1);

/** Where the number read by the last scanDecimal call ended (exclusive). */
export let decimalEnd = 0;

/** readDecimal returning the value (as a double) and leaving the end in decimalEnd. */
export function scanDecimal(b: Uint8Array, s: number, e: number): number {
  decimalEnd = readDecimal(b, s, e, scratch, 0);
  return scratch[0]!;
}

/** The number that is exactly bytes[s, e), or NaN when that is not a decimal number. */
export function parseDecimal(b: Uint8Array, s: number, e: number): number {
  const v = scanDecimal(b, s, e);
  return decimalEnd === e ? v : NaN;
}
