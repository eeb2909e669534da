/**
 * Room for mesh positions, on a SharedArrayBuffer when `shared` so that worker threads can read
 * (or fill) the same memory without a copy. Its own module, importing nothing, so every reader
 * can use it without an import cycle through mesh.ts.
 */
export function allocatePositions(floats: number, shared = false): Float32Array {
  return shared ? new Float32Array(new SharedArrayBuffer(floats * 4)) : new Float32Array(floats);
}
