/**
 * The alloys with the numbers pricing needs: the product facts (name, density) come from the
 * shared contract so every service agrees on them; the price per gram is the MES's own default
 * in minor units. PricingRules.pricePerGramMinor can override it; an editable, versioned price
 * list in the database comes with the pricing engine.
 */
import { ALLOYS as ALLOY_FACTS, ALLOY_IDS, type AlloyId } from '../../contracts/alloys.js';

export interface Alloy {
  readonly id: string;
  readonly name: string;
  readonly densityGPerCm3: number;
  readonly pricePerGramMinor: number;
}

const DEFAULT_PRICE_PER_GRAM_MINOR: Record<AlloyId, number> = {
  'gold-585': 3500,
  'gold-750': 4500,
  'silver-925': 120,
  'platinum-950': 3800,
};

export const ALLOYS = Object.fromEntries(
  ALLOY_FACTS.map((a) => [a.id, { ...a, pricePerGramMinor: DEFAULT_PRICE_PER_GRAM_MINOR[a.id] }]),
) as Record<AlloyId, Alloy>;

export { ALLOY_IDS, type AlloyId };

export function isAlloyId(id: unknown): id is AlloyId {
  return typeof id === 'string' && Object.hasOwn(ALLOYS, id);
}
