/** Stage deadlines in the tracker's database: seconds, and working days that skip weekends. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openPglite } from '../../src/platform/db/pglite.js';
import type { Db } from '../../src/platform/db/types.js';
import { migrateService } from '../../src/platform/service.js';
import { tracker } from '../../src/tracker/index.js';

let db: Db;
before(async () => {
  db = await openPglite(); // in memory
  await migrateService(tracker, db);
});
after(() => db.close());

async function deadline(since: string, seconds: number | null, workingDays: number | null): Promise<string> {
  const r = await db.query<{ d: Date | string }>('SELECT tracker_deadline($1::timestamptz, $2, $3) AS d', [
    since,
    seconds,
    workingDays,
  ]);
  return new Date(r.rows[0]?.d ?? NaN).toISOString();
}

test('a deadline in seconds is that many seconds later, whatever the day', async () => {
  assert.equal(await deadline('2026-12-05T10:00:00Z', 300, null), '2026-12-05T10:05:00.000Z');
});

test('working days skip Saturday and Sunday', async () => {
  // Thursday + 1 → Friday; Friday + 1 → Monday; Saturday + 1 → Monday; Friday + 6 → the Monday after next.
  assert.equal(await deadline('2026-12-03T15:00:00Z', null, 1), '2026-12-04T15:00:00.000Z');
  assert.equal(await deadline('2026-12-04T15:00:00Z', null, 1), '2026-12-07T15:00:00.000Z');
  assert.equal(await deadline('2026-12-05T09:00:00Z', null, 1), '2026-12-07T09:00:00.000Z');
  assert.equal(await deadline('2026-12-04T15:00:00Z', null, 6), '2026-12-14T15:00:00.000Z');
});

test('the seeded deadlines cover every status an order waits in for someone', async () => {
  const r = await db.query<{ status: string }>(
    "SELECT status FROM stage_deadlines WHERE channel = '*' ORDER BY status",
  );
  assert.deepEqual(
    r.rows.map((x) => x.status),
    [
      'MANUFACTURING_APPROVED',
      'MANUFACTURING_COMPLETED',
      'MANUFACTURING_STARTED',
      'PACKAGING',
      'PRICE_CALCULATED',
      'PRICING_FAILED',
      'SHIPPED',
      'SUBMITTED',
    ],
  );
});
