/**
 * The price of a piece from its measured model and a price-list version:
 *
 *   metal   = round(volume cm³ × density × price per gram)
 *   stones  = Σ count × (stone price for the size + setting)
 *   labour  = round(base + area cm² × per cm² + min(cap, triangles/1000 × per 1k) + largest cm × per cm)
 *   margin  = round((metal + stones + labour) × margin %)
 *
 * all per piece in integer minor units (half-up, the only rounding points), then multiplied by
 * the quantity, so N pieces cost exactly N × one piece. Catalog pieces keep their list price.
 */
import createError from '@fastify/error';
import type { ModelFigures, PriceBreakdown, StoneLine } from '../../contracts/events.js';
import { alloysOf, type PriceList } from './price-list.js';

export interface StoneRequest {
  type: string;
  sizeMm: number;
  count: number;
}

export interface PriceOptions {
  alloy: string;
  quantity: number;
  stones?: readonly StoneRequest[];
}

export const AlloyUnknownError = createError<'ALLOY_UNKNOWN', 422, [string, string]>(
  'ALLOY_UNKNOWN',
  "Unknown alloy '%s'; choose one of: %s.",
  422,
);

export const StoneUnknownError = createError<'STONE_UNKNOWN', 422, [string]>(
  'STONE_UNKNOWN',
  'Cannot price the stones: %s.',
  422,
);

export const PriceInputInvalidError = createError<'PRICE_INPUT_INVALID', 422, [string]>(
  'PRICE_INPUT_INVALID',
  'Cannot price this piece: %s.',
  422,
);

/** Beyond 2^53 integers stop being exact; no real piece gets there, a hostile input might. */
function exact(v: number): number {
  if (!Number.isSafeInteger(v))
    throw new PriceInputInvalidError(`the amount ${v} is too large to represent exactly`);
  return v;
}

function checkQuantity(quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 100)
    throw new PriceInputInvalidError(`quantity must be a whole number from 1 to 100, got ${quantity}`);
}

function alloyFrom(list: PriceList, id: string) {
  const alloy = alloysOf(list).find((a) => a.id === id);
  if (!alloy) throw new AlloyUnknownError(id, list.alloys.map((a) => a.id).join(', '));
  return alloy;
}

function stoneLines(list: PriceList, stones: readonly StoneRequest[]): StoneLine[] {
  return stones.map((s) => {
    const type = list.stones.find((t) => t.type === s.type);
    if (!type)
      throw new StoneUnknownError(
        `'${s.type}' is not in price list ${list.version}; choose one of ${list.stones.map((t) => t.type).join(', ') || '(none)'}`,
      );
    const size = type.sizes.find((z) => z.sizeMm === s.sizeMm);
    if (!size)
      throw new StoneUnknownError(
        `${type.name} comes in ${type.sizes.map((z) => `${z.sizeMm} mm`).join(', ')}, not ${s.sizeMm} mm`,
      );
    if (!Number.isInteger(s.count) || s.count < 1 || s.count > 1000)
      throw new StoneUnknownError(
        `the count of ${s.type} must be a whole number from 1 to 1000, got ${s.count}`,
      );
    const unitMinor = size.priceMinor + type.settingMinor;
    return {
      type: s.type,
      sizeMm: s.sizeMm,
      count: s.count,
      unitMinor,
      amountMinor: exact(unitMinor * s.count),
    };
  });
}

export function priceFromModel(model: ModelFigures, opts: PriceOptions, list: PriceList): PriceBreakdown {
  const alloy = alloyFrom(list, opts.alloy);
  checkQuantity(opts.quantity);
  if (!Number.isFinite(model.volumeMm3) || model.volumeMm3 <= 0)
    throw new PriceInputInvalidError(
      `the model's volume must be positive, got ${model.volumeMm3} mm³ (is the mesh open, flat or empty?)`,
    );
  if (!Number.isFinite(model.areaMm2) || model.areaMm2 < 0)
    throw new PriceInputInvalidError(`the surface area must be finite, got ${model.areaMm2} mm²`);
  const q = opts.quantity;
  const l = list.labour;

  const metalGrams = (model.volumeMm3 / 1000) * alloy.densityGPerCm3; // g/cm³, 1 cm³ = 1000 mm³
  const metal = Math.round(metalGrams * alloy.pricePerGramMinor);
  const stones = stoneLines(list, opts.stones ?? []);
  const stonesPerPiece = stones.reduce((n, s) => n + s.amountMinor, 0);
  const labourParts = {
    baseMinor: l.baseMinor,
    surfaceMinor: Math.round((model.areaMm2 / 100) * l.perCm2Minor),
    detailMinor: Math.round(
      Math.min(l.trianglesCapMinor, (model.triangleCount / 1000) * l.per1kTrianglesMinor),
    ),
    sizeMinor: Math.round((Math.max(...model.dimensionsMm) / 10) * l.perCmSizeMinor),
  };
  const labour =
    labourParts.baseMinor + labourParts.surfaceMinor + labourParts.detailMinor + labourParts.sizeMinor;
  const margin = Math.round(((metal + stonesPerPiece + labour) * list.marginPercent) / 100);
  const times = (v: number) => exact(v * q);
  const totalMinor = exact(times(metal) + times(stonesPerPiece) + times(labour) + times(margin));
  return {
    method: 'mesh',
    alloy: alloy.id,
    quantity: q,
    priceListVersion: list.version,
    model,
    volumeMm3: model.volumeMm3,
    densityGPerCm3: alloy.densityGPerCm3,
    metalGrams,
    pricePerGramMinor: alloy.pricePerGramMinor,
    metalMinor: times(metal),
    stones: stones.map((s) => ({ ...s, count: s.count * q, amountMinor: times(s.amountMinor) })),
    stonesMinor: times(stonesPerPiece),
    labourMinor: times(labour),
    labour: {
      baseMinor: times(labourParts.baseMinor),
      surfaceMinor: times(labourParts.surfaceMinor),
      detailMinor: times(labourParts.detailMinor),
      sizeMinor: times(labourParts.sizeMinor),
    },
    marginPercent: list.marginPercent,
    marginMinor: times(margin),
    triangles: model.triangleCount,
    total: { amountMinor: totalMinor, currency: list.currency },
  };
}

/** Catalog pieces: the accepted list price covers metal and labour. */
export function priceFromCatalog(
  listPrice: { amountMinor: number; currency: string },
  alloyId: string,
  quantity: number,
): PriceBreakdown {
  checkQuantity(quantity);
  if (!Number.isSafeInteger(listPrice.amountMinor) || listPrice.amountMinor < 0)
    throw new PriceInputInvalidError(
      `the list price must be whole minor units, got ${listPrice.amountMinor}`,
    );
  return {
    method: 'catalog',
    alloy: alloyId,
    quantity,
    metalMinor: 0,
    labourMinor: 0,
    total: { amountMinor: exact(listPrice.amountMinor * quantity), currency: listPrice.currency },
  };
}
