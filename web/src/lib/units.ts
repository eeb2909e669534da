/** The length units a model file can be in (STL and OBJ files do not say). */
import type { Units } from '../api/types';

export const UNITS: readonly { id: Units; label: string; mm: number }[] = [
  { id: 'mm', label: 'millimetres', mm: 1 },
  { id: 'cm', label: 'centimetres', mm: 10 },
  { id: 'm', label: 'metres', mm: 1000 },
  { id: 'in', label: 'inches', mm: 25.4 },
];

export function isUnits(value: string): value is Units {
  return UNITS.some((u) => u.id === value);
}

/** How many mm one unit is. */
export function mmPerUnit(units: Units): number {
  return UNITS.find((u) => u.id === units)?.mm ?? 1;
}
