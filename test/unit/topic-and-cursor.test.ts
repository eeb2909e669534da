import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topicMatches } from '../../src/platform/messaging/transport.js';
import { decodeCursor, encodeCursor, page, type Cursor } from '../../src/platform/http/cursor.js';
import { BadCursorError } from '../../src/platform/http/errors.js';

test('topicMatches: # is zero or more words', () => {
  assert.equal(topicMatches('order.#', 'order.submitted.v1'), true);
  assert.equal(topicMatches('order.#', 'order'), true);
  assert.equal(topicMatches('order.#', 'order.a.b.c.d'), true);
  assert.equal(topicMatches('order.#', 'orders.submitted.v1'), false);
  assert.equal(topicMatches('order.#', 'invoice.order.v1'), false);
  assert.equal(topicMatches('#.v1', 'order.submitted.v1'), true);
  assert.equal(topicMatches('#.v1', 'order.submitted.v2'), false);
  assert.equal(topicMatches('order.#.v1', 'order.v1'), true);
  assert.equal(topicMatches('order.#.v1', 'order.a.b.v1'), true);
  assert.equal(topicMatches('order.#.v1', 'order.a.b.v2'), false);
});

test('topicMatches: # alone matches everything', () => {
  for (const key of ['order.submitted.v1', 'order', 'a.b.c.d.e', 'x'])
    assert.equal(topicMatches('#', key), true, key);
});

test('topicMatches: * is exactly one word', () => {
  assert.equal(topicMatches('order.*.v1', 'order.submitted.v1'), true);
  assert.equal(topicMatches('order.*.v1', 'order.price_calculated.v1'), true);
  assert.equal(topicMatches('order.*.v1', 'order.a.b.v1'), false);
  assert.equal(topicMatches('order.*.v1', 'order.v1'), false);
  assert.equal(topicMatches('order.*.v1', 'order.submitted.v2'), false);
  assert.equal(topicMatches('order.*', 'order'), false);
  assert.equal(topicMatches('*.*.*', 'order.submitted.v1'), true);
  assert.equal(topicMatches('*.*', 'order.submitted.v1'), false);
});

test('topicMatches: exact types', () => {
  assert.equal(topicMatches('order.submitted.v1', 'order.submitted.v1'), true);
  assert.equal(topicMatches('order.submitted.v1', 'order.submitted.v2'), false);
  assert.equal(topicMatches('order.submitted.v1', 'order.submitted'), false);
  assert.equal(topicMatches('order.submitted', 'order.submitted.v1'), false);
  // Words match whole, not as prefixes or substrings.
  assert.equal(topicMatches('order.sub.v1', 'order.submitted.v1'), false);
});

const AT = '2026-11-21T10:00:00.123Z';
const ID = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

test('cursor round trip', () => {
  const c: Cursor = { at: AT, id: ID };
  const s = encodeCursor(c);
  assert.match(s, /^[A-Za-z0-9_-]+$/, 'URL-safe without padding');
  assert.deepEqual(decodeCursor(s), c);
});

test('no cursor decodes to undefined', () => {
  assert.equal(decodeCursor(undefined), undefined);
  assert.equal(decodeCursor(''), undefined);
});

function assertBadCursor(s: string, label = s): void {
  assert.throws(
    () => decodeCursor(s),
    (err: unknown) => {
      assert.ok(err instanceof BadCursorError, `${label}: BadCursorError`);
      const e = err as Error & { code: string; statusCode: number };
      assert.equal(e.code, 'CURSOR_INVALID');
      assert.equal(e.statusCode, 400);
      return true;
    },
    label,
  );
}

const b64 = (text: string): string => Buffer.from(text).toString('base64url');

test('garbage cursors are CURSOR_INVALID 400', () => {
  assertBadCursor('garbage!!');
  assertBadCursor('abc');
  assertBadCursor(b64('not json'), 'not json');
  assertBadCursor(b64('null'), 'null');
  assertBadCursor(b64('{"at":"2026-11-21T10:00:00Z","id":"x"}'), 'object');
  assertBadCursor(b64('[]'), 'empty array');
  assertBadCursor(b64(JSON.stringify([AT])), 'no id');
  assertBadCursor(b64(JSON.stringify([1, ID])), 'numeric time');
  assertBadCursor(b64(JSON.stringify(['yesterday', ID])), 'not a time');
  assertBadCursor(b64(JSON.stringify([AT, 42])), 'numeric id');
});

test('cursors whose values the database would reject are CURSOR_INVALID, not a server error', () => {
  // The stores cast the cursor to ($at::timestamptz, $id::uuid): anything that is not an
  // ISO timestamp and a UUID must stop here as a 400 rather than fail in SQL as a 500.
  assertBadCursor(b64(JSON.stringify([AT, 'not-a-uuid'])), 'id not a uuid');
  assertBadCursor(b64(JSON.stringify(['2', ID])), 'time "2" (Date.parse accepts it)');
  assertBadCursor(b64(JSON.stringify('2024')), 'a JSON string, destructured as characters');
  assertBadCursor(b64(JSON.stringify(['2026-02-30T10:00:00Z', ID])), 'February 30th');
  assertBadCursor(b64(JSON.stringify(['2026-11-21 10:00:00', ID])), 'no T, no zone');
  // What the stores produce (ISO strings from toISOString, or offsets) still decodes.
  for (const at of ['2026-11-21T10:00:00Z', '2026-11-21T10:00:00.123456+01:00', '2024-02-29T23:59:59.999Z'])
    assert.deepEqual(decodeCursor(encodeCursor({ at, id: ID })), { at, id: ID }, at);
});

interface Row {
  id: string;
  createdAt: string;
}
const rows: Row[] = Array.from({ length: 6 }, (_, i) => ({
  id: `0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5${i}`,
  createdAt: `2026-11-21T10:00:0${i}.000Z`,
}));
const key = (r: Row): Cursor => ({ at: r.createdAt, id: r.id });

test('page: limit + 1 rows means there is a next page, keyed on the last item shown', () => {
  const p = page(rows.slice(0, 4), 3, key);
  assert.deepEqual(p.items, rows.slice(0, 3));
  assert.ok(p.nextCursor);
  assert.deepEqual(decodeCursor(p.nextCursor), { at: rows[2]?.createdAt, id: rows[2]?.id });
});

test('page: no more rows than the limit means no next page', () => {
  assert.deepEqual(page(rows.slice(0, 3), 3, key), { items: rows.slice(0, 3), nextCursor: null });
  assert.deepEqual(page(rows.slice(0, 2), 3, key), { items: rows.slice(0, 2), nextCursor: null });
  assert.deepEqual(page([], 3, key), { items: [], nextCursor: null });
});

test('page: walking pages visits every row once', () => {
  // Simulates a store: rows after the cursor (ascending), limit + 1 at a time.
  const seen: Row[] = [];
  let after: Cursor | undefined;
  for (let guard = 0; guard < 10; guard++) {
    const start = after ? rows.findIndex((r) => r.id === after?.id) + 1 : 0;
    const p = page(rows.slice(start, start + 3), 2, key);
    seen.push(...p.items);
    if (!p.nextCursor) break;
    after = decodeCursor(p.nextCursor);
  }
  assert.deepEqual(seen, rows);
});
