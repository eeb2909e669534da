/**
 * Price rules for made-to-order pieces. Two methods:
 *   - mesh:    custom orders, priced from the uploaded model: metal (volume × density × price
 *              per gram) plus labour (a base plus terms for surface and mesh complexity);
 *   - catalog: catalog items, whose list price already includes metal and labour.
 *
 * Money is integer minor units (EUR cents) everywhere in the result. Rounding happens at
 * exactly two points, both per piece and half-up (Math.round on non-negative values):
 *   metal per piece  = round(metalGrams × pricePerGramMinor)
 *   labour per piece = round(base + areaCm2 × perCm2 + min(cap, triangles / 1000 × per1k))
 * and only then are they multiplied by the quantity, so N pieces cost exactly N × one piece.
 */
import createError from '@fastify/error';
import { ALLOYS, ALLOY_IDS, isAlloyId } from './alloys.js';

export { ALLOYS, ALLOY_IDS, isAlloyId, type Alloy, type AlloyId } from './alloys.js';

export interface Money {
  amountMinor: number;
  currency: string;
}

export interface PricingRules {
  /** Per-alloy overrides of ALLOYS[id].pricePerGramMinor (non-negative integers). */
  pricePerGramMinor: Partial<Record<string, number>>;
  /** Every piece: setting up the casting tree, cleaning, inspection. */
  labourBaseMinor: number;
  /** Per cm² of surface: finishing and polishing time grows with the area to polish. */
  labourPerCm2Minor: number;
  /**
   * Per 1000 triangles: a rough proxy for detail (filigree, engraving) that needs hand work.
   * Capped, because a finer export of the same simple shape must not cost much more.
   */
  labourPer1kTrianglesMinor: number;
  labourTrianglesCapMinor: number;
  /** ISO 4217 code the prices above are in (the platform's CURRENCY). */
  currency: string;
}

export const DEFAULT_PRICING_RULES: Readonly<PricingRules> = Object.freeze({
  pricePerGramMinor: {},
  labourBaseMinor: 2500,
  labourPerCm2Minor: 300,
  labourPer1kTrianglesMinor: 5,
  labourTrianglesCapMinor: 5000,
  currency: 'EUR',
});

export interface MeshPriceBreakdown {
  method: 'mesh';
  alloy: string;
  volumeMm3: number;
  densityGPerCm3: number;
  metalGrams: number;
  pricePerGramMinor: number;
  metalMinor: number;
  labourMinor: number;
  triangles: number;
  total: { amountMinor: number; currency: string };
}

export interface CatalogPriceBreakdown {
  method: 'catalog';
  alloy: string;
  metalMinor: 0;
  labourMinor: 0;
  total: Money;
}

export const AlloyUnknownError = createError<'ALLOY_UNKNOWN', 422, [string, string]>(
  'ALLOY_UNKNOWN',
  "Unknown alloy '%s'; choose one of: %s.",
  422,
);

/** Arg: which input is wrong and why. Inputs come from our own mesh analysis or the order. */
export const PriceInputInvalidError = createError<'PRICE_INPUT_INVALID', 422, [string]>(
  'PRICE_INPUT_INVALID',
  'Cannot price this order: %s.',
  422,
);

function alloyOf(alloyId: string) {
  if (!isAlloyId(alloyId)) throw new AlloyUnknownError(String(alloyId), ALLOY_IDS.join(', '));
  return ALLOYS[alloyId];
}

function checkQuantity(quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < 1) {
    throw new PriceInputInvalidError(`quantity must be a whole number of at least 1, got ${quantity}`);
  }
}

function checkMinor(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new PriceInputInvalidError(`${name} must be a non-negative whole number of minor units, got ${v}`);
  }
}

/** Guards the multiplications by quantity: beyond 2^53 integers stop being exact. */
function checkTotal(v: number): number {
  if (!Number.isSafeInteger(v))
    throw new PriceInputInvalidError(`the total ${v} is too large to represent exactly`);
  return v;
}

export function priceFromMesh(
  mesh: { volumeMm3: number; areaMm2: number; triangleCount: number },
  alloyId: string,
  quantity: number,
  rules: Partial<PricingRules> = {},
): MeshPriceBreakdown {
  const alloy = alloyOf(alloyId);
  checkQuantity(quantity);
  const r: PricingRules = { ...DEFAULT_PRICING_RULES, ...rules };
  const { volumeMm3, areaMm2, triangleCount } = mesh;
  if (!Number.isFinite(volumeMm3) || volumeMm3 <= 0) {
    throw new PriceInputInvalidError(
      `the model volume must be positive, got ${volumeMm3} mm³ (is the mesh open, flat or empty?)`,
    );
  }
  if (!Number.isFinite(areaMm2) || areaMm2 < 0) {
    throw new PriceInputInvalidError(`the surface area must be finite and non-negative, got ${areaMm2} mm²`);
  }
  if (!Number.isSafeInteger(triangleCount) || triangleCount < 0) {
    throw new PriceInputInvalidError(`the triangle count must be a whole number, got ${triangleCount}`);
  }
  const pricePerGramMinor = r.pricePerGramMinor[alloy.id] ?? alloy.pricePerGramMinor;
  checkMinor(`the price per gram of ${alloy.id}`, pricePerGramMinor);
  checkMinor('labourBaseMinor', r.labourBaseMinor);
  checkMinor('labourPerCm2Minor', r.labourPerCm2Minor);
  checkMinor('labourPer1kTrianglesMinor', r.labourPer1kTrianglesMinor);
  checkMinor('labourTrianglesCapMinor', r.labourTrianglesCapMinor);

  // 1 cm³ = 1000 mm³; density is g/cm³.
  const metalGrams = (volumeMm3 / 1000) * alloy.densityGPerCm3;
  const metalPerPiece = Math.round(metalGrams * pricePerGramMinor);

  const surfaceTerm = (areaMm2 / 100) * r.labourPerCm2Minor; // 1 cm² = 100 mm²
  const detailTerm = Math.min(
    r.labourTrianglesCapMinor,
    (triangleCount / 1000) * r.labourPer1kTrianglesMinor,
  );
  const labourPerPiece = Math.round(r.labourBaseMinor + surfaceTerm + detailTerm);

  const metalMinor = checkTotal(metalPerPiece * quantity);
  const labourMinor = checkTotal(labourPerPiece * quantity);
  return {
    method: 'mesh',
    alloy: alloy.id,
    volumeMm3,
    densityGPerCm3: alloy.densityGPerCm3,
    metalGrams,
    pricePerGramMinor,
    metalMinor,
    labourMinor,
    triangles: triangleCount,
    total: { amountMinor: checkTotal(metalMinor + labourMinor), currency: r.currency },
  };
}

/** Catalog items: the accepted list price covers metal and labour, so both are reported as 0. */
export function priceFromCatalog(listPrice: Money, alloyId: string, quantity: number): CatalogPriceBreakdown {
  const alloy = alloyOf(alloyId);
  checkQuantity(quantity);
  checkMinor('the list price', listPrice.amountMinor);
  return {
    method: 'catalog',
    alloy: alloy.id,
    metalMinor: 0,
    labourMinor: 0,
    total: { amountMinor: checkTotal(listPrice.amountMinor * quantity), currency: listPrice.currency },
  };
}
