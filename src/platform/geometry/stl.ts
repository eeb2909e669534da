/**
 * STL entry point: decides binary vs ASCII, enforces size limits, and explains files that are
 * not STL at all. The readers themselves live in stl-binary.ts and stl-ascii.ts; readModel
 * (read-model.ts) also accepts OBJ.
 *
 * Deciding the flavour: many binary exporters (SolidWorks among them) start the free-text
 * header with "solid", so the prefix alone proves nothing. Order of evidence:
 *   1. 84 + 50 × headerCount === byteLength  → binary (a text file matches by chance ~never);
 *   2. starts with "solid" and looks like text → ASCII;
 *   3. a known non-STL signature (ZIP, PDF, PNG, …) or other text → MODEL_NOT_STL;
 *   4. anything else ≥ 84 bytes → binary with a wrong size: fewer bytes than the header claims
 *      is MODEL_TRUNCATED; more is read, and validateMesh reports the mismatch.
 */
import type { Mesh } from './mesh.js';
import { parseAsciiStl } from './stl-ascii.js';
import {
  BINARY_HEADER_BYTES,
  binaryClaimedCount,
  binaryExpectedBytes,
  parseBinaryStl,
} from './stl-binary.js';
import { ModelEmptyError, ModelNotStlError, ModelTooLargeError } from './stl-errors.js';
import { knownSignature, looksLikeText, preview, startsWithSolid } from './sniff.js';

export type { Mesh } from './mesh.js';
export * from './stl-errors.js';

export interface ParseStlOptions {
  /** Reject larger files before reading them. Default 256 MiB. */
  maxBytes?: number;
  /** Reject models with more triangles, before allocating memory for them. Default 5 000 000. */
  maxTriangles?: number;
  /** Put the positions on a SharedArrayBuffer, for worker threads to read without a copy. */
  shared?: boolean;
}

export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
/** 5 M triangles = 180 MB of Float32Array; far above any jewellery piece (typically < 1 M). */
export const DEFAULT_MAX_TRIANGLES = 5_000_000;

/** Empty and over-size uploads, refused before anything is read. */
export function checkSize(bytes: Uint8Array, maxBytes = DEFAULT_MAX_BYTES): void {
  if (bytes.byteLength === 0) throw new ModelEmptyError();
  if (bytes.byteLength > maxBytes) {
    throw new ModelTooLargeError(`the file has ${bytes.byteLength} bytes, the limit is ${maxBytes}`);
  }
}

/** Binary or ASCII, by the evidence above; throws MODEL_NOT_STL for anything else. */
export function stlFlavour(bytes: Uint8Array): 'binary' | 'ascii' {
  const size = bytes.byteLength;
  if (size >= BINARY_HEADER_BYTES && binaryExpectedBytes(binaryClaimedCount(bytes)) === size) return 'binary';
  const text = looksLikeText(bytes);
  if (text && startsWithSolid(bytes)) return 'ascii';

  const known = knownSignature(bytes);
  if (known) throw new ModelNotStlError(`starts with '${preview(bytes, 4)}' (${known})`);
  if (text) {
    throw new ModelNotStlError(
      `is text starting with '${preview(bytes, 24)}', but an ASCII STL starts with 'solid'`,
    );
  }
  if (size < BINARY_HEADER_BYTES) {
    throw new ModelNotStlError(
      `is only ${size} bytes long, while even an empty binary STL has an 84-byte header`,
    );
  }
  return 'binary';
}

export function parseStl(bytes: Uint8Array, opts: ParseStlOptions = {}): Mesh {
  checkSize(bytes, opts.maxBytes);
  const maxTriangles = opts.maxTriangles ?? DEFAULT_MAX_TRIANGLES;
  const shared = opts.shared ?? false;
  if (stlFlavour(bytes) === 'ascii') {
    return {
      ...parseAsciiStl(bytes, maxTriangles, shared),
      format: 'ascii',
      file: { byteLength: bytes.byteLength },
    };
  }
  return {
    ...parseBinaryStl(bytes, maxTriangles, shared),
    format: 'binary',
    file: { byteLength: bytes.byteLength, claimedTriangles: binaryClaimedCount(bytes) },
  };
}
