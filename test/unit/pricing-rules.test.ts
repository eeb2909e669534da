import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Value } from '@sinclair/typebox/value';
import { PriceBreakdown, type ModelFigures } from '../../src/contracts/events.js';
import {
  AlloyUnknownError,
  priceFromCatalog,
  priceFromModel,
  StoneUnknownError,
} from '../../src/pricing/domain/price.js';
import {
  checkPriceList,
  DEFAULT_PRICE_LIST,
  PriceListBody,
  type PriceList,
} from '../../src/pricing/domain/price-list.js';

const LIST: PriceList = { ...DEFAULT_PRICE_LIST, version: 3, createdAt: '', createdBy: 'test', note: null };
/** The same list without labour or margin: isolates the metal and stone terms. */
const METAL_ONLY: PriceList = {
  ...LIST,
  labour: { baseMinor: 0, perCm2Minor: 0, per1kTrianglesMinor: 0, trianglesCapMinor: 0, perCmSizeMinor: 0 },
};

const model = (over: Partial<ModelFigures> = {}): ModelFigures => ({
  triangleCount: 12,
  volumeMm3: 1000,
  areaMm2: 600,
  dimensionsMm: [10, 10, 10],
  units: 'mm',
  watertight: true,
  ...over,
});

function assertSums(b: PriceBreakdown): void {
  for (const v of [b.metalMinor, b.labourMinor, b.stonesMinor ?? 0, b.marginMinor ?? 0, b.total.amountMinor])
    assert.ok(Number.isSafeInteger(v), `${v} is not an integer`);
  assert.equal(
    b.total.amountMinor,
    b.metalMinor + (b.stonesMinor ?? 0) + b.labourMinor + (b.marginMinor ?? 0),
  );
}

test('a 1 cm³ gold-585 cube: 13 g × 3500 of metal, labour by its parts, the version recorded', () => {
  const b = priceFromModel(model(), { alloy: 'gold-585', quantity: 1 }, LIST);
  assert.equal(b.metalGrams, 13);
  assert.equal(b.metalMinor, 45500);
  // 2500 base + 6 cm² × 300 + 12/1000 × 5 (→ 0) + 1 cm × 200.
  assert.deepEqual(b.labour, { baseMinor: 2500, surfaceMinor: 1800, detailMinor: 0, sizeMinor: 200 });
  assert.equal(b.labourMinor, 4500);
  assert.equal(b.priceListVersion, 3);
  assert.deepEqual(b.total, { amountMinor: 50000, currency: 'EUR' });
  assert.ok(Value.Check(PriceBreakdown, b), JSON.stringify([...Value.Errors(PriceBreakdown, b)]));
  assertSums(b);
});

test('each alloy: its density and the price list’s price per gram', () => {
  const cm3 = model({ areaMm2: 0, triangleCount: 0 });
  const metal = (alloy: string, list = METAL_ONLY) =>
    priceFromModel(cm3, { alloy, quantity: 1 }, list).metalMinor;
  assert.equal(metal('gold-750'), 15.5 * 4500);
  assert.equal(metal('platinum-950'), 78660); // 20.7 × 3800
  assert.equal(metal('silver-925'), 1243); // 10.36 × 120 = 1243.2
  const dearer = {
    ...METAL_ONLY,
    alloys: METAL_ONLY.alloys.map((a) => ({ ...a, pricePerGramMinor: a.pricePerGramMinor * 2 })),
  };
  assert.equal(metal('gold-585', dearer), 2 * metal('gold-585'));
});

test('stones: price for the size plus setting, per stone', () => {
  const b = priceFromModel(
    model(),
    { alloy: 'gold-585', quantity: 1, stones: [{ type: 'diamond', sizeMm: 1.5, count: 3 }] },
    METAL_ONLY,
  );
  assert.deepEqual(b.stones, [
    { type: 'diamond', sizeMm: 1.5, count: 3, unitMinor: 6000 + 1500, amountMinor: 22500 },
  ]);
  assert.equal(b.stonesMinor, 22500);
  assertSums(b);
});

test('margin applies to metal, stones and labour, rounded per piece', () => {
  const withMargin: PriceList = { ...LIST, marginPercent: 12.5 };
  const plain = priceFromModel(model(), { alloy: 'gold-585', quantity: 1 }, LIST);
  const b = priceFromModel(model(), { alloy: 'gold-585', quantity: 1 }, withMargin);
  assert.equal(b.marginMinor, Math.round(plain.total.amountMinor * 0.125));
  assert.equal(b.total.amountMinor, plain.total.amountMinor + (b.marginMinor ?? 0));
  assertSums(b);
});

test('quantity multiplies the rounded per-piece amounts exactly', () => {
  const m = model({
    volumeMm3: 177.65,
    areaMm2: 355.3,
    triangleCount: 6144,
    dimensionsMm: [21.3, 19.9, 2.4],
  });
  const opts = { alloy: 'gold-585', stones: [{ type: 'cubic-zirconia', sizeMm: 2, count: 5 }] };
  const list = { ...LIST, marginPercent: 7 };
  const one = priceFromModel(m, { ...opts, quantity: 1 }, list);
  const seven = priceFromModel(m, { ...opts, quantity: 7 }, list);
  for (const k of ['metalMinor', 'labourMinor', 'stonesMinor', 'marginMinor'] as const)
    assert.equal(seven[k], 7 * (one[k] ?? 0), k);
  assert.equal(seven.total.amountMinor, 7 * one.total.amountMinor);
  assert.equal(seven.metalGrams, one.metalGrams, 'grams are per piece');
  assertSums(seven);
});

test('the detail term is capped: a finer export of the same shape costs little more', () => {
  const coarse = priceFromModel(
    model({ triangleCount: 3_000_000 }),
    { alloy: 'gold-585', quantity: 1 },
    LIST,
  );
  assert.equal(coarse.labour?.detailMinor, LIST.labour.trianglesCapMinor);
});

test('unknown alloy, stone type or size: 422 naming what exists', () => {
  assert.throws(
    () => priceFromModel(model(), { alloy: 'gold-999', quantity: 1 }, LIST),
    (err: unknown) =>
      err instanceof AlloyUnknownError && /gold-585, gold-750, silver-925, platinum-950/.test(err.message),
  );
  assert.throws(
    () =>
      priceFromModel(
        model(),
        { alloy: 'gold-585', quantity: 1, stones: [{ type: 'ruby', sizeMm: 2, count: 1 }] },
        LIST,
      ),
    (err: unknown) =>
      err instanceof StoneUnknownError && err.statusCode === 422 && /diamond, sapphire/.test(err.message),
  );
  assert.throws(
    () =>
      priceFromModel(
        model(),
        { alloy: 'gold-585', quantity: 1, stones: [{ type: 'diamond', sizeMm: 7, count: 1 }] },
        LIST,
      ),
    /1 mm, 1.5 mm, 2 mm, 3 mm, not 7 mm/,
  );
});

test('impossible inputs are PRICE_INPUT_INVALID', () => {
  const bad: Array<() => unknown> = [
    () => priceFromModel(model(), { alloy: 'gold-585', quantity: 0 }, LIST),
    () => priceFromModel(model(), { alloy: 'gold-585', quantity: 1.5 }, LIST),
    () => priceFromModel(model({ volumeMm3: 0 }), { alloy: 'gold-585', quantity: 1 }, LIST),
    () => priceFromModel(model({ volumeMm3: Number.NaN }), { alloy: 'gold-585', quantity: 1 }, LIST),
    () => priceFromModel(model({ areaMm2: -1 }), { alloy: 'gold-585', quantity: 1 }, LIST),
    () => priceFromCatalog({ amountMinor: 99.9, currency: 'EUR' }, 'gold-585', 1),
    () => priceFromCatalog({ amountMinor: 2 ** 52, currency: 'EUR' }, 'gold-585', 4),
  ];
  for (const fn of bad) assert.throws(fn, { code: 'PRICE_INPUT_INVALID', statusCode: 422 });
});

test('catalog price: list price × quantity', () => {
  const b = priceFromCatalog({ amountMinor: 129900, currency: 'EUR' }, 'silver-925', 3);
  assert.deepEqual(b.total, { amountMinor: 389700, currency: 'EUR' });
  assert.ok(Value.Check(PriceBreakdown, b));
});

test('price list checks: the default passes; unknown, missing or repeated entries are named', () => {
  assert.ok(Value.Check(PriceListBody, DEFAULT_PRICE_LIST));
  checkPriceList(DEFAULT_PRICE_LIST);
  const cases: [PriceListBody, RegExp][] = [
    [
      { ...DEFAULT_PRICE_LIST, alloys: [...DEFAULT_PRICE_LIST.alloys, { id: 'tin', pricePerGramMinor: 1 }] },
      /'tin' is unknown/,
    ],
    [{ ...DEFAULT_PRICE_LIST, alloys: DEFAULT_PRICE_LIST.alloys.slice(1) }, /gold-585 have no price/],
    [
      { ...DEFAULT_PRICE_LIST, stones: [...DEFAULT_PRICE_LIST.stones, DEFAULT_PRICE_LIST.stones[0]!] },
      /'diamond' appears twice/,
    ],
  ];
  for (const [body, message] of cases)
    assert.throws(
      () => checkPriceList(body),
      (err: unknown) =>
        (err as { code: string }).code === 'PRICE_LIST_INVALID' && message.test((err as Error).message),
    );
});
