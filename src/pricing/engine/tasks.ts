/**
 * What the pricing engine asks of a worker thread, and what comes back. Buffers are
 * SharedArrayBuffers: the model's bytes and positions are written once and read by every
 * worker without copying. Errors about the model travel back as data, because an Error
 * crossing threads loses its code and status.
 */
import type { PartialAnalysis } from '../../platform/geometry/analysis.js';
import type { Vec3 } from '../../platform/geometry/mesh.js';

/** Test and drill switch: make the next task crash its worker or hang past the time limit. */
export type WorkerFault = 'crash' | 'hang';

export type WorkerTask =
  | {
      kind: 'binary-range';
      bytes: SharedArrayBuffer;
      byteLength: number;
      from: number;
      to: number;
      origin: Vec3;
      positions: SharedArrayBuffer;
      fault?: WorkerFault;
    }
  | {
      /** A binary STL read from a local file by the worker itself, range by range. */
      kind: 'binary-file-range';
      path: string;
      claimed: number;
      from: number;
      to: number;
      origin: Vec3;
      positions: SharedArrayBuffer;
      fault?: WorkerFault;
    }
  | {
      kind: 'parse';
      bytes: SharedArrayBuffer;
      byteLength: number;
      format: 'stl' | 'obj';
      maxTriangles: number;
      fault?: WorkerFault;
    }
  | {
      kind: 'range';
      positions: SharedArrayBuffer;
      from: number;
      to: number;
      origin: Vec3;
      fault?: WorkerFault;
    }
  | { kind: 'topology'; positions: SharedArrayBuffer; triangleCount: number; fault?: WorkerFault };

/** What the topology task sends back: the edge counts the validation report needs. */
export interface TopologyCounts {
  openEdges: number;
  nonManifoldEdges: number;
  misorientedEdges: number;
}

export interface ModelErrorData {
  modelError: { code: string; statusCode: number; message: string };
}

export type WorkerResult =
  | PartialAnalysis
  | { positions: SharedArrayBuffer; triangleCount: number; format: 'binary' | 'ascii' | 'obj' }
  | TopologyCounts
  | ModelErrorData;

export function isModelErrorData(r: unknown): r is ModelErrorData {
  return typeof r === 'object' && r !== null && 'modelError' in r;
}
