import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Value } from '@sinclair/typebox/value';
import { PriceBreakdown } from '../../src/contracts/events.js';
import {
  ALLOYS,
  AlloyUnknownError,
  DEFAULT_PRICING_RULES,
  ALLOY_IDS,
  priceFromCatalog,
  priceFromMesh,
} from '../../src/mes/domain/pricing.js';
import { analyzeMesh } from '../../src/platform/geometry/mesh.js';
import { parseStl } from '../../src/platform/geometry/stl.js';
import { cubeStl, torusMesh } from '../../src/platform/geometry/generate.js';

// No labour: isolates the metal term.
const NO_LABOUR = { labourBaseMinor: 0, labourPerCm2Minor: 0, labourPer1kTrianglesMinor: 0 };

function assertIntegerMoney(b: {
  metalMinor: number;
  labourMinor: number;
  total: { amountMinor: number };
}): void {
  for (const v of [b.metalMinor, b.labourMinor, b.total.amountMinor])
    assert.ok(Number.isSafeInteger(v), `${v}`);
  assert.equal(b.total.amountMinor, b.metalMinor + b.labourMinor);
}

test('alloy table has the agreed densities and default prices', () => {
  const expected = {
    'gold-585': [13.0, 3500],
    'gold-750': [15.5, 4500],
    'silver-925': [10.36, 120],
    'platinum-950': [20.7, 3800],
  };
  for (const [id, [density, price]] of Object.entries(expected)) {
    const a = ALLOYS[id as keyof typeof ALLOYS];
    assert.equal(a.densityGPerCm3, density, id);
    assert.equal(a.pricePerGramMinor, price, id);
    assert.ok(a.name.length > 0);
  }
  assert.deepEqual(ALLOY_IDS, ['gold-585', 'gold-750', 'silver-925', 'platinum-950']);
});

test('a 1 cm³ gold-585 cube: 13 g × 3500 = 45500 minor of metal', () => {
  const geometry = analyzeMesh(parseStl(cubeStl(10))); // 10 mm cube = 1000 mm³ = 1 cm³
  const b = priceFromMesh(geometry, 'gold-585', 1);
  assert.equal(b.method, 'mesh');
  assert.equal(b.alloy, 'gold-585');
  assert.equal(b.volumeMm3, 1000);
  assert.equal(b.densityGPerCm3, 13);
  assert.equal(b.metalGrams, 13);
  assert.equal(b.pricePerGramMinor, 3500);
  assert.equal(b.metalMinor, 45500);
  assert.equal(b.triangles, 12);
  // Default labour: 2500 base + 6 cm² × 300 + 12/1000 × 5 = 2500 + 1800 + 0.06 → 4300.
  assert.equal(b.labourMinor, 4300);
  assert.deepEqual(b.total, { amountMinor: 49800, currency: 'EUR' });
  assertIntegerMoney(b);
});

test('the breakdown has exactly the agreed keys and satisfies the PriceBreakdown contract', () => {
  const b = priceFromMesh({ volumeMm3: 512.3, areaMm2: 410, triangleCount: 20000 }, 'gold-750', 2);
  assert.deepEqual(Object.keys(b).sort(), [
    'alloy',
    'densityGPerCm3',
    'labourMinor',
    'metalGrams',
    'metalMinor',
    'method',
    'pricePerGramMinor',
    'total',
    'triangles',
    'volumeMm3',
  ]);
  const typed: PriceBreakdown = b; // compile-time check against the shared contract
  assert.ok(Value.Check(PriceBreakdown, typed), JSON.stringify([...Value.Errors(PriceBreakdown, typed)]));
  const c = priceFromCatalog({ amountMinor: 129900, currency: 'EUR' }, 'gold-585', 1);
  assert.deepEqual(Object.keys(c).sort(), ['alloy', 'labourMinor', 'metalMinor', 'method', 'total']);
  assert.ok(Value.Check(PriceBreakdown, c satisfies PriceBreakdown));
});

test('quantity multiplies the rounded per-piece prices exactly', () => {
  const g = { volumeMm3: 177.65, areaMm2: 355.3, triangleCount: 6144 };
  const one = priceFromMesh(g, 'gold-585', 1);
  const seven = priceFromMesh(g, 'gold-585', 7);
  assert.equal(seven.metalMinor, 7 * one.metalMinor);
  assert.equal(seven.labourMinor, 7 * one.labourMinor);
  assert.equal(seven.total.amountMinor, 7 * one.total.amountMinor);
  assert.equal(seven.metalGrams, one.metalGrams, 'grams are per piece');
  // 0.17765 cm³ × 13 g/cm³ = 2.30945 g; × 3500 = 8083.075 → 8083 per piece.
  assert.equal(one.metalMinor, 8083);
  // 2500 + 3.553 cm² × 300 + 6.144 × 5 = 2500 + 1065.9 + 30.72 = 3596.62 → 3597 per piece.
  assert.equal(one.labourMinor, 3597);
  assertIntegerMoney(seven);
});

test('money is integer even when grams and area are not', () => {
  const torus = analyzeMesh(torusMesh(9.3, 1.17, 97, 31));
  for (const alloy of Object.keys(ALLOYS)) {
    for (const q of [1, 3, 100]) {
      const b = priceFromMesh(torus, alloy, q);
      assertIntegerMoney(b);
      assert.equal(b.pricePerGramMinor, ALLOYS[alloy as keyof typeof ALLOYS].pricePerGramMinor);
      assert.equal(b.metalMinor, Math.round(b.metalGrams * b.pricePerGramMinor) * q);
    }
  }
});

test('other alloys: density and price per gram feed through', () => {
  const cm3 = { volumeMm3: 1000, areaMm2: 0, triangleCount: 0 };
  assert.equal(priceFromMesh(cm3, 'gold-750', 1, NO_LABOUR).metalMinor, 15.5 * 4500); // 69750
  assert.equal(priceFromMesh(cm3, 'platinum-950', 1, NO_LABOUR).metalMinor, 78660); // 20.7 × 3800
  assert.equal(priceFromMesh(cm3, 'silver-925', 1, NO_LABOUR).metalMinor, 1243); // 10.36 × 120 = 1243.2
  assert.equal(
    priceFromMesh(cm3, 'silver-925', 2, NO_LABOUR).metalMinor,
    2486,
    'rounded per piece, then × 2',
  );
});

test('rules: price per gram override, labour terms and the triangle cap', () => {
  const g = { volumeMm3: 2000, areaMm2: 250, triangleCount: 3_000_000 };
  const b = priceFromMesh(g, 'gold-585', 1, { pricePerGramMinor: { 'gold-585': 4000 } });
  assert.equal(b.pricePerGramMinor, 4000);
  assert.equal(b.metalMinor, 26 * 4000);
  // 2500 + 2.5 cm² × 300 + min(5000, 3000 × 5) = 2500 + 750 + 5000.
  assert.equal(b.labourMinor, 8250);
  const noCap = priceFromMesh(g, 'gold-585', 1, { labourTrianglesCapMinor: 1_000_000 });
  assert.equal(noCap.labourMinor, 2500 + 750 + 15000);
  assert.equal(DEFAULT_PRICING_RULES.labourBaseMinor, 2500);
});

test('ALLOY_UNKNOWN is a 422 listing the known alloys', () => {
  const g = { volumeMm3: 1000, areaMm2: 600, triangleCount: 12 };
  for (const fn of [
    () => priceFromMesh(g, 'gold-999', 1),
    () => priceFromCatalog({ amountMinor: 1, currency: 'EUR' }, 'tin', 1),
  ]) {
    assert.throws(fn, (err: unknown) => {
      assert.ok(err instanceof AlloyUnknownError);
      assert.equal(err.code, 'ALLOY_UNKNOWN');
      assert.equal(err.statusCode, 422);
      assert.match(err.message, /gold-585, gold-750, silver-925, platinum-950/);
      return true;
    });
  }
  // Inherited object keys are not alloys.
  assert.throws(() => priceFromMesh(g, 'toString', 1), AlloyUnknownError);
});

test('invalid inputs are rejected with PRICE_INPUT_INVALID', () => {
  const g = { volumeMm3: 1000, areaMm2: 600, triangleCount: 12 };
  const bad: Array<() => unknown> = [
    () => priceFromMesh(g, 'gold-585', 0),
    () => priceFromMesh(g, 'gold-585', 1.5),
    () => priceFromMesh({ ...g, volumeMm3: 0 }, 'gold-585', 1),
    () => priceFromMesh({ ...g, volumeMm3: Number.NaN }, 'gold-585', 1),
    () => priceFromMesh({ ...g, areaMm2: -1 }, 'gold-585', 1),
    () => priceFromMesh(g, 'gold-585', 1, { pricePerGramMinor: { 'gold-585': 35.5 } }),
    () => priceFromCatalog({ amountMinor: 99.9, currency: 'EUR' }, 'gold-585', 1),
    () => priceFromCatalog({ amountMinor: 2 ** 52, currency: 'EUR' }, 'gold-585', 4),
  ];
  for (const fn of bad) assert.throws(fn, { code: 'PRICE_INPUT_INVALID', statusCode: 422 });
});

test('catalog price: list price × quantity, metal and labour folded in', () => {
  const b = priceFromCatalog({ amountMinor: 129900, currency: 'EUR' }, 'silver-925', 3);
  assert.deepEqual(b, {
    method: 'catalog',
    alloy: 'silver-925',
    metalMinor: 0,
    labourMinor: 0,
    total: { amountMinor: 389700, currency: 'EUR' },
  });
});
