import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedBufferPool } from '../../src/pricing/engine/shared-buffers.js';

test('a buffer given back serves the next model that fits; the smallest that fits is chosen', () => {
  const pool = new SharedBufferPool(4);
  const big = pool.take(5_000_000);
  const small = pool.take(1_000);
  assert.ok(big.byteLength >= 5_000_000 && small.byteLength >= 1_000);
  pool.give(big);
  pool.give(small);
  assert.equal(pool.take(900), small);
  assert.equal(pool.take(900_000), big, 'the big one fits what the small one no longer can');
  assert.notEqual(pool.take(100), small, 'taken buffers are not handed out twice');
});

test('buffers the pool did not make, or that are given twice, are not kept', () => {
  const pool = new SharedBufferPool(4);
  pool.give(new SharedArrayBuffer(1 << 20));
  assert.equal(pool.keptBytes, 0);
  const b = pool.take(10);
  pool.give(b);
  pool.give(b);
  assert.equal(pool.keptBytes, b.byteLength);
});

test('at most maxKept buffers are kept, the largest ones; idle ones are dropped', async () => {
  const pool = new SharedBufferPool(2, 50);
  const sizes = [1, 3, 2].map((mb) => pool.take(mb << 20));
  for (const b of sizes) pool.give(b);
  assert.equal(pool.keptBytes, (3 + 2) << 20);
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(pool.keptBytes, 0);
});
