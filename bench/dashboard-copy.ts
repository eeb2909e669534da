/**
 * PostgreSQL binary COPY encoding (the format COPY ... FROM STDIN WITH (FORMAT binary) reads):
 * the dashboard benchmark writes 10 M orders this way because the server then skips parsing
 * text timestamps, which is most of its CPU in a text COPY. Only the types the production_orders
 * row holds are here.
 */

const EPOCH_2000_MS = 946_684_800_000;
const DAY_MS = 86_400_000;
const TWO_32 = 4_294_967_296;
/** Bytes a row may take at most: every text here is short (a breakdown is < 400 bytes). */
const ROW_ROOM = 4096;

/** A field as it goes on the wire (length prefix included), for values repeated on many rows. */
export function encodeTextArrayField(items: readonly string[]): Buffer {
  const elems = items.map((s) => Buffer.from(s, 'utf8'));
  const body = 20 + elems.reduce((n, e) => n + 4 + e.length, 0);
  const b = Buffer.alloc(4 + body);
  let p = b.writeInt32BE(body, 0);
  p = b.writeInt32BE(1, p); // dimensions
  p = b.writeInt32BE(0, p); // no nulls
  p = b.writeInt32BE(25, p); // element type: text
  p = b.writeInt32BE(items.length, p);
  p = b.writeInt32BE(1, p); // lower bound
  for (const e of elems) {
    p = b.writeInt32BE(e.length, p);
    p += e.copy(b, p);
  }
  return b;
}

/** Appends rows into 1 MB chunks; `take()` hands over what is filled so far. */
export class BinaryCopyWriter {
  private buf: Buffer;
  private pos = 0;
  private readonly done: Buffer[] = [];

  constructor(private readonly chunkSize = 1 << 20) {
    this.buf = Buffer.allocUnsafe(chunkSize);
    // Signature, flags, header extension length.
    this.pos += this.buf.write('PGCOPY\n\xff\r\n\0', 0, 'latin1');
    this.pos = this.buf.writeInt32BE(0, this.pos);
    this.pos = this.buf.writeInt32BE(0, this.pos);
  }

  row(fields: number): void {
    if (this.chunkSize - this.pos < ROW_ROOM) {
      this.done.push(this.buf.subarray(0, this.pos));
      this.buf = Buffer.allocUnsafe(this.chunkSize);
      this.pos = 0;
    }
    this.pos = this.buf.writeInt16BE(fields, this.pos);
  }

  null(): void {
    this.pos = this.buf.writeInt32BE(-1, this.pos);
  }

  text(s: string | null): void {
    if (s === null) return this.null();
    const n = this.ascii(s, this.pos + 4);
    this.buf.writeInt32BE(n, this.pos);
    this.pos += 4 + n;
  }

  jsonb(json: string | null): void {
    if (json === null) return this.null();
    const n = this.ascii(json, this.pos + 5);
    this.buf.writeInt32BE(n + 1, this.pos);
    this.buf[this.pos + 4] = 1; // jsonb binary format version
    this.pos += 5 + n;
  }

  /**
   * Writes a string, byte per character when it is ASCII (every generated value is): a plain
   * loop beats Buffer.write's native call on strings this short, a third of the generator's time.
   */
  private ascii(s: string, at: number): number {
    const b = this.buf;
    for (let k = 0; k < s.length; k++) {
      const ch = s.charCodeAt(k);
      if (ch > 0x7f) return b.write(s, at, 'utf8');
      b[at + k] = ch;
    }
    return s.length;
  }

  int4(n: number | null): void {
    if (n === null) return this.null();
    this.pos = this.buf.writeInt32BE(4, this.pos);
    this.pos = this.buf.writeInt32BE(n, this.pos);
  }

  /** A safe integer as int8. */
  int8(n: number | null): void {
    if (n === null) return this.null();
    const hi = Math.floor(n / TWO_32);
    this.pos = this.buf.writeInt32BE(8, this.pos);
    this.pos = this.buf.writeInt32BE(hi, this.pos);
    this.pos = this.buf.writeUInt32BE(n - hi * TWO_32, this.pos);
  }

  float8(n: number | null): void {
    if (n === null) return this.null();
    this.pos = this.buf.writeInt32BE(8, this.pos);
    this.pos = this.buf.writeDoubleBE(n, this.pos);
  }

  /** timestamptz from epoch milliseconds (microseconds since 2000-01-01 on the wire). */
  timestamp(ms: number | null): void {
    this.int8(ms === null ? null : (ms - EPOCH_2000_MS) * 1000);
  }

  /** date from epoch milliseconds of its midnight (UTC), or 'infinity'. */
  date(ms: number | 'infinity'): void {
    this.int4(ms === 'infinity' ? 0x7fffffff : Math.round((ms - EPOCH_2000_MS) / DAY_MS));
  }

  /** A version 7 UUID: 48-bit millisecond time, then random bits (as the services' uuidv7()). */
  uuidV7(ms: number, r1: number, r2: number, r3: number): void {
    const b = this.buf;
    let p = b.writeInt32BE(16, this.pos);
    p = b.writeUInt16BE(Math.floor(ms / TWO_32), p);
    p = b.writeUInt32BE(ms >>> 0, p);
    p = b.writeUInt16BE(0x7000 | (r1 & 0x0fff), p);
    p = b.writeUInt32BE((0x80000000 | (r2 >>> 2)) >>> 0, p); // variant 10
    this.pos = b.writeUInt32BE(r3 >>> 0, p);
  }

  /** A field already encoded with its length prefix. */
  raw(field: Buffer): void {
    this.pos += field.copy(this.buf, this.pos);
  }

  /** The chunks filled so far, with the file trailer when `end` is set. */
  take(end = false): Buffer[] {
    if (end) this.pos = this.buf.writeInt16BE(-1, this.pos);
    const out = [...this.done, this.buf.subarray(0, this.pos)];
    this.done.length = 0;
    this.buf = Buffer.allocUnsafe(this.chunkSize);
    this.pos = 0;
    return out;
  }
}
