/**
 * The operator workspace's live lists (web/src/lib/liveOrders.ts): pages and stream events merged
 * by which version is newer, and the rows shown while more pages remain. The rules here are the
 * queue's: approved and nobody's, oldest approval first (time, then id, as the server's keyset).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addPage,
  applyChange,
  fromPage,
  visibleItems,
  type ListPage,
  type ListRules,
  type LiveList,
} from '../../web/src/lib/liveOrders.js';

interface Row {
  id: string;
  status: string;
  operator: string | null;
  approvedAt: string;
  updatedAt: string;
}

const at = (second: number) => new Date(Date.UTC(2026, 0, 5, 9, 0, second)).toISOString();

/** Order `n`: approved at second n, last changed at second `changed` (default n). */
function row(n: number, changes: Partial<Row> = {}): Row {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    status: 'MANUFACTURING_APPROVED',
    operator: null,
    approvedAt: at(n),
    updatedAt: at(n),
    ...changes,
  };
}

const queue: ListRules<Row> = {
  matches: (o) => o.status === 'MANUFACTURING_APPROVED' && o.operator === null,
  compare: (a, b) =>
    Date.parse(a.approvedAt) - Date.parse(b.approvedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
};

const page = (items: Row[], watermark: number, nextCursor: string | null = null): ListPage<Row> => ({
  items,
  watermark,
  nextCursor,
});

const shown = (list: LiveList<Row>) => visibleItems(list, queue.compare).map((o) => o.id);
const ids = (...ns: number[]) => ns.map((n) => row(n).id);
const taken = (n: number, second: number) =>
  row(n, { status: 'MANUFACTURING_STARTED', operator: 'olga', updatedAt: at(second) });

test('a new queued order is inserted in approval order, a taken one leaves', () => {
  let list = fromPage(page([row(1), row(3), row(5)], 100));
  // Released back to the queue: its approval is old, so it goes between the others.
  list = applyChange(list, { position: 101, order: row(2, { updatedAt: at(40) }) }, queue);
  list = applyChange(list, { position: 102, order: row(9) }, queue);
  assert.deepEqual(shown(list), ids(1, 2, 3, 5, 9));
  list = applyChange(list, { position: 103, order: taken(3, 41) }, queue);
  assert.deepEqual(shown(list), ids(1, 2, 5, 9));
});

test('orders with the same approval time sort by id, as the server pages them', () => {
  const a = row(7, { id: 'aaaaaaaa-0000-4000-8000-000000000000' });
  const b = row(7, { id: '0aaaaaaa-0000-4000-8000-000000000000' });
  const list = applyChange(fromPage(page([a], 10)), { position: 11, order: b }, queue);
  assert.deepEqual(shown(list), [b.id, a.id]);
});

test('an event the page already contains (up to its watermark) is not applied again', () => {
  let list = fromPage(page([row(1), row(2)], 50));
  // A buffered event from before the page: the order was taken, then released (the page has that).
  list = applyChange(list, { position: 49, order: taken(2, 30) }, queue);
  assert.deepEqual(shown(list), ids(1, 2));
});

test('a later event older than the page (read after it committed) loses to the page', () => {
  const released = row(2, { updatedAt: at(45) });
  let list = fromPage(page([row(1), released], 50));
  // Replayed from a replica's lag allowance: past the watermark, but older than the page's row.
  list = applyChange(list, { position: 51, order: taken(2, 30) }, queue);
  assert.deepEqual(shown(list), ids(1, 2));
  // A truly newer change still wins.
  list = applyChange(list, { position: 52, order: taken(2, 46) }, queue);
  assert.deepEqual(shown(list), ids(1));
});

test('between two events of one order the later stream position wins, not updatedAt', () => {
  let list = fromPage(page([row(1)], 10));
  list = applyChange(list, { position: 11, order: taken(1, 20) }, queue);
  // Released in a transaction that started earlier but committed later.
  list = applyChange(list, { position: 12, order: row(1, { updatedAt: at(19) }) }, queue);
  assert.deepEqual(shown(list), ids(1));
  // The first event again (a reconnect replays it): older, ignored.
  list = applyChange(list, { position: 11, order: taken(1, 20) }, queue);
  assert.deepEqual(shown(list), ids(1));
});

test('while more pages remain, an order past the last loaded row waits for its page', () => {
  let list = fromPage(page([row(1), row(2), row(3)], 100, 'cursor-3'));
  list = applyChange(list, { position: 101, order: row(9) }, queue);
  assert.deepEqual(shown(list), ids(1, 2, 3), 'not shown: orders 4 to 8 are not loaded yet');

  // The next page was read before order 9 was approved, so it does not have it: it is kept.
  list = addPage(list, page([row(4), row(5)], 100, 'cursor-5'));
  assert.deepEqual(shown(list), ids(1, 2, 3, 4, 5));
  list = addPage(list, page([row(6), row(8)], 100, null));
  assert.deepEqual(shown(list), ids(1, 2, 3, 4, 5, 6, 8, 9), 'every page loaded: all of them');
});

test('the cursor row leaving does not hide an order that sorts before it', () => {
  let list = fromPage(page([row(1), row(2), row(5)], 100, 'cursor-5'));
  list = applyChange(list, { position: 101, order: taken(5, 60) }, queue);
  // Released with an approval between the last row still shown and the cursor: page 2 starts
  // after the cursor and will not bring it, so it shows now.
  list = applyChange(list, { position: 102, order: row(4, { updatedAt: at(61) }) }, queue);
  assert.deepEqual(shown(list), ids(1, 2, 4));
  list = addPage(list, page([row(6)], 102, null));
  assert.deepEqual(shown(list), ids(1, 2, 4, 6));
});

test('a next page does not bring back an order that changed live after it was read', () => {
  let list = fromPage(page([row(1), row(2)], 100, 'cursor-2'));
  list = applyChange(list, { position: 101, order: taken(3, 50) }, queue);
  list = addPage(list, page([row(3), row(4)], 100, null));
  assert.deepEqual(shown(list), ids(1, 2, 4));
});

test('the pages and events are not changed in place (React state)', () => {
  const first = page([row(1)], 10, 'cursor-1');
  const list = fromPage(first);
  const next = applyChange(list, { position: 11, order: taken(1, 20) }, queue);
  assert.deepEqual(shown(list), ids(1));
  assert.deepEqual(shown(next), []);
  assert.equal(applyChange(next, { position: 11, order: taken(1, 20) }, queue), next, 'no change: same list');
});
