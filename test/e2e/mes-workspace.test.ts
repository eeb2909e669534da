/**
 * The MES operator workspace on a real PostgreSQL (the rest of the platform embedded): the
 * partitioned orders and their counts, filters and cursor pages, the live stream with
 * Last-Event-ID, atomic claims by 50 operators at once, fair auto-assignment, the
 * administrator's reassign and release with their audit trail, operators' numbers, archive months.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { assertError, client, type Client } from '../api/http.js';
import { eventually, startEmbedded, type EmbeddedPlatform } from '../support/embedded.js';
import { createTestDatabase } from '../support/servers.js';
import { openSse } from '../support/sse.js';

const ADMIN = { authorization: 'Bearer atelier-admin' };
const ALL_SKILLS = ['casting', 'stone_setting', 'engraving', 'polishing'];

interface WsOrder {
  id: string;
  number: string;
  status: string;
  operator: string | null;
  channel: string;
  createdAt: string;
  dueAt: string;
  overdue: boolean;
  customerName: string | null;
  partnerId: string | null;
}
interface WsPage {
  items: WsOrder[];
  nextCursor: string | null;
  watermark: number;
}
interface Counts {
  counts: Record<string, number>;
  active: number;
  queue: number;
}

describe('MES workspace on PostgreSQL', () => {
  let platform: EmbeddedPlatform;
  let api: Client;
  let mesDb: { url: string; drop(): Promise<void> };
  let sql: pg.Pool;
  let customerSeq = 0;

  const putOperator = async (id: string, body: Record<string, unknown>) => {
    const r = await api('PUT', `/api/mes/operators/${id}`, { json: body, headers: ADMIN });
    assert.ok(r.status === 200 || r.status === 201, JSON.stringify(r.body));
  };
  /** A catalog order, placed and submitted in one click; the CRM approves it by itself. */
  const placeOrder = async (customer = `Customer ${++customerSeq}`) => {
    const r = await api<{ id: string; number: string }>('POST', '/api/shop/orders', {
      json: {
        kind: 'catalog',
        catalogSku: 'RING-TORUS-585',
        customer: { name: customer, email: 'c@example.com' },
        submit: true,
      },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };
  const mesOrder = (id: string) =>
    api<{ status: string; operator: string | null }>('GET', `/api/mes/orders/${id}`).then((r) => r.body);
  const waitStatus = (id: string, status: string, operator?: string | null) =>
    eventually(
      async () => {
        const o = await mesOrder(id);
        return o.status === status && (operator === undefined || o.operator === operator) ? o : undefined;
      },
      20_000,
      `order ${id} to be ${status} in the MES`,
    );
  const counts = () => api<Counts>('GET', '/api/mes/workspace/counts').then((r) => r.body);
  /** What the counts must be: count(*) over the partitions, the oracle the trigger must match. */
  const countedByHand = async () => {
    const r = await sql.query<{ status: string; n: string }>(
      'SELECT status, count(*) AS n FROM production_orders GROUP BY status',
    );
    return Object.fromEntries(r.rows.map((x) => [x.status, Number(x.n)]));
  };

  before(async () => {
    mesDb = await createTestDatabase('mes_ws');
    platform = await startEmbedded({
      MES_DATABASE_URL: mesDb.url,
      WORKSPACE_POLL_MS: '50',
      ASSIGN_INTERVAL_MS: '600000',
    });
    api = client(platform.url);
    sql = new pg.Pool({ connectionString: mesDb.url, max: 2 });
  });
  after(async () => {
    await sql?.end();
    await platform?.destroy();
    await mesDb?.drop();
  });

  test('a new order reaches an open stream as it happens, and a reconnect gets what it missed', async () => {
    const stream = await openSse(`${platform.url}/api/mes/workspace/stream`);
    try {
      const hello = await stream.waitFor((e) => e.event === 'hello', 2000, 'hello');
      assert.equal(typeof (hello.data as { watermark: number }).watermark, 'number');
      const placed = await placeOrder();
      const added = await stream.waitFor(
        (e) => e.event === 'added' && (e.data as { order?: { id: string } }).order?.id === placed.id,
        5000,
        'the added event',
      );
      const queued = await stream.waitFor(
        (e) =>
          (e.data as { order?: { id: string } }).order?.id === placed.id &&
          (e.data as { status: string }).status === 'MANUFACTURING_APPROVED',
        10_000,
        'the approval',
      );
      // The MES's own record of when the order entered the queue, against when the stream said so.
      const approvedAt = (
        await sql.query('SELECT approved_at FROM production_orders WHERE id = $1', [placed.id])
      ).rows[0].approved_at as string | Date;
      // The CRM's approval time: the lag covers the broker hop, the MES's handling and the feed.
      const lag = queued.receivedAt - new Date(approvedAt).getTime();
      assert.ok(lag < 1000, `the queued order reached the stream ${lag} ms after the approval`);
      assert.ok(Number(added.id) < Number(queued.id), 'event ids grow');

      // Disconnect, let changes happen, reconnect with the last id seen.
      const lastSeen = Number(queued.id);
      stream.close();
      await putOperator('stream-op', { name: 'Stream Op', skills: ALL_SKILLS, capacity: 5 });
      const claimed = await api('POST', `/api/mes/orders/${placed.id}/claim`, {
        json: { operator: 'stream-op' },
      });
      assert.equal(claimed.status, 200, JSON.stringify(claimed.body));
      const advanced = await api('POST', `/api/mes/orders/${placed.id}/advance`, {
        json: { operator: 'stream-op' },
      });
      assert.equal(advanced.status, 200);
      const again = await openSse(`${platform.url}/api/mes/workspace/stream`, {
        'last-event-id': String(lastSeen),
      });
      try {
        await again.waitFor(
          (e) => (e.data as { status?: string }).status === 'MANUFACTURING_COMPLETED',
          5000,
          'the missed completion',
        );
        const mine = again.events.filter(
          (e) => (e.data as { order?: { id: string } }).order?.id === placed.id,
        );
        assert.deepEqual(
          mine.map((e) => (e.data as { status: string }).status),
          ['MANUFACTURING_STARTED', 'MANUFACTURING_COMPLETED'],
          'exactly the missed changes, in order, none repeated',
        );
        assert.ok(again.events.every((e) => e.event === 'hello' || Number(e.id) > lastSeen));
      } finally {
        again.close();
      }
    } finally {
      stream.close();
    }
  });

  test('50 operators claiming one order at once: exactly one gets it, the others are told who did', async () => {
    const ops = Array.from({ length: 50 }, (_, i) => `claimer-${i + 1}`);
    for (const id of ops) await putOperator(id, { name: id, skills: ALL_SKILLS, capacity: 3 });
    const placed = await placeOrder();
    await waitStatus(placed.id, 'MANUFACTURING_APPROVED');
    const answers = await Promise.all(
      ops.map((operator) => api('POST', `/api/mes/orders/${placed.id}/claim`, { json: { operator } })),
    );
    const won = answers.filter((a) => a.status === 200);
    assert.equal(won.length, 1, `winners: ${won.length}`);
    const winner = (won[0]!.body as { operator: string }).operator;
    for (const a of answers.filter((x) => x.status !== 200)) {
      assertError(a, 409, 'ORDER_ALREADY_CLAIMED', placed.number, winner, 'Pick another order');
    }
    const audit = await api<{ items: { action: string; toOperator: string }[] }>(
      'GET',
      `/api/mes/assignments?orderId=${placed.id}`,
    );
    assert.deepEqual(
      audit.body.items.map((a) => [a.action, a.toOperator]),
      [['claim', winner]],
    );
  });

  test('50 operators taking the next order at once: each order goes to one of them, none twice', async () => {
    const waiting = (await counts()).queue;
    const placed = [];
    for (let i = 0; i < 20; i++) placed.push(await placeOrder());
    for (const p of placed) await waitStatus(p.id, 'MANUFACTURING_APPROVED');
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        api<{ id: string }>('POST', '/api/mes/queue/claim-next', { json: { operator: `claimer-${i + 1}` } }),
      ),
    );
    const taken = answers.filter((a) => a.status === 200).map((a) => a.body.id);
    assert.equal(new Set(taken).size, taken.length, 'no order taken twice');
    assert.equal(taken.length, waiting + 20, 'every queued order taken');
    for (const a of answers.filter((x) => x.status !== 200)) assertError(a, 404, 'QUEUE_EMPTY');
    const c = await counts();
    assert.equal(c.queue, 0);
    assert.deepEqual(c.counts, await countedByHand());
  });

  test('the assigner gives the oldest order first, overdue before that, by skills and capacity', async () => {
    // Only these two take automatic work; the claimers above do not.
    await putOperator('setter', {
      name: 'Sam Setter',
      skills: ['casting', 'stone_setting', 'polishing'],
      capacity: 2,
      autoAssign: true,
    });
    await putOperator('engraver', {
      name: 'Eli',
      skills: ['engraving', 'polishing'],
      capacity: 5,
      autoAssign: true,
    });
    const a = await placeOrder();
    await waitStatus(a.id, 'MANUFACTURING_APPROVED', 'setter');
    const b = await placeOrder();
    await waitStatus(b.id, 'MANUFACTURING_APPROVED', 'setter');
    // The setter is full (2): the next order waits, and the engraver cannot cast it.
    const c = await placeOrder();
    const d = await placeOrder();
    await waitStatus(d.id, 'MANUFACTURING_APPROVED', null);
    assert.equal((await mesOrder(c.id)).operator, null);
    // d becomes overdue: when the setter has room it gets d before the older c.
    await sql.query(`UPDATE production_orders SET due_at = now() - interval '1 hour' WHERE id = $1`, [d.id]);
    for (let i = 0; i < 4; i++) {
      const r = await api('POST', `/api/mes/orders/${a.id}/advance`, { json: { operator: 'setter' } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    await waitStatus(a.id, 'SHIPPED');
    assert.equal((await mesOrder(d.id)).operator, 'setter', 'the overdue order went first');
    assert.equal((await mesOrder(c.id)).operator, null);
    const setter = await api<{
      numbers: { onHand: number; taken: number; completed: number; averageMakingMs: number };
    }>('GET', '/api/mes/operators/setter');
    assert.equal(setter.body.numbers.onHand, 2);
    assert.equal(setter.body.numbers.taken, 3);
    assert.equal(setter.body.numbers.completed, 1);
    assert.ok(setter.body.numbers.averageMakingMs >= 0);
    const trail = await api<{ items: { action: string; orderId: string; toOperator: string }[] }>(
      'GET',
      '/api/mes/assignments?limit=3',
    );
    assert.deepEqual(
      trail.body.items.map((t) => [t.action, t.orderId, t.toOperator]),
      [
        ['auto', d.id, 'setter'],
        ['auto', b.id, 'setter'],
        ['auto', a.id, 'setter'],
      ],
    );
    // Release c's rival d back to the queue, and give c to someone by hand.
    await putOperator('setter', {
      name: 'Sam Setter',
      skills: ['casting', 'stone_setting', 'polishing'],
      capacity: 2,
      autoAssign: false,
    });
    const released = await api('POST', `/api/mes/orders/${d.id}/release`, {
      json: { reason: 'Sam is on leave' },
      headers: ADMIN,
    });
    assert.equal(released.status, 200, JSON.stringify(released.body));
    assert.equal((await mesOrder(d.id)).operator, null);
    const moved = await api('POST', `/api/mes/orders/${b.id}/assign`, {
      json: { operator: 'claimer-1', reason: 'balance the load' },
      headers: ADMIN,
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal((await mesOrder(b.id)).operator, 'claimer-1');
    const trailB = await api<{
      items: { action: string; fromOperator: string; toOperator: string; reason: string }[];
    }>('GET', `/api/mes/assignments?orderId=${b.id}`);
    assert.deepEqual(trailB.body.items[0], {
      ...trailB.body.items[0],
      action: 'reassign',
      fromOperator: 'setter',
      toOperator: 'claimer-1',
      reason: 'balance the load',
    });
    // The new holder starts it; after that it cannot be released, only reassigned.
    const start = await api('POST', `/api/mes/orders/${b.id}/advance`, { json: { operator: 'claimer-1' } });
    assert.equal((start.body as { status: string }).status, 'MANUFACTURING_STARTED');
    assertError(
      await api('POST', `/api/mes/orders/${b.id}/release`, { json: {}, headers: ADMIN }),
      409,
      'ORDER_IN_WORK',
      'reassign',
    );
    assertError(await api('POST', `/api/mes/orders/${c.id}/release`, { json: {} }), 401, 'UNAUTHORIZED');
    assert.deepEqual((await counts()).counts, await countedByHand());
  });

  test('filters and cursor pages return exactly what the data holds, in order, without OFFSET', async () => {
    // A varied set straight into the MES's table (the trigger keeps the counts): channels,
    // partners, operators, deadlines, names and ended orders in archive months.
    await sql.query(`SELECT mes_ensure_archive_month('2025-01-01')`);
    await sql.query(`
      INSERT INTO production_orders (id, number, channel, kind, partner_id, customer_name, status, alloy, quantity,
        operator, created_at, due_at, approved_at, archive_month)
      SELECT gen_random_uuid(), 'P-' || lpad((9000000 + i)::text, 7, '0'),
        CASE WHEN i % 3 = 0 THEN 'b2b' ELSE 'b2c' END, 'catalog',
        CASE WHEN i % 3 = 0 THEN 'partner-' || (i % 4) END,
        (ARRAY['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Adele Goldberg'])[1 + i % 4],
        CASE WHEN i % 5 = 0 THEN 'CLOSED' WHEN i % 5 = 1 THEN 'MANUFACTURING_STARTED' ELSE 'MANUFACTURING_APPROVED' END,
        'gold-585', 1,
        CASE WHEN i % 5 = 1 THEN 'claimer-' || (1 + i % 3) END,
        timestamptz '2025-01-10' + i * interval '37 minutes',
        timestamptz '2025-01-10' + i * interval '37 minutes' + (CASE WHEN i % 7 = 0 THEN 1 ELSE 4000 END) * interval '1 day',
        timestamptz '2025-01-10' + i * interval '38 minutes',
        CASE WHEN i % 5 = 0 THEN date '2025-01-01' ELSE 'infinity' END
      FROM generate_series(1, 240) AS i`);
    assert.deepEqual((await counts()).counts, await countedByHand());

    /** Walks every page of a filter and compares with the same filter computed in SQL. */
    const walk = async (query: string, oracle: string, params: unknown[] = []) => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 100; pages++) {
        const r: { status: number; body: WsPage } = await api<WsPage>(
          'GET',
          `/api/mes/workspace/orders?${query}&limit=17${after ? `&after=${after}` : ''}`,
        );
        assert.equal(r.status, 200, JSON.stringify(r.body));
        seen.push(...r.body.items.map((o) => o.id));
        after = r.body.nextCursor;
        if (!after) break;
      }
      const expected = (await sql.query<{ id: string }>(oracle, params)).rows.map((x) => x.id);
      assert.deepEqual(seen, expected, `filter ${query}`);
      return seen.length;
    };
    const active = `archive_month = 'infinity'`;
    assert.ok(
      (await walk(
        'status=MANUFACTURING_APPROVED',
        `SELECT id FROM production_orders WHERE ${active}
        AND status = 'MANUFACTURING_APPROVED' ORDER BY created_at DESC, id DESC`,
      )) > 50,
    );
    await walk(
      'channel=b2b&partner=partner-2&sort=oldest',
      `SELECT id FROM production_orders WHERE ${active} AND channel = 'b2b' AND partner_id = 'partner-2'
       ORDER BY created_at, id`,
    );
    await walk(
      'status=MANUFACTURING_STARTED&operator=claimer-2',
      `SELECT id FROM production_orders WHERE ${active} AND status = 'MANUFACTURING_STARTED'
       AND operator = 'claimer-2' ORDER BY created_at DESC, id DESC`,
    );
    await walk(
      'overdue=true&sort=deadline',
      `SELECT id FROM production_orders WHERE ${active} AND due_at < now() ORDER BY due_at, id`,
    );
    await walk(
      'status=MANUFACTURING_APPROVED&operator=none&sort=approval',
      `SELECT id FROM production_orders WHERE ${active} AND status = 'MANUFACTURING_APPROVED'
       AND operator IS NULL ORDER BY approved_at, id`,
    );
    await walk(
      'scope=archive',
      `SELECT id FROM production_orders WHERE archive_month < 'infinity' ORDER BY created_at DESC, id DESC`,
    );
    await walk(
      'scope=all&q=ad&createdFrom=2025-01-11T00:00:00Z&createdTo=2025-01-14T00:00:00Z',
      `SELECT id FROM production_orders WHERE lower(customer_name) LIKE 'ad%'
       AND created_at >= '2025-01-11T00:00:00Z' AND created_at < '2025-01-14T00:00:00Z'
       ORDER BY created_at DESC, id DESC`,
    );
    await walk(
      'scope=all&q=p9000012',
      `SELECT id FROM production_orders WHERE number = 'P-9000012' OR number LIKE 'P-9000012%'
       ORDER BY created_at DESC, id DESC`,
    );
    await walk(
      'status=MANUFACTURING_APPROVED,MANUFACTURING_STARTED&channel=b2c',
      `SELECT id FROM production_orders WHERE ${active} AND channel = 'b2c'
       AND status IN ('MANUFACTURING_APPROVED', 'MANUFACTURING_STARTED') ORDER BY created_at DESC, id DESC`,
    );
    const first = await api<WsPage>('GET', '/api/mes/workspace/orders?overdue=true&limit=1');
    assert.equal(first.body.items[0]?.overdue, true);

    // The month detaches: its orders leave the lists and the counts, and stay as a table.
    const closedBefore = (await counts()).counts.CLOSED ?? 0;
    const detached = await api<{ table: string; orders: number }>('POST', '/api/mes/archive/2025-01/detach', {
      headers: ADMIN,
    });
    assert.equal(detached.status, 200, JSON.stringify(detached.body));
    assert.deepEqual(detached.body, { table: 'production_orders_y2025m01', orders: 48 });
    assert.equal((await counts()).counts.CLOSED ?? 0, closedBefore - 48);
    assert.deepEqual((await counts()).counts, await countedByHand());
    const kept = await sql.query('SELECT count(*)::int AS n FROM production_orders_y2025m01');
    assert.equal(kept.rows[0].n, 48);
    assertError(
      await api('POST', '/api/mes/archive/2025-01/detach', { headers: ADMIN }),
      404,
      'ARCHIVE_MONTH_NOT_FOUND',
      '2025-01',
    );
  });

  test('an order that ends moves to the partition of its month and out of the active lists', async () => {
    const placed = await placeOrder('Partition Test');
    await waitStatus(placed.id, 'MANUFACTURING_APPROVED');
    await putOperator('finisher', { name: 'Finisher', skills: ALL_SKILLS, capacity: 5 });
    assert.equal(
      (await api('POST', `/api/mes/orders/${placed.id}/claim`, { json: { operator: 'finisher' } })).status,
      200,
    );
    for (let i = 0; i < 3; i++)
      await api('POST', `/api/mes/orders/${placed.id}/advance`, { json: { operator: 'finisher' } });
    const trackingNumber = await eventually(
      async () =>
        (await api<{ trackingNumber?: string }>('GET', `/api/crm/orders/${placed.id}`)).body.trackingNumber ??
        undefined,
      15_000,
      'the CRM to learn of the shipment',
    );
    const closed = await api('POST', '/api/crm/carrier/deliveries', {
      json: { trackingNumber },
      headers: { authorization: 'Bearer atelier-carrier' },
    });
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    await waitStatus(placed.id, 'CLOSED');
    const where = await sql.query<{ part: string }>(
      'SELECT tableoid::regclass::text AS part FROM production_orders WHERE id = $1',
      [placed.id],
    );
    const month = new Date().toISOString().slice(0, 7).replace('-', 'm');
    assert.equal(where.rows[0]?.part, `production_orders_y${month}`);
    const active = await api<WsPage>('GET', '/api/mes/workspace/orders?q=Partition');
    assert.equal(active.body.items.length, 0);
    const archived = await api<WsPage>('GET', '/api/mes/workspace/orders?q=Partition&scope=archive');
    assert.deepEqual(
      archived.body.items.map((o) => [o.id, o.status]),
      [[placed.id, 'CLOSED']],
    );
    assert.deepEqual((await counts()).counts, await countedByHand());
  });

  test('e-mails the sender gave up on are listed for the administrator and can be retried', async () => {
    const failed = await sql.query<{ id: number }>(
      `INSERT INTO email_outbox (recipient, subject, body, attempts, last_error)
       VALUES ('typo@exampel.com', 'New order', 'text', 8, '550 5.1.1 no such user') RETURNING id`,
    );
    const id = Number(failed.rows[0]!.id);
    const list = await api<{ items: { id: number; lastError: string }[] }>('GET', '/api/mes/emails/failed', {
      headers: ADMIN,
    });
    assert.deepEqual(
      list.body.items.map((e) => [e.id, e.lastError]),
      [[id, '550 5.1.1 no such user']],
    );
    assertError(await api('GET', '/api/mes/emails/failed'), 401, 'UNAUTHORIZED');
    const retried = await api('POST', `/api/mes/emails/${id}/retry`, { headers: ADMIN });
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    const row = await sql.query('SELECT attempts FROM email_outbox WHERE id = $1', [id]);
    assert.equal(row.rows[0].attempts, 0);
    assertError(
      await api('POST', `/api/mes/emails/${id}/retry`, { headers: ADMIN }),
      404,
      'EMAIL_NOT_FAILED',
    );
  });

  test('bad input: a 4xx naming the problem, nothing changed', async () => {
    const before = await countedByHand();
    const bad = async (path: string, status: number, code: string, ...words: string[]) =>
      assertError(await api('GET', path), status, code, ...words);
    await bad('/api/mes/workspace/orders?status=SHIPPEDX', 400, 'VALIDATION_FAILED', 'status');
    await bad('/api/mes/workspace/orders?after=bm9wZQ', 400, 'CURSOR_INVALID');
    await bad('/api/mes/workspace/orders?createdFrom=yesterday', 400, 'VALIDATION_FAILED', 'createdFrom');
    await bad('/api/mes/workspace/orders?limit=5000', 400, 'VALIDATION_FAILED', 'limit');
    await bad('/api/mes/workspace/orders?scope=everything', 400, 'VALIDATION_FAILED', 'scope');
    await bad('/api/mes/workspace/orders?sort=price', 400, 'VALIDATION_FAILED', 'sort');
    await bad(
      '/api/mes/operators/nobody-here',
      404,
      'OPERATOR_UNKNOWN',
      'nobody-here',
      'PUT /api/mes/operators',
    );
    assertError(
      await api('PUT', '/api/mes/operators/x', {
        json: { name: 'X', skills: ['welding'], capacity: 1 },
        headers: ADMIN,
      }),
      400,
      'VALIDATION_FAILED',
      'skills',
    );
    assertError(
      await api('PUT', '/api/mes/operators/x', {
        json: { name: 'X', skills: ['casting'], capacity: 0 },
        headers: ADMIN,
      }),
      400,
      'VALIDATION_FAILED',
      'capacity',
    );
    assertError(
      await api('PUT', '/api/mes/operators/x', { json: { name: 'X', skills: ['casting'], capacity: 1 } }),
      401,
      'UNAUTHORIZED',
    );
    assertError(
      await api('POST', '/api/mes/queue/claim-next', { json: { operator: 'ghost' } }),
      404,
      'OPERATOR_UNKNOWN',
      'ghost',
    );
    // Skills and capacity.
    await putOperator('polisher', { name: 'Polly', skills: ['polishing'], capacity: 1 });
    const placed = await placeOrder();
    await waitStatus(placed.id, 'MANUFACTURING_APPROVED', null);
    assertError(
      await api('POST', `/api/mes/orders/${placed.id}/claim`, { json: { operator: 'polisher' } }),
      403,
      'SKILL_MISSING',
      placed.number,
      'casting',
    );
    await putOperator('tiny', { name: 'Tiny', skills: ALL_SKILLS, capacity: 1 });
    assert.equal(
      (await api('POST', `/api/mes/orders/${placed.id}/claim`, { json: { operator: 'tiny' } })).status,
      200,
    );
    const another = await placeOrder();
    await waitStatus(another.id, 'MANUFACTURING_APPROVED', null);
    assertError(
      await api('POST', `/api/mes/orders/${another.id}/claim`, { json: { operator: 'tiny' } }),
      409,
      'OPERATOR_AT_CAPACITY',
      'capacity 1',
    );
    assertError(
      await api('POST', '/api/mes/archive/2999-01/detach', { headers: ADMIN }),
      409,
      'ARCHIVE_MONTH_OPEN',
    );
    assertError(
      await api('POST', '/api/mes/archive/1999-13/detach', { headers: ADMIN }),
      400,
      'VALIDATION_FAILED',
      'month',
    );
    const afterCounts = await countedByHand();
    // Only the two orders placed here moved the numbers.
    assert.equal(
      Object.values(afterCounts).reduce((a, b) => a + b, 0),
      Object.values(before).reduce((a, b) => a + b, 0) + 2,
    );
    assert.deepEqual((await counts()).counts, afterCounts);
  });
});
