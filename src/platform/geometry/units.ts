/**
 * Model units. STL and OBJ carry none; the platform reads coordinates as millimetres unless the
 * uploader declares another unit, and converts every figure to millimetres before pricing.
 */
import type { MeshAnalysis, Vec3 } from './mesh.js';
import { ModelUnknownUnitError } from './stl-errors.js';

/** Millimetres per unit. */
export const UNITS = { mm: 1, cm: 10, m: 1000, in: 25.4 } as const;

export type Unit = keyof typeof UNITS;

export const UNIT_NAMES = Object.keys(UNITS) as Unit[];

export function isUnit(s: string): s is Unit {
  return Object.prototype.hasOwnProperty.call(UNITS, s);
}

/** The unit named by an upload (any case, surrounding spaces ignored; none means mm). */
export function parseUnit(s: string | undefined): Unit {
  const u = (s ?? '').trim().toLowerCase();
  if (u === '') return 'mm';
  if (isUnit(u)) return u;
  throw new ModelUnknownUnitError(String(s).slice(0, 40), UNIT_NAMES.join(', '));
}

const scale3 = (v: Vec3, f: number): Vec3 => [v[0] * f, v[1] * f, v[2] * f];

/**
 * An analysis made in `unit` (the file's coordinates), converted to millimetres: lengths ×f,
 * area ×f², volume ×f³. Counts and flags are unchanged.
 */
export function scaleAnalysis(a: MeshAnalysis, unit: Unit): MeshAnalysis {
  const f = UNITS[unit];
  if (f === 1) return a;
  return {
    ...a,
    volumeMm3: a.volumeMm3 * f * f * f,
    signedVolumeMm3: a.signedVolumeMm3 * f * f * f,
    areaMm2: a.areaMm2 * f * f,
    bbox: { min: scale3(a.bbox.min, f), max: scale3(a.bbox.max, f) },
    dimensions: scale3(a.dimensions, f),
  };
}
