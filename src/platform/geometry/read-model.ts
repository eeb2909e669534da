/**
 * One entry for every model upload: readModel picks the reader (binary STL, ASCII STL, OBJ)
 * from the declared format, the file name's extension and the content, and applies the limits.
 *
 * Precedence: a declared `format` is obeyed (an OBJ declared as STL is refused as not STL).
 * An extension is only a hint, because customers rename files: content that is unmistakably
 * one format wins (a binary STL's exact size, an OBJ's statements, an ASCII STL's "solid"),
 * and the extension decides what to expect of text that is neither (".obj": read it as OBJ,
 * whose errors then speak of OBJ).
 */
import type { Mesh, MeshFormat } from './mesh.js';
import { parseObj } from './obj.js';
import { looksLikeObj, looksLikeText, startsWithSolid } from './sniff.js';
import { DEFAULT_MAX_TRIANGLES, checkSize, parseStl, stlFlavour } from './stl.js';
import { BINARY_HEADER_BYTES, binaryClaimedCount, binaryExpectedBytes } from './stl-binary.js';

export interface ReadModelOptions {
  /** The uploaded file's name; only its extension is used. */
  filename?: string;
  /** What the uploader declared; overrides the extension and the content sniffing. */
  format?: 'stl' | 'obj';
  /** Reject larger files before reading them. Default 256 MiB. */
  maxBytes?: number;
  /** Reject models with more triangles, before allocating memory for them. Default 5 000 000. */
  maxTriangles?: number;
  /** Put the positions on a SharedArrayBuffer, for worker threads to read without a copy. */
  shared?: boolean;
}

function extension(filename: string | undefined): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(filename ?? '');
  return m ? m[1]!.toLowerCase() : '';
}

/**
 * Which reader a file needs, without reading it: 'binary' or 'ascii' STL, or 'obj'. Throws the
 * same typed errors as readModel for files that are no model at all (empty, PDF, ZIP, …).
 */
export function detectModelFormat(
  bytes: Uint8Array,
  filename?: string,
  format?: 'stl' | 'obj',
  maxBytes?: number,
): MeshFormat {
  checkSize(bytes, maxBytes);
  if (format === 'obj') return 'obj';
  if (format === 'stl') return stlFlavour(bytes);
  const size = bytes.byteLength;
  if (size >= BINARY_HEADER_BYTES && binaryExpectedBytes(binaryClaimedCount(bytes)) === size) return 'binary';
  if (looksLikeText(bytes)) {
    if (startsWithSolid(bytes)) return 'ascii';
    if (looksLikeObj(bytes) || extension(filename) === 'obj') return 'obj';
  }
  return stlFlavour(bytes); // binary with a wrong size, or MODEL_NOT_STL explaining what it is
}

/** Reads a binary or ASCII STL or an OBJ into a mesh (see the module comment for the choice). */
export function readModel(bytes: Uint8Array, opts: ReadModelOptions = {}): Mesh {
  const format = detectModelFormat(bytes, opts.filename, opts.format, opts.maxBytes);
  if (format !== 'obj') return parseStl(bytes, opts);
  const maxTriangles = opts.maxTriangles ?? DEFAULT_MAX_TRIANGLES;
  return {
    ...parseObj(bytes, maxTriangles, opts.shared ?? false),
    format: 'obj',
    file: { byteLength: bytes.byteLength },
  };
}
