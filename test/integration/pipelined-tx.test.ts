/**
 * Statements sent together on the pipelined PostgreSQL connection: they run in the order they
 * were issued inside the transaction, and a failure among them rolls every one back and leaves
 * the pooled connection fit for the next transaction.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { together } from '../../src/platform/db/together.js';
import { serviceDb } from '../support/messaging.js';

describe('statements sent together in a transaction (PostgreSQL)', () => {
  let svc: Awaited<ReturnType<typeof serviceDb>>;
  before(async () => {
    svc = await serviceDb('pipelined');
    await svc.db.query('CREATE TABLE notes (k int PRIMARY KEY, v text NOT NULL)');
  });
  after(() => svc.drop());

  test('a later statement sees what an earlier one wrote', async () => {
    const [, , seen] = await svc.db.tx((q) =>
      together(
        q.query("INSERT INTO notes VALUES (1, 'one')"),
        q.query("UPDATE notes SET v = v || '+' WHERE k = 1"),
        q.query<{ v: string }>('SELECT v FROM notes WHERE k = $1', [1]),
      ),
    );
    assert.deepEqual(seen.rows, [{ v: 'one+' }]);
  });

  test('one failing statement rolls all of them back; the connections stay usable', async () => {
    await assert.rejects(
      svc.db.tx((q) =>
        together(
          q.query("INSERT INTO notes VALUES (2, 'two')"),
          q.query('INSERT INTO notes VALUES ($1, $2)', [1, 'duplicate key']),
          q.query("INSERT INTO notes VALUES (3, 'three')"),
        ),
      ),
      /duplicate key/,
    );
    // Every pooled connection runs a clean transaction afterwards (none is left aborted).
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        svc.db.tx((q) => q.query('INSERT INTO notes VALUES ($1, $2)', [100 + i, 'after'])),
      ),
    );
    const rows = await svc.db.query<{ k: number }>('SELECT k FROM notes WHERE k < 100 ORDER BY k');
    assert.deepEqual(
      rows.rows.map((r) => r.k),
      [1],
    );
  });

  test('a transaction that fails before its first statement rolls back cleanly', async () => {
    await assert.rejects(
      svc.db.tx(async () => {
        throw new Error('refused before any statement');
      }),
      /refused before any statement/,
    );
    const n = await svc.db.tx((q) => q.query<{ n: number }>('SELECT count(*)::int AS n FROM notes'));
    assert.equal(n.rows[0]?.n, 9);
  });
});
