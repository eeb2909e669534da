/**
 * STL entry point: decides binary vs ASCII, enforces size limits, and explains files that are
 * not STL at all. The readers themselves live in stl-binary.ts and stl-ascii.ts.
 *
 * Deciding the flavour: many binary exporters (SolidWorks among them) start the free-text
 * header with "solid", so the prefix alone proves nothing. Order of evidence:
 *   1. 84 + 50 × headerCount === byteLength  → binary (a text file matches by chance ~never);
 *   2. starts with "solid" and looks like text → ASCII;
 *   3. a known non-STL signature (ZIP, PDF, PNG, …) or other text → MODEL_NOT_STL;
 *   4. anything else ≥ 84 bytes → binary with a wrong size (MODEL_TRUNCATED names the numbers).
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

export type { Mesh } from './mesh.js';
export * from './stl-errors.js';

export interface ParseStlOptions {
  /** Reject larger files before reading them. Default 256 MiB. */
  maxBytes?: number;
  /** Reject models with more triangles, before allocating memory for them. Default 5 000 000. */
  maxTriangles?: number;
}

export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
/** 5 M triangles = 180 MB of Float32Array; far above any jewellery piece (typically < 1 M). */
export const DEFAULT_MAX_TRIANGLES = 5_000_000;

export function parseStl(bytes: Uint8Array, opts: ParseStlOptions = {}): Mesh {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxTriangles = opts.maxTriangles ?? DEFAULT_MAX_TRIANGLES;
  const size = bytes.byteLength;

  if (size === 0) throw new ModelEmptyError();
  if (size > maxBytes) throw new ModelTooLargeError(`the file has ${size} bytes, the limit is ${maxBytes}`);

  if (size >= BINARY_HEADER_BYTES && binaryExpectedBytes(binaryClaimedCount(bytes)) === size) {
    return { ...parseBinaryStl(bytes, maxTriangles), format: 'binary' };
  }
  const text = looksLikeText(bytes);
  if (text && startsWithSolid(bytes)) return { ...parseAsciiStl(bytes, maxTriangles), format: 'ascii' };

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
  return { ...parseBinaryStl(bytes, maxTriangles), format: 'binary' };
}

const SIGNATURES: ReadonlyArray<readonly [string, string]> = [
  ['PK', 'a ZIP archive? 3MF models are ZIP archives too'],
  ['%PDF', 'a PDF document?'],
  ['\x89PNG', 'a PNG image?'],
  ['\xff\xd8\xff', 'a JPEG image?'],
  ['GIF8', 'a GIF image?'],
  ['\x1f\x8b', 'a gzip-compressed file? unpack it first'],
  ['Rar!', 'a RAR archive?'],
  ['7z\xbc\xaf', 'a 7-Zip archive?'],
  ['glTF', 'a binary glTF (GLB) model?'],
  ['ply', 'a PLY model?'],
  ['ISO-10303', 'a STEP CAD file?'],
  ['Kaydara FBX', 'an FBX model?'],
  ['BLENDER', 'a Blender file?'],
  ['<', 'an XML or HTML document?'],
  ['{', 'a JSON document (glTF?)'],
];

function knownSignature(b: Uint8Array): string | undefined {
  outer: for (const [magic, what] of SIGNATURES) {
    if (b.length < magic.length) continue;
    for (let i = 0; i < magic.length; i++) if (b[i] !== magic.charCodeAt(i)) continue outer;
    return what;
  }
  return undefined;
}

/** True if the first 1 KiB has no control bytes other than whitespace (binary floats do). */
function looksLikeText(b: Uint8Array): boolean {
  const end = Math.min(b.length, 1024);
  for (let i = 0; i < end; i++) {
    const c = b[i]!;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 11) return false;
    if (c === 127) return false;
  }
  return true;
}

function startsWithSolid(b: Uint8Array): boolean {
  let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0; // UTF-8 BOM
  while (i < b.length && (b[i] === 32 || b[i] === 9 || b[i] === 10 || b[i] === 13)) i++;
  for (let k = 0; k < 5; k++) if (((b[i + k] ?? 0) | 0x20) !== 'solid'.charCodeAt(k)) return false;
  const after = b[i + 5];
  return after === undefined || after === 32 || after === 9 || after === 10 || after === 13;
}

/** The first `n` bytes, printable ASCII as is and everything else as \xNN. */
function preview(b: Uint8Array, n: number): string {
  let s = '';
  for (let i = 0; i < Math.min(n, b.length); i++) {
    const c = b[i]!;
    s += c >= 32 && c < 127 && c !== 39 ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return s;
}
