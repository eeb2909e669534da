/**
 * The price list: what a gram of each alloy costs, the stones and their setting, the labour
 * rates, the margin and how long a quote holds. It lives in the pricing database as numbered,
 * immutable versions; an administrator publishes a new version through the API and every quote
 * and order price records the version it used, so any price can be explained later.
 */
import createError from '@fastify/error';
import { Type, type Static } from '@sinclair/typebox';
import { ALLOY_IDS, ALLOYS as ALLOY_FACTS } from '../../contracts/alloys.js';

const Minor = (description: string) => Type.Integer({ minimum: 0, maximum: 1e12, description });

export const StoneSize = Type.Object(
  {
    sizeMm: Type.Number({ exclusiveMinimum: 0, maximum: 50, description: 'Stone diameter in mm' }),
    priceMinor: Minor('Price of one stone of this size'),
  },
  { additionalProperties: false },
);

export const StonePrice = Type.Object(
  {
    type: Type.String({ pattern: '^[a-z][a-z0-9-]{0,39}$', description: 'Stone id, e.g. diamond' }),
    name: Type.String({ minLength: 1, maxLength: 80 }),
    settingMinor: Minor('Labour to set one stone'),
    sizes: Type.Array(StoneSize, { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
);

export const PriceListBody = Type.Object(
  {
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    alloys: Type.Array(
      Type.Object(
        {
          id: Type.String({ description: `One of ${ALLOY_IDS.join(', ')}` }),
          pricePerGramMinor: Minor('Metal price per gram'),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50 },
    ),
    stones: Type.Array(StonePrice, { maxItems: 100 }),
    labour: Type.Object(
      {
        baseMinor: Minor('Every piece: casting tree, cleaning, inspection'),
        perCm2Minor: Minor('Per cm² of surface to finish and polish'),
        per1kTrianglesMinor: Minor('Per 1000 triangles: a proxy for detail needing hand work'),
        trianglesCapMinor: Minor(
          'Cap of the detail term: a finer export of a simple shape costs little more',
        ),
        perCmSizeMinor: Minor('Per cm of the largest dimension: bigger pieces take longer to handle'),
      },
      { additionalProperties: false },
    ),
    marginPercent: Type.Number({ minimum: 0, maximum: 500 }),
    quoteValidityHours: Type.Integer({ minimum: 1, maximum: 24 * 90 }),
  },
  { additionalProperties: false },
);
export type PriceListBody = Static<typeof PriceListBody>;

export interface PriceList extends PriceListBody {
  version: number;
  createdAt: string;
  createdBy: string;
  note: string | null;
}

export const PriceListInvalidError = createError<'PRICE_LIST_INVALID', 422, [string]>(
  'PRICE_LIST_INVALID',
  'The price list cannot be published: %s.',
  422,
);

/** The first version, seeded by the first migration run: the prices the MES used before. */
export const DEFAULT_PRICE_LIST: PriceListBody = {
  currency: 'EUR',
  alloys: [
    { id: 'gold-585', pricePerGramMinor: 3500 },
    { id: 'gold-750', pricePerGramMinor: 4500 },
    { id: 'silver-925', pricePerGramMinor: 120 },
    { id: 'platinum-950', pricePerGramMinor: 3800 },
  ],
  stones: [
    {
      type: 'diamond',
      name: 'Diamond, brilliant cut',
      settingMinor: 1500,
      sizes: [
        { sizeMm: 1, priceMinor: 2500 },
        { sizeMm: 1.5, priceMinor: 6000 },
        { sizeMm: 2, priceMinor: 12000 },
        { sizeMm: 3, priceMinor: 45000 },
      ],
    },
    {
      type: 'sapphire',
      name: 'Blue sapphire',
      settingMinor: 1500,
      sizes: [
        { sizeMm: 2, priceMinor: 4000 },
        { sizeMm: 3, priceMinor: 9000 },
      ],
    },
    {
      type: 'cubic-zirconia',
      name: 'Cubic zirconia',
      settingMinor: 800,
      sizes: [
        { sizeMm: 1.5, priceMinor: 100 },
        { sizeMm: 2, priceMinor: 150 },
        { sizeMm: 3, priceMinor: 250 },
      ],
    },
  ],
  labour: {
    baseMinor: 2500,
    perCm2Minor: 300,
    per1kTrianglesMinor: 5,
    trianglesCapMinor: 5000,
    perCmSizeMinor: 200,
  },
  marginPercent: 0,
  quoteValidityHours: 72,
};

/**
 * The checks a schema cannot express: every alloy known and priced once, stone types unique,
 * sizes unique. The message names the first problem so the administrator can fix it.
 */
export function checkPriceList(body: PriceListBody): void {
  const seen = new Set<string>();
  for (const a of body.alloys) {
    if (!(ALLOY_IDS as readonly string[]).includes(a.id))
      throw new PriceListInvalidError(`alloy '${a.id}' is unknown; known alloys are ${ALLOY_IDS.join(', ')}`);
    if (seen.has(a.id)) throw new PriceListInvalidError(`alloy '${a.id}' is priced twice`);
    seen.add(a.id);
  }
  const missing = ALLOY_IDS.filter((id) => !seen.has(id));
  if (missing.length > 0)
    throw new PriceListInvalidError(`alloys ${missing.join(', ')} have no price per gram`);
  const stones = new Set<string>();
  for (const s of body.stones) {
    if (stones.has(s.type)) throw new PriceListInvalidError(`stone type '${s.type}' appears twice`);
    stones.add(s.type);
    const sizes = new Set(s.sizes.map((z) => z.sizeMm));
    if (sizes.size !== s.sizes.length)
      throw new PriceListInvalidError(`stone type '${s.type}' lists a size twice`);
  }
}

/** The alloys of a price list with the product facts (name, density) every service shares. */
export function alloysOf(list: PriceListBody) {
  return list.alloys.map((a) => {
    const facts = ALLOY_FACTS.find((f) => f.id === a.id);
    return {
      id: a.id,
      name: facts?.name ?? a.id,
      densityGPerCm3: facts?.densityGPerCm3 ?? 0,
      pricePerGramMinor: a.pricePerGramMinor,
    };
  });
}
