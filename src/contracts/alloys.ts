/**
 * The alloys Atelier casts in: product facts every service may show. What a gram costs is the
 * MES's business and lives in its price rules, not here.
 */
export const ALLOYS = [
  { id: 'gold-585', name: 'Gold 585 (14k)', densityGPerCm3: 13.0 },
  { id: 'gold-750', name: 'Gold 750 (18k)', densityGPerCm3: 15.5 },
  { id: 'silver-925', name: 'Sterling silver 925', densityGPerCm3: 10.36 },
  { id: 'platinum-950', name: 'Platinum 950', densityGPerCm3: 20.7 },
] as const;

export type AlloyId = (typeof ALLOYS)[number]['id'];
export const ALLOY_IDS = ALLOYS.map((a) => a.id) as AlloyId[];
