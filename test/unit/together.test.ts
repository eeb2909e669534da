import assert from 'node:assert/strict';
import { test } from 'node:test';
import { together } from '../../src/platform/db/together.js';

const later = <T>(ms: number, value: T, fail = false) =>
  new Promise<T>((resolve, reject) =>
    setTimeout(() => (fail ? reject(new Error(String(value))) : resolve(value)), ms),
  );

test('together gives every result in the order passed', async () => {
  assert.deepEqual(await together(later(20, 'a'), later(5, 2), Promise.resolve(true)), ['a', 2, true]);
});

test('together fails only once every statement has settled, with the first failure', async () => {
  let slowSettled = false;
  const slow = later(40, 'slow').then((v) => {
    slowSettled = true;
    return v;
  });
  await assert.rejects(together(later(5, 'broken', true), slow, later(10, 'also', true)), /broken/);
  // Promise.all would have failed at 5 ms, with the slow statement still running.
  assert.equal(slowSettled, true);
});
