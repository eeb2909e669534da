import { randomUUID } from 'node:crypto';
import cliProgress from 'cli-progress';
import { isForward, LIFECYCLE, type OrderStatus } from '../../contracts/order-status.js';
import { sphereStl, torusStl } from '../../platform/geometry/generate.js';
import { roundRobin, Staff, type Urls } from './actors.js';
import { ApiClient, type OrderBody } from './client.js';
import { FaultDrill } from './fault-drill.js';
import { percentiles } from './stats.js';

export interface SimulationOptions {
  orders: number;
  rate: number;
  baseUrl: string;
  urls: {
    shop?: string | undefined;
    partner?: string | undefined;
    crm?: string | undefined;
    mes?: string | undefined;
    tracker?: string | undefined;
  };
  deadlineSeconds: number;
  operators: number;
  partnerKey: string;
  carrierToken: string;
  /** To register the simulated operators in the MES. */
  adminToken: string;
  customShare: number;
  progress: boolean;
  /** The status an order must reach to count as done (default CLOSED); staff stop there. */
  target?: OrderStatus;
  /** Share of partner orders, 0..1 (default 0.3). */
  partnerShare?: number;
  /**
   * The fault drill (`--faults`): shortened stage deadlines, faults switched on from a third of
   * the placements until shortly after the last (see fault-drill.ts), and a check that every
   * order that did not finish has an incident.
   */
  faults?: { deadlineSeconds: number; explainWaitSeconds: number };
}

type Via = 'shop-catalog' | 'shop-custom' | 'partner';

interface Placed {
  id: string;
  via: Via;
  intakeMs: number;
}

/** Stages measured from each order's own history timestamps (set by the service that made the move). */
const STAGES: [string, string][] = [
  ['SUBMITTED', 'PRICE_CALCULATED'],
  ['PRICE_CALCULATED', 'MANUFACTURING_APPROVED'],
  ['SUBMITTED', 'MANUFACTURING_APPROVED'],
  ['MANUFACTURING_APPROVED', 'MANUFACTURING_STARTED'],
  ['MANUFACTURING_STARTED', 'SHIPPED'],
  ['SHIPPED', 'CLOSED'],
  ['SUBMITTED', 'CLOSED'],
];

/** How long the drill's faults stay on after the last order is placed. */
const FAULT_HOLD_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runSimulation(o: SimulationOptions) {
  const base = o.baseUrl.replace(/\/$/, '');
  const list = (given: string | undefined, prefix: string) =>
    (given ?? base)
      .split(',')
      .map((u) => `${u.trim().replace(/\/$/, '')}${prefix}`)
      .filter((u) => u.length > prefix.length);
  const urls: Urls = roundRobin({
    shop: list(o.urls.shop, '/api/shop'),
    partner: list(o.urls.partner, '/api/partner'),
    crm: list(o.urls.crm, '/api/crm'),
    mes: list(o.urls.mes, '/api/mes'),
  });
  const api = new ApiClient();
  const first = (given: string | undefined, prefix: string) => list(given, prefix)[0] ?? '';
  const drill = o.faults
    ? new FaultDrill(api, {
        mes: first(o.urls.mes, '/api/mes'),
        crm: first(o.urls.crm, '/api/crm'),
        tracker: first(o.urls.tracker, '/api/tracker'),
        adminToken: o.adminToken,
        deadlineSeconds: o.faults.deadlineSeconds,
      })
    : undefined;
  // A ring (small, auto-approved) and a pendant (heavier platinum, waits for the seller).
  const models = [torusStl(9, 1.2, 48, 16), torusStl(8.5, 1.0, 32, 12), sphereStl(8, 24)];
  // Encoded once: the load generator shares the machine and should not spend it re-encoding.
  const models64 = models.map((m) => m.toString('base64'));
  const partnerAuth = { authorization: `Bearer ${o.partnerKey}` };
  const placed: Placed[] = [];
  const failures: string[] = [];
  let idempotencyDuplicates = 0;

  const placeOne = async (i: number): Promise<void> => {
    const started = performance.now();
    const customer = { name: `Customer ${i}`, email: `customer${i % 500}@example.com` };
    const via: Via =
      (i % 100) / 100 < (o.partnerShare ?? 0.3)
        ? 'partner'
        : Math.random() < o.customShare
          ? 'shop-custom'
          : 'shop-catalog';
    try {
      if (via === 'partner') {
        const body = {
          reference: `SIM-${i}`,
          alloy: i % 7 === 0 ? 'platinum-950' : 'gold-585',
          customer,
          model: { filename: `model-${i}.stl`, contentBase64: models64[i % models.length] as string },
        };
        const key = randomUUID();
        const r = await api.call<OrderBody>('POST', `${urls.partner}/v1/orders`, body, {
          ...partnerAuth,
          'idempotency-key': key,
        });
        if (r.status !== 201) throw new Error(`partner create ${r.status}: ${r.body?.message}`);
        // Every 20th partner request is retried as a flaky client would: it must return the same order.
        if (i % 20 === 0) {
          const again = await api.call<OrderBody>('POST', `${urls.partner}/v1/orders`, body, {
            ...partnerAuth,
            'idempotency-key': key,
          });
          if (again.body.id !== r.body.id) idempotencyDuplicates++;
        }
        placed.push({ id: r.body.id, via, intakeMs: performance.now() - started });
        return;
      }
      // A catalog piece is a one-click order: created and submitted in one request.
      const create =
        via === 'shop-catalog'
          ? {
              kind: 'catalog',
              catalogSku: ['RING-TORUS-585', 'RING-SIGNET-925', 'PENDANT-CUBE-585', 'EARRING-STUD-925'][
                i % 4
              ],
              customer,
              submit: true,
            }
          : { kind: 'custom', alloy: i % 5 === 0 ? 'platinum-950' : 'silver-925', customer };
      const c = await api.call<OrderBody>('POST', `${urls.shop}/orders`, create);
      if (c.status !== 201) throw new Error(`shop create ${c.status}: ${c.body?.message}`);
      if (via === 'shop-custom') {
        const u = await api.call<OrderBody>(
          'PUT',
          `${urls.shop}/orders/${c.body.id}/model`,
          models[i % models.length],
        );
        if (u.status !== 200) throw new Error(`shop upload ${u.status}: ${u.body?.message}`);
        const s = await api.call<OrderBody>('POST', `${urls.shop}/orders/${c.body.id}/submit`, {});
        if (s.status !== 200) throw new Error(`shop submit ${s.status}: ${s.body?.message}`);
      }
      placed.push({ id: c.body.id, via, intakeMs: performance.now() - started });
    } catch (err) {
      failures.push((err as Error).message);
    }
  };

  const bar = o.progress
    ? new cliProgress.SingleBar(
        {
          format: ' {bar} {percentage}% | placed {placed}/{total} | closed {value} | {phase}',
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(o.orders, 0, { placed: 0, phase: 'placing' });

  const target = o.target ?? 'CLOSED';
  const done = (status: string | undefined) =>
    status !== undefined && (status === target || isForward(target, status as OrderStatus));
  const staff = new Staff(api, urls, o.carrierToken);
  // Only the people the target needs: a seller loop aimed at a CRM that is not running (the
  // intake benchmark) would only add refused connections to the load generator's CPU.
  const needs = (s: OrderStatus) => target === s || isForward(s, target);
  const operators = needs('MANUFACTURING_STARTED') ? o.operators : 0;
  if (operators > 0) await staff.hire(operators, o.adminToken);
  const staffDone = staff.start({
    seller: needs('MANUFACTURING_APPROVED'),
    carrier: needs('CLOSED'),
    operators,
    target,
  });
  await drill?.prepare();
  const t0 = performance.now();

  // Intake: one order every 1/rate seconds, without waiting for earlier ones (bounded in flight).
  const inflight = new Set<Promise<void>>();
  let placedAll = () => undefined as void;
  const allPlaced = new Promise<void>((resolve) => (placedAll = resolve));
  let faultsOn: Promise<void> | undefined;
  for (let i = 0; i < o.orders; i++) {
    const due = t0 + (i * 1000) / o.rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    while (inflight.size >= 512) await Promise.race(inflight);
    if (drill && i === Math.floor(o.orders / 3)) {
      faultsOn = drill.startFaults(allPlaced);
      faultsOn.catch(() => undefined); // awaited after the intake, where its failure is reported
    }
    const p = placeOne(i).finally(() => inflight.delete(p));
    inflight.add(p);
    if (i % 50 === 0) bar?.update(staff.closedByCarrier.size, { placed: placed.length, phase: 'placing' });
  }
  await Promise.all(inflight);
  placedAll();
  const intakeSeconds = (performance.now() - t0) / 1000;
  if (drill) {
    await faultsOn;
    // The last orders' prices and approvals are still on their way: the faults hold until then.
    await sleep(FAULT_HOLD_MS);
    await drill.setFaults(false);
  }

  // Wait for the carrier to close every placed order, or for the deadline after the last placement.
  const deadline = performance.now() + o.deadlineSeconds * 1000;
  const ids = new Set(placed.map((p) => p.id));
  const closedPlaced = () => [...ids].filter((id) => staff.closedByCarrier.has(id)).length;
  while (target === 'CLOSED' && performance.now() < deadline && closedPlaced() < ids.size) {
    bar?.update(closedPlaced(), { placed: placed.length, phase: 'processing' });
    await sleep(250);
  }
  bar?.update(closedPlaced(), { placed: placed.length, phase: 'verifying' });

  // Verify through the channel each order came from: the customer's or partner's own view.
  const finals = new Map<string, OrderBody>();
  const fetchOrder = async (p: Placed) => {
    const url = p.via === 'partner' ? `${urls.partner}/v1/orders/${p.id}` : `${urls.shop}/orders/${p.id}`;
    const r = await api.call<OrderBody>('GET', url, undefined, p.via === 'partner' ? partnerAuth : {});
    if (r.status === 200) finals.set(p.id, r.body);
  };
  // Orders finish roughly in the order they were placed, so a sweep stops at the first 64 of
  // which none has finished since the last one: waiting for a backlog then costs about one read
  // per order, not one per order per sweep (the load generator would load the APIs it measures).
  // Once the deadline has passed, one last sweep reads every order still unfinished.
  let pending = placed;
  while (pending.length > 0) {
    const last = performance.now() > deadline + 10_000;
    for (let k = 0; k < pending.length; k += 64) {
      const chunk = pending.slice(k, k + 64);
      await Promise.all(chunk.map(fetchOrder));
      if (!last && !chunk.some((p) => done(finals.get(p.id)?.status))) break;
    }
    pending = pending.filter((p) => !done(finals.get(p.id)?.status));
    if (pending.length === 0 || last) break;
    await sleep(500);
  }
  staff.stop();
  await Promise.all(staffDone);
  const unfinished = placed
    .filter((p) => !done(finals.get(p.id)?.status))
    .map((p) => ({ id: p.id, status: finals.get(p.id)?.status }));
  const faultDrill = drill
    ? await drill
        .explain(unfinished, (o.faults?.explainWaitSeconds ?? 60) * 1000)
        .finally(() => drill.restore())
    : undefined;
  bar?.update(closedPlaced(), { placed: placed.length, phase: 'done' });
  bar?.stop();
  await api.close();

  const reached: Record<string, number> = {};
  const finalStatus: Record<string, number> = {};
  const stageSamples = new Map<string, number[]>(STAGES.map(([a, b]) => [`${a}->${b}`, []]));
  let repeatedStatuses = 0;
  for (const p of placed) {
    const f = finals.get(p.id);
    if (!f) continue;
    finalStatus[f.status] = (finalStatus[f.status] ?? 0) + 1;
    const at = new Map<string, number>();
    for (const h of f.history ?? []) {
      if (at.has(h.status)) repeatedStatuses++;
      at.set(h.status, Date.parse(h.occurredAt));
    }
    for (const s of at.keys()) reached[s] = (reached[s] ?? 0) + 1;
    for (const [a, b] of STAGES) {
      const x = at.get(a);
      const y = at.get(b);
      if (x !== undefined && y !== undefined) stageSamples.get(`${a}->${b}`)?.push(y - x);
    }
  }
  const lostIds = placed.filter((p) => !done(finals.get(p.id)?.status)).map((p) => p.id);
  const byVia = (v: Via) => placed.filter((p) => p.via === v).length;
  return {
    target,
    ordersRequested: o.orders,
    ordersPlaced: placed.length,
    placementFailures: failures.length,
    placementFailureSamples: failures.slice(0, 5),
    byChannel: {
      'shop-catalog': byVia('shop-catalog'),
      'shop-custom': byVia('shop-custom'),
      partner: byVia('partner'),
    },
    reached: Object.fromEntries(LIFECYCLE.filter((s) => reached[s]).map((s) => [s, reached[s]])),
    finalStatus,
    lost: lostIds.length,
    lostSamples: lostIds.slice(0, 10),
    duplicates: idempotencyDuplicates + repeatedStatuses,
    intake: {
      seconds: Math.round(intakeSeconds * 100) / 100,
      ordersPerSecond: Math.round((placed.length / intakeSeconds) * 10) / 10,
      latencyMs: percentiles(placed.map((p) => p.intakeMs)),
    },
    latencyMs: Object.fromEntries([...stageSamples].map(([k, v]) => [k, percentiles(v)])),
    staff: { approvals: staff.approvals, claims: staff.claims, deliveries: staff.closedByCarrier.size },
    serverErrors: api.errors,
    ...(faultDrill ? { faultDrill } : {}),
    durationSeconds: Math.round((performance.now() - t0) / 100) / 10,
  };
}
