/**
 * Push-based binary STL decoder, for uploads that arrive in chunks: each chunk's triangles go
 * straight into the positions array and the chunk can be dropped, so an upload is never held
 * in memory as raw bytes and as positions at once (a 5 M-triangle upload is 250 MB of bytes
 * plus 180 MB of positions otherwise).
 *
 *   const d = new BinaryStlDecoder({ maxTriangles, shared: true });
 *   for await (const chunk of request) d.push(chunk);
 *   const mesh = d.end();
 *
 * Chunks may split the header or a triangle record anywhere. The header count is checked
 * against the limits before the positions are allocated; NaN or ±Infinity fails at the
 * triangle that holds it; end() fails with MODEL_TRUNCATED when triangles are missing. Bytes
 * after the claimed triangles are counted, not kept (validateMesh reports the mismatch).
 * Binary STL only: route ASCII STL and OBJ (detectModelFormat on the first bytes) to readModel.
 */
import type { Mesh } from './mesh.js';
import { allocatePositions } from './positions.js';
import { knownSignature, preview } from './sniff.js';
import {
  BINARY_HEADER_BYTES,
  BINARY_TRIANGLE_BYTES,
  binaryExpectedBytes,
  checkBinaryCount,
  decodeTriangles,
} from './stl-binary.js';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_TRIANGLES } from './stl.js';
import { ModelEmptyError, ModelNotStlError, ModelTooLargeError, ModelTruncatedError } from './stl-errors.js';

export interface BinaryStlDecoderOptions {
  /** Fail as soon as more bytes arrive, or the header claims more. Default 256 MiB. */
  maxBytes?: number;
  /** Fail at the header if it claims more triangles. Default 5 000 000. */
  maxTriangles?: number;
  /** Allocate the positions on a SharedArrayBuffer, for worker threads. */
  shared?: boolean;
}

export class BinaryStlDecoder {
  private readonly maxBytes: number;
  private readonly maxTriangles: number;
  private readonly shared: boolean;
  private readonly header = new Uint8Array(BINARY_HEADER_BYTES);
  /** A triangle record split between chunks, completed by the next chunk. */
  private readonly partial = new Uint8Array(BINARY_TRIANGLE_BYTES);
  private readonly partialView = new DataView(this.partial.buffer);
  private partialFill = 0;
  private positions: Float32Array | undefined;
  private claimed = -1;
  private decoded = 0;
  private received = 0;
  private failed: unknown;

  constructor(opts: BinaryStlDecoderOptions = {}) {
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    this.maxTriangles = opts.maxTriangles ?? DEFAULT_MAX_TRIANGLES;
    this.shared = opts.shared ?? false;
  }

  /** Triangles decoded so far (for progress reports). */
  get trianglesDecoded(): number {
    return this.decoded;
  }

  /** The header's triangle count, once the header has arrived; otherwise undefined. */
  get trianglesClaimed(): number | undefined {
    return this.claimed < 0 ? undefined : this.claimed;
  }

  push(chunk: Uint8Array): void {
    if (this.failed !== undefined) throw this.failed;
    try {
      this.take(chunk);
    } catch (err) {
      this.failed = err; // the stream is unusable after an error: keep saying why
      throw err;
    }
  }

  private take(chunk: Uint8Array): void {
    const headerBefore = Math.min(this.received, BINARY_HEADER_BYTES);
    this.received += chunk.byteLength;
    if (this.received > this.maxBytes) {
      throw new ModelTooLargeError(`the upload goes on past the limit of ${this.maxBytes} bytes`);
    }
    let i = 0;
    if (headerBefore < BINARY_HEADER_BYTES) {
      i = Math.min(chunk.byteLength, BINARY_HEADER_BYTES - headerBefore);
      this.header.set(chunk.subarray(0, i), headerBefore);
      if (headerBefore + i < BINARY_HEADER_BYTES) return;
      this.startTriangles();
    }
    const positions = this.positions!;
    const count = this.claimed;

    // Complete a record split by the previous chunk.
    if (this.partialFill > 0) {
      const n = Math.min(BINARY_TRIANGLE_BYTES - this.partialFill, chunk.byteLength - i);
      this.partial.set(chunk.subarray(i, i + n), this.partialFill);
      this.partialFill += n;
      i += n;
      if (this.partialFill < BINARY_TRIANGLE_BYTES) return;
      decodeTriangles(this.partialView, 0, 1, positions, 9 * this.decoded, this.decoded);
      this.decoded++;
      this.partialFill = 0;
    }
    // Whole records in this chunk, decoded in place.
    const whole = Math.min(Math.floor((chunk.byteLength - i) / BINARY_TRIANGLE_BYTES), count - this.decoded);
    if (whole > 0) {
      const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      decodeTriangles(view, i, whole, positions, 9 * this.decoded, this.decoded);
      this.decoded += whole;
      i += whole * BINARY_TRIANGLE_BYTES;
    }
    // The start of the next record; bytes after the last claimed triangle are only counted.
    if (this.decoded < count && i < chunk.byteLength) {
      this.partial.set(chunk.subarray(i), 0);
      this.partialFill = chunk.byteLength - i;
    }
  }

  private startTriangles(): void {
    const h = this.header;
    // All 84 bytes printable means the count bytes are text too: an ASCII STL, not binary.
    let text = true;
    for (let k = 0; k < BINARY_HEADER_BYTES && text; k++) {
      const c = h[k]!;
      text = (c >= 32 && c < 127) || c === 9 || c === 10 || c === 13;
    }
    const known = knownSignature(h);
    if (known) throw new ModelNotStlError(`starts with '${preview(h, 4)}' (${known})`);
    if (text) {
      throw new ModelNotStlError(
        `is text starting with '${preview(h, 24)}', not a binary STL; text models (ASCII STL, OBJ) are read whole, not streamed`,
      );
    }
    const count = new DataView(h.buffer).getUint32(80, true);
    checkBinaryCount(count, this.maxTriangles);
    const needed = binaryExpectedBytes(count);
    if (needed > this.maxBytes) {
      throw new ModelTooLargeError(
        `the header claims ${count} triangles (${needed} bytes), the limit is ${this.maxBytes} bytes`,
      );
    }
    this.claimed = count;
    this.positions = allocatePositions(count * 9, this.shared);
  }

  /** The mesh, once every claimed triangle has arrived. */
  end(): Mesh {
    if (this.failed !== undefined) throw this.failed;
    if (this.received === 0) throw new ModelEmptyError();
    if (this.claimed < 0) {
      throw new ModelNotStlError(
        `is only ${this.received} bytes long, while even an empty binary STL has an 84-byte header`,
      );
    }
    if (this.decoded < this.claimed) {
      throw new ModelTruncatedError(this.claimed, binaryExpectedBytes(this.claimed), this.received);
    }
    return {
      positions: this.positions!,
      triangleCount: this.claimed,
      format: 'binary',
      file: { byteLength: this.received, claimedTriangles: this.claimed },
    };
  }
}
