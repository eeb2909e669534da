/**
 * A pricing worker thread (run by piscina): one task is one stage of one model, a range of
 * triangles to parse and measure, a text model to parse, or the topology check.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import {
  BINARY_BLOCK_BYTES,
  analyzeBinaryStlFileRange,
  analyzeBinaryStlRange,
  analyzeRange,
} from '../../platform/geometry/analysis.js';
import { readModel } from '../../platform/geometry/read-model.js';
import { checkTopology } from '../../platform/geometry/topology.js';
import { isModelError } from '../../platform/geometry/stl-errors.js';
import { Scratch } from '../../platform/geometry/scratch.js';
import type { WorkerResult, WorkerTask } from './tasks.js';

/** The topology check's working arrays, kept from one model to the next (one task at a time). */
const scratch = new Scratch();

/** Where a file range is read, block by block (100 KB of triangle records: stays in cache). */
const block = new Uint8Array(BINARY_BLOCK_BYTES);

function run(task: WorkerTask): WorkerResult {
  switch (task.kind) {
    case 'binary-range':
      return analyzeBinaryStlRange(
        new Uint8Array(task.bytes, 0, task.byteLength),
        task.from,
        task.to,
        task.origin,
        new Float32Array(task.positions),
      );
    case 'binary-file-range': {
      const fd = openSync(task.path, 'r');
      try {
        return analyzeBinaryStlFileRange(
          (into, position) => readSync(fd, into, 0, into.byteLength, position),
          task.claimed,
          task.from,
          task.to,
          task.origin,
          new Float32Array(task.positions),
          block,
        );
      } finally {
        closeSync(fd);
      }
    }
    case 'range':
      return analyzeRange(new Float32Array(task.positions), task.from, task.to, task.origin);
    case 'topology': {
      const t = checkTopology(new Float32Array(task.positions), task.triangleCount, scratch);
      return {
        openEdges: t.openEdges,
        nonManifoldEdges: t.nonManifoldEdges,
        misorientedEdges: t.misorientedEdges,
      };
    }
    case 'parse': {
      const mesh = readModel(new Uint8Array(task.bytes, 0, task.byteLength), {
        format: task.format,
        maxTriangles: task.maxTriangles,
        shared: true,
      });
      let { positions } = mesh;
      if (!(positions.buffer instanceof SharedArrayBuffer) || positions.byteOffset !== 0) {
        // A reader that had to grow its array: one copy into shared memory.
        const shared = new Float32Array(new SharedArrayBuffer(mesh.triangleCount * 36));
        shared.set(positions.subarray(0, mesh.triangleCount * 9));
        positions = shared;
      }
      return {
        positions: positions.buffer as SharedArrayBuffer,
        triangleCount: mesh.triangleCount,
        format: mesh.format,
      };
    }
  }
}

export default async function handle(task: WorkerTask): Promise<WorkerResult> {
  if (task.fault === 'crash') process.exit(70); // a worker dying mid-task, as an out-of-memory kill would
  if (task.fault === 'hang') await new Promise(() => undefined); // runs past any time limit
  try {
    return run(task);
  } catch (err) {
    if (isModelError(err)) {
      return { modelError: { code: err.code, statusCode: err.statusCode, message: err.message } };
    }
    throw err;
  }
}
