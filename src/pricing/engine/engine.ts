/**
 * Measures a model on the worker pool, in stages whose progress it reports:
 *   parse    — a binary STL is split into ranges that workers parse and measure in parallel,
 *              straight from the shared file bytes; text formats (ASCII STL, OBJ) are parsed
 *              by one worker, then measured in parallel ranges;
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
import { binaryClaimedCount, binaryExpectedBytes } from '../../platform/geometry/stl-binary.js';
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
import { PricingPool } from './pool.js';

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

/** Ranges below this many triangles are not worth a task of their own. */
const MIN_RANGE = 25_000;

export class PricingEngine {
  constructor(
    readonly pool: PricingPool,
    private readonly limits: { maxTriangles: number },
  ) {}

  async measure(
    file: Uint8Array,
    info: { filename: string; units: Unit },
    progress: (p: Progress) => void = () => undefined,
  ): Promise<Measured> {
    const t0 = performance.now();
    const format = detectModelFormat(file, info.filename);
    // Every worker reads the same bytes: an upload already arrives in shared memory (see
    // model-upload.ts), and so does a model read from disk storage (getShared); anything
    // else is copied there once.
    let bytes: SharedArrayBuffer;
    if (file.buffer instanceof SharedArrayBuffer && file.byteOffset === 0) bytes = file.buffer;
    else {
      bytes = new SharedArrayBuffer(file.byteLength);
      new Uint8Array(bytes).set(file);
    }
    const byteLength = file.byteLength;

    let positions: SharedArrayBuffer;
    let count: number;
    let parts: PartialAnalysis[];
    let kind: Measured['format'];
    if (format === 'binary') {
      kind = 'binary';
      count = binaryClaimedCount(file);
      // Every size check before any allocation: a 100-byte file claiming 4 billion triangles costs nothing.
      if (binaryExpectedBytes(count) > byteLength)
        throw new ModelTruncatedError(count, binaryExpectedBytes(count), byteLength);
      if (count > this.limits.maxTriangles)
        throw new ModelTooLargeError(`${count} triangles, the limit is ${this.limits.maxTriangles}`);
      if (count === 0) throw new ModelNoTrianglesError('the binary STL header says 0 triangles');
      positions = new SharedArrayBuffer(count * 36);
      const origin = binaryStlOrigin(file);
      parts = await this.ranges(count, progress, (from, to) =>
        this.pool.run<PartialAnalysis>(
          { kind: 'binary-range', bytes, byteLength, from, to, origin, positions },
          'reading the model',
        ),
      );
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
      ({ positions, triangleCount: count, format: kind } = parsed);
      const origin = meshOrigin(new Float32Array(positions), count);
      parts = await this.ranges(
        count,
        () => undefined,
        (from, to) =>
          this.pool.run<PartialAnalysis>(
            { kind: 'range', positions, from, to, origin },
            'measuring the model',
          ),
      );
    }
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
    return Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const part = await task(Math.floor((count * i) / n), Math.floor((count * (i + 1)) / n));
        progress({ stage: 'parse', done: ++done, total: n });
        return part;
      }),
    );
  }
}

function scale(v: Vec3, f: number): Vec3 {
  return [v[0] * f, v[1] * f, v[2] * f];
}

const round = (ms: number) => Math.round(ms * 10) / 10;
