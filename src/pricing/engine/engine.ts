/**
 * Measures a model on the worker pool, in stages whose progress it reports:
 *   parse    — a binary STL is split into ranges that workers parse and measure in parallel,
 *              each reading its range itself (a stored file, measureFile) or from the shared
 *              bytes (an upload, measure); text formats (ASCII STL, OBJ) are parsed by one
 *              worker, then measured in parallel ranges;
 *   analyse  — the partial sums (volume, area, bounding box) are combined;
 *   validate — the topology check (open and non-manifold edges) on the whole mesh.
 * Only the figures come back to the main thread; the event loop never runs a triangle loop.
 */
import {
  binaryStlOrigin,
  combineAnalyses,
  meshOrigin,
  type PartialAnalysis,
} from '../../platform/geometry/analysis.js';
import { detectModelFormat } from '../../platform/geometry/read-model.js';
import {
  BINARY_HEADER_BYTES,
  binaryClaimedCount,
  binaryExpectedBytes,
} from '../../platform/geometry/stl-binary.js';
import {
  ModelBadNumberError,
  ModelNoTrianglesError,
  ModelTooLargeError,
  ModelTruncatedError,
} from '../../platform/geometry/stl-errors.js';
import { UNITS, type Unit } from '../../platform/geometry/units.js';
import { validationReport, type ValidationReport } from '../../platform/geometry/validate.js';
import type { TopologyCounts } from './tasks.js';
import type { Vec3 } from '../../platform/geometry/mesh.js';
import type { ModelFigures } from '../../contracts/events.js';
import { open, readFile } from 'node:fs/promises';
import { PricingPool } from './pool.js';
import { SharedBufferPool } from './shared-buffers.js';

export type Stage = 'parse' | 'analyse' | 'validate' | 'price';

export interface Progress {
  stage: Stage;
  done: number;
  total: number;
}

export interface Measured {
  format: 'binary' | 'ascii' | 'obj';
  figures: ModelFigures;
  bbox: { min: Vec3; max: Vec3 };
  validation: ValidationReport;
  stageMs: Record<string, number>;
}

/** What reading a model hands the later stages. */
interface ReadModel {
  kind: Measured['format'];
  count: number;
  positions: SharedArrayBuffer;
  parts: PartialAnalysis[];
  byteLength: number;
}

/** How much of a stored file is read first, to tell a binary STL (and find its origin). */
const HEAD_BYTES = 64 * 1024;

/** The first `bytes` bytes of a file. */
async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  const f = await open(path, 'r');
  try {
    const head = new Uint8Array(bytes);
    let got = 0;
    while (got < bytes) {
      const { bytesRead } = await f.read(head, got, bytes - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return head.subarray(0, got);
  } finally {
    await f.close();
  }
}

/** Ranges below this many triangles are not worth a task of their own. */
const MIN_RANGE = 25_000;

export class PricingEngine {
  /** The positions (and copied bytes) of the models in work, reused from one model to the next. */
  readonly buffers: SharedBufferPool;

  constructor(
    readonly pool: PricingPool,
    private readonly limits: { maxTriangles: number },
  ) {
    // A model in work holds its positions, and its bytes when they had to be copied; one or two
    // models per thread.
    this.buffers = new SharedBufferPool(2 * pool.threads + 2);
  }

  /**
   * Measures a model, then hands the buffers it used back; only once every task has settled,
   * so no worker still reads or writes them.
   */
  async measure(
    file: Uint8Array,
    info: { filename: string; units: Unit },
    progress: (p: Progress) => void = () => undefined,
  ): Promise<Measured> {
    return this.holding((held) => this.readBytes(file, info.filename, progress, held), info, progress);
  }

  /**
   * Measures a model stored in a local file. A binary STL is read by the workers themselves,
   * each its range, block by block into cache, and measured as it arrives: the 50 MB of a
   * 1M-triangle model are never copied into one buffer and read back from it. Anything else
   * (ASCII STL, OBJ, a binary STL whose size disagrees with its header) is read whole and goes
   * the way of measure().
   */
  async measureFile(
    file: { path: string; size: number },
    info: { filename: string; units: Unit },
    progress: (p: Progress) => void = () => undefined,
  ): Promise<Measured> {
    const head = await readHead(file.path, Math.min(file.size, HEAD_BYTES));
    const claimed = head.byteLength >= BINARY_HEADER_BYTES ? binaryClaimedCount(head) : -1;
    if (claimed < 0 || binaryExpectedBytes(claimed) !== file.size)
      return this.measure(await readFile(file.path), info, progress);
    return this.holding(
      async (held) => {
        const positions = this.binaryPositions(claimed, file.size, held);
        // The origin from the first triangles; past them (all non-finite) any point is exact too.
        const origin = binaryStlOrigin(head);
        const parts = await this.ranges(claimed, progress, (from, to) =>
          this.pool.run<PartialAnalysis>(
            { kind: 'binary-file-range', path: file.path, claimed, from, to, origin, positions },
            'reading the model',
          ),
        );
        return { kind: 'binary', count: claimed, positions, parts, byteLength: file.size };
      },
      info,
      progress,
    );
  }

  /**
   * Reads a model with `read`, then analyses and checks it; the buffers it took go back to the
   * pool only once every task has settled, so no worker still reads or writes them.
   */
  private async holding(
    read: (held: SharedArrayBuffer[]) => Promise<ReadModel>,
    info: { units: Unit },
    progress: (p: Progress) => void,
  ): Promise<Measured> {
    const held: SharedArrayBuffer[] = [];
    try {
      const t0 = performance.now();
      return await this.finish(await read(held), info, progress, t0);
    } finally {
      for (const b of held) this.buffers.give(b);
    }
  }

  /** The size checks of a binary STL, before anything is allocated; then its positions. */
  private binaryPositions(count: number, byteLength: number, held: SharedArrayBuffer[]): SharedArrayBuffer {
    // A 100-byte file claiming 4 billion triangles costs nothing.
    if (binaryExpectedBytes(count) > byteLength)
      throw new ModelTruncatedError(count, binaryExpectedBytes(count), byteLength);
    if (count > this.limits.maxTriangles)
      throw new ModelTooLargeError(`${count} triangles, the limit is ${this.limits.maxTriangles}`);
    if (count === 0) throw new ModelNoTrianglesError('the binary STL header says 0 triangles');
    const positions = this.buffers.take(count * 36);
    held.push(positions);
    return positions;
  }

  private async readBytes(
    file: Uint8Array,
    filename: string,
    progress: (p: Progress) => void,
    held: SharedArrayBuffer[],
  ): Promise<ReadModel> {
    const format = detectModelFormat(file, filename);
    // Every worker reads the same bytes: an upload already arrives in shared memory (see
    // model-upload.ts); anything else is copied there once.
    let bytes: SharedArrayBuffer;
    if (file.buffer instanceof SharedArrayBuffer && file.byteOffset === 0) bytes = file.buffer;
    else {
      bytes = this.buffers.take(file.byteLength);
      held.push(bytes);
      new Uint8Array(bytes).set(file);
    }
    const byteLength = file.byteLength;

    if (format === 'binary') {
      const count = binaryClaimedCount(file);
      const positions = this.binaryPositions(count, byteLength, held);
      const origin = binaryStlOrigin(file);
      const parts = await this.ranges(count, progress, (from, to) =>
        this.pool.run<PartialAnalysis>(
          { kind: 'binary-range', bytes, byteLength, from, to, origin, positions },
          'reading the model',
        ),
      );
      return { kind: 'binary', count, positions, parts, byteLength };
    } else {
      progress({ stage: 'parse', done: 0, total: 1 });
      const parsed = await this.pool.run<{
        positions: SharedArrayBuffer;
        triangleCount: number;
        format: Measured['format'];
      }>(
        {
          kind: 'parse',
          bytes,
          byteLength,
          format: format === 'obj' ? 'obj' : 'stl',
          maxTriangles: this.limits.maxTriangles,
        },
        'reading the model',
      );
      progress({ stage: 'parse', done: 1, total: 1 });
      const { positions, triangleCount: count, format: kind } = parsed;
      const origin = meshOrigin(new Float32Array(positions), count);
      const parts = await this.ranges(
        count,
        () => undefined,
        (from, to) =>
          this.pool.run<PartialAnalysis>(
            { kind: 'range', positions, from, to, origin },
            'measuring the model',
          ),
      );
      return { kind, count, positions, parts, byteLength };
    }
  }

  /** Combines the ranges' sums, checks the topology, and reports the figures. */
  private async finish(
    read: ReadModel,
    info: { units: Unit },
    progress: (p: Progress) => void,
    t0: number,
  ): Promise<Measured> {
    const { kind, count, positions, parts, byteLength } = read;
    const tParsed = performance.now();
    progress({ stage: 'analyse', done: 1, total: 1 });
    const a = combineAnalyses(parts);
    if (a.nonFiniteCoordinates > 0)
      throw new ModelBadNumberError('NaN or Infinity', `${a.nonFiniteCoordinates} coordinates of the model`);

    progress({ stage: 'validate', done: 0, total: 1 });
    const topo = await this.pool.run<TopologyCounts>(
      { kind: 'topology', positions, triangleCount: count },
      'checking the model is closed',
    );
    progress({ stage: 'validate', done: 1, total: 1 });
    const tValidated = performance.now();

    const f = UNITS[info.units];
    const dims: Vec3 = [0, 1, 2].map((i) => (a.bbox.max[i]! - a.bbox.min[i]!) * f) as Vec3;
    const validation = validationReport(
      topo,
      a,
      kind === 'binary' ? { byteLength, claimedTriangles: count } : undefined,
    );
    return {
      format: kind,
      figures: {
        triangleCount: count,
        volumeMm3: a.volumeMm3 * f * f * f,
        areaMm2: a.areaMm2 * f * f,
        dimensionsMm: dims,
        units: info.units,
        watertight: validation.watertight,
      },
      bbox: { min: scale(a.bbox.min, f), max: scale(a.bbox.max, f) },
      validation,
      stageMs: { parseAndMeasure: round(tParsed - t0), validate: round(tValidated - tParsed) },
    };
  }

  /** Splits [0, count) into about two ranges per thread and runs them in parallel. */
  private async ranges(
    count: number,
    progress: (p: Progress) => void,
    task: (from: number, to: number) => Promise<PartialAnalysis>,
  ): Promise<PartialAnalysis[]> {
    const n = Math.max(1, Math.min(this.pool.threads * 2, Math.ceil(count / MIN_RANGE)));
    let done = 0;
    progress({ stage: 'parse', done, total: n });
    // Every range settles before this returns, failed or not: the buffers they write are reused.
    const settled = await Promise.allSettled(
      Array.from({ length: n }, async (_, i) => {
        const part = await task(Math.floor((count * i) / n), Math.floor((count * (i + 1)) / n));
        progress({ stage: 'parse', done: ++done, total: n });
        return part;
      }),
    );
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((r) => (r as PromiseFulfilledResult<PartialAnalysis>).value);
  }
}

function scale(v: Vec3, f: number): Vec3 {
  return [v[0] * f, v[1] * f, v[2] * f];
}

const round = (ms: number) => Math.round(ms * 10) / 10;
