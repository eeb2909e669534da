/** A model's size and weight as the app shows them, wherever they were measured. */
import type { Vec3 } from '../api/types';
import { LOCALE } from './money';

export interface ModelFigures {
  dimensionsMm?: Vec3;
  volumeMm3?: number;
  triangleCount?: number;
  /** Known metal weight (from a price); otherwise it is volume × the alloy's density. */
  metalGrams?: number;
}

export interface AlloyDensity {
  name: string;
  /** Unknown when only the alloy's name is (the weight then has to be given). */
  densityGPerCm3?: number | undefined;
}

/** Grams of metal in `volumeMm3` of an alloy: mm³ / 1000 = cm³, times g/cm³. */
export function metalGrams(volumeMm3: number, densityGPerCm3: number): number {
  return (volumeMm3 / 1000) * densityGPerCm3;
}

/** Figures the caller knows win; measured ones fill the gaps. */
export function mergeFigures(known: ModelFigures | undefined, measured: ModelFigures | null): ModelFigures {
  const merged: ModelFigures = { ...measured };
  for (const [key, value] of Object.entries(known ?? {})) {
    if (value !== undefined) Object.assign(merged, { [key]: value });
  }
  return merged;
}

const oneDecimal = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 2 });
const whole = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });

/** "20.4 × 20.4 × 2.4 mm" */
export function formatDimensions([x, y, z]: Vec3): string {
  return `${twoDecimals.format(x)} × ${twoDecimals.format(y)} × ${twoDecimals.format(z)} mm`;
}

export function formatVolume(mm3: number): string {
  return `${mm3 < 100 ? twoDecimals.format(mm3) : oneDecimal.format(mm3)} mm³`;
}

export function formatGrams(grams: number): string {
  return `${twoDecimals.format(grams)} g`;
}

export function formatCount(n: number): string {
  return whole.format(n);
}
