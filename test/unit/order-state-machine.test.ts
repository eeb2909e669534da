import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  IllegalTransitionError,
  ORDER_STATUSES,
  TERMINAL_STATUSES,
  assertTransition,
  canTransition,
  isForward,
  nextStatuses,
  reachableFrom,
  type OrderStatus,
  type ServiceName,
} from '../../src/contracts/order-status.js';
import { MES_STATUSES } from '../../src/contracts/statuses.js';

const ORDER_ID = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const SERVICES: readonly ServiceName[] = ['shop', 'partner-api', 'crm', 'mes', 'pricing'];

// Written out by hand from the order lifecycle: who owns each step.
//   shop: creation, upload, submit, customer cancellation before approval
//   pricing: the price, rejection of a model that cannot be priced, parking after failed work
//   mes: manufacturing, packaging, shipping
//   crm: approval, seller rejection, cancellation up to approval, closing after delivery
//   partner-api: cancellation of its orders before approval
const EXPECTED: Record<OrderStatus, Partial<Record<OrderStatus, readonly ServiceName[]>>> = {
  INITIATED: { FILE_UPLOADED: ['shop'], SUBMITTED: ['shop'], CANCELLED: ['shop'] },
  FILE_UPLOADED: { SUBMITTED: ['shop'], CANCELLED: ['shop'] },
  SUBMITTED: {
    PRICE_CALCULATED: ['pricing'],
    PRICING_FAILED: ['pricing'],
    REJECTED: ['pricing', 'crm'],
    CANCELLED: ['crm'],
  },
  PRICING_FAILED: {
    PRICE_CALCULATED: ['pricing'],
    REJECTED: ['pricing', 'crm'],
    CANCELLED: ['crm'],
  },
  PRICE_CALCULATED: {
    MANUFACTURING_APPROVED: ['crm'],
    REJECTED: ['crm'],
    CANCELLED: ['crm'],
  },
  MANUFACTURING_APPROVED: { MANUFACTURING_STARTED: ['mes'] },
  MANUFACTURING_STARTED: { MANUFACTURING_COMPLETED: ['mes'] },
  MANUFACTURING_COMPLETED: { PACKAGING: ['mes'] },
  PACKAGING: { SHIPPED: ['mes'] },
  SHIPPED: { CLOSED: ['crm'] },
  CLOSED: {},
  CANCELLED: {},
  REJECTED: {},
};

const ALL: readonly OrderStatus[] = [
  'INITIATED',
  'FILE_UPLOADED',
  'SUBMITTED',
  'PRICE_CALCULATED',
  'MANUFACTURING_APPROVED',
  'MANUFACTURING_STARTED',
  'MANUFACTURING_COMPLETED',
  'PACKAGING',
  'SHIPPED',
  'CLOSED',
  'CANCELLED',
  'REJECTED',
  'PRICING_FAILED',
];

/** Reachability computed from the hand-written table above, not from the code. */
function expectedReachable(from: OrderStatus): Set<OrderStatus> {
  const seen = new Set<OrderStatus>();
  const stack = Object.keys(EXPECTED[from]) as OrderStatus[];
  while (stack.length > 0) {
    const s = stack.pop() as OrderStatus;
    if (seen.has(s)) continue;
    seen.add(s);
    stack.push(...(Object.keys(EXPECTED[s]) as OrderStatus[]));
  }
  return seen;
}

function assertIllegal(from: OrderStatus, to: OrderStatus, by: ServiceName): void {
  assert.throws(
    () => assertTransition(ORDER_ID, from, to, by),
    (err: unknown) => {
      assert.ok(err instanceof IllegalTransitionError, `${from}→${to} by ${by}: not IllegalTransitionError`);
      const e = err as Error & { code: string; statusCode: number };
      assert.equal(e.code, 'ORDER_ILLEGAL_TRANSITION');
      assert.equal(e.statusCode, 409);
      assert.ok(e.message.includes(ORDER_ID), e.message);
      assert.ok(e.message.includes(` is ${from} `), `message should name ${from}: ${e.message}`);
      assert.ok(e.message.includes(`move to ${to}`), `message should name ${to}: ${e.message}`);
      return true;
    },
    `${from}→${to} by ${by} should be illegal`,
  );
}

test('the status list is the thirteen agreed statuses', () => {
  assert.deepEqual([...ORDER_STATUSES].sort(), [...ALL].sort());
  assert.deepEqual([...TERMINAL_STATUSES].sort(), ['CANCELLED', 'CLOSED', 'REJECTED']);
});

test('custom order happy path: every step by its owning service passes', () => {
  const steps: [OrderStatus, OrderStatus, ServiceName][] = [
    ['INITIATED', 'FILE_UPLOADED', 'shop'],
    ['FILE_UPLOADED', 'SUBMITTED', 'shop'],
    ['SUBMITTED', 'PRICE_CALCULATED', 'pricing'],
    ['PRICE_CALCULATED', 'MANUFACTURING_APPROVED', 'crm'],
    ['MANUFACTURING_APPROVED', 'MANUFACTURING_STARTED', 'mes'],
    ['MANUFACTURING_STARTED', 'MANUFACTURING_COMPLETED', 'mes'],
    ['MANUFACTURING_COMPLETED', 'PACKAGING', 'mes'],
    ['PACKAGING', 'SHIPPED', 'mes'],
    ['SHIPPED', 'CLOSED', 'crm'],
  ];
  let current: OrderStatus = 'INITIATED';
  for (const [from, to, by] of steps) {
    assert.equal(from, current, 'steps chain');
    assert.doesNotThrow(() => assertTransition(ORDER_ID, from, to, by), `${from}→${to} by ${by}`);
    current = to;
  }
  assert.equal(current, 'CLOSED');
});

test('catalog orders skip the upload: INITIATED→SUBMITTED by the shop', () => {
  assert.doesNotThrow(() => assertTransition(ORDER_ID, 'INITIATED', 'SUBMITTED', 'shop'));
  assert.equal(canTransition('INITIATED', 'SUBMITTED', 'shop'), true);
});

test('all 13×13 pairs × 5 services agree with the expected table', () => {
  let legal = 0;
  let illegal = 0;
  for (const from of ALL) {
    for (const to of ALL) {
      const owners = EXPECTED[from][to] ?? [];
      assert.equal(canTransition(from, to), owners.length > 0, `canTransition(${from}, ${to})`);
      for (const by of SERVICES) {
        if (owners.includes(by)) {
          assert.doesNotThrow(() => assertTransition(ORDER_ID, from, to, by), `${from}→${to} by ${by}`);
          assert.equal(canTransition(from, to, by), true);
          legal++;
        } else {
          assertIllegal(from, to, by);
          assert.equal(canTransition(from, to, by), false);
          illegal++;
        }
      }
    }
  }
  // 16 edges, 17 (edge, service) grants in the table; everything else in 12*12*4 is illegal.
  assert.equal(legal, 22);
  assert.equal(illegal, 13 * 13 * 5 - 22);
});

test('the wrong service making a legal move throws', () => {
  assertIllegal('SUBMITTED', 'PRICE_CALCULATED', 'shop');
  assertIllegal('SUBMITTED', 'PRICE_CALCULATED', 'crm');
  assertIllegal('PRICE_CALCULATED', 'MANUFACTURING_APPROVED', 'mes');
  assertIllegal('PRICE_CALCULATED', 'MANUFACTURING_APPROVED', 'partner-api');
  assertIllegal('SHIPPED', 'CLOSED', 'mes');
  assertIllegal('PACKAGING', 'SHIPPED', 'crm');
  assertIllegal('INITIATED', 'FILE_UPLOADED', 'partner-api');
  assertIllegal('MANUFACTURING_APPROVED', 'CANCELLED', 'shop');
});

test('the error hint says what the service may do instead', () => {
  try {
    assertTransition(ORDER_ID, 'SUBMITTED', 'SHIPPED', 'pricing');
    assert.fail('should throw');
  } catch (err) {
    const msg = (err as Error).message;
    assert.match(msg, /PRICE_CALCULATED/);
    assert.match(msg, /REJECTED/);
  }
  try {
    assertTransition(ORDER_ID, 'CLOSED', 'SUBMITTED', 'shop');
    assert.fail('should throw');
  } catch (err) {
    assert.match((err as Error).message, /CLOSED is final/);
  }
});

test('nextStatuses matches the table, per service and overall', () => {
  for (const from of ALL) {
    assert.deepEqual(nextStatuses(from).sort(), Object.keys(EXPECTED[from]).sort(), from);
    for (const by of SERVICES) {
      const mine = Object.entries(EXPECTED[from])
        .filter(([, owners]) => owners?.includes(by))
        .map(([to]) => to)
        .sort();
      assert.deepEqual(nextStatuses(from, by).sort(), mine, `${from} by ${by}`);
    }
  }
});

test('terminal statuses have no next status', () => {
  for (const s of ['CLOSED', 'CANCELLED', 'REJECTED'] as const) {
    assert.deepEqual(nextStatuses(s), [], s);
    for (const by of SERVICES) assert.deepEqual(nextStatuses(s, by), [], `${s} by ${by}`);
  }
});

test('isForward: examples', () => {
  assert.equal(isForward('SUBMITTED', 'SHIPPED'), true);
  assert.equal(isForward('INITIATED', 'CLOSED'), true);
  assert.equal(isForward('SUBMITTED', 'CANCELLED'), true);
  assert.equal(isForward('SHIPPED', 'SUBMITTED'), false);
  assert.equal(isForward('MANUFACTURING_STARTED', 'CANCELLED'), false);
  assert.equal(isForward('MANUFACTURING_APPROVED', 'REJECTED'), false);
  assert.equal(isForward('FILE_UPLOADED', 'INITIATED'), false);
  for (const s of ALL) {
    assert.equal(isForward('CLOSED', s), false, `CLOSED→${s}`);
    assert.equal(isForward('CANCELLED', s), false, `CANCELLED→${s}`);
    assert.equal(isForward('REJECTED', s), false, `REJECTED→${s}`);
    assert.equal(isForward(s, s), false, `${s}→${s}`);
  }
});

test('isForward: happy-path order is a total order of forward moves', () => {
  const path: OrderStatus[] = ALL.slice(0, 10);
  for (let i = 0; i < path.length; i++) {
    for (let j = 0; j < path.length; j++) {
      const [a, b] = [path[i] as OrderStatus, path[j] as OrderStatus];
      assert.equal(isForward(a, b), i < j, `${a}→${b}`);
    }
  }
});

test('isForward agrees with reachability over the expected table for all pairs', () => {
  for (const from of ALL) {
    const reach = expectedReachable(from);
    for (const to of ALL) assert.equal(isForward(from, to), reach.has(to), `${from}→${to}`);
  }
  // Asked twice (second time from the cache) gives the same answers.
  for (const from of ALL) {
    const reach = expectedReachable(from);
    for (const to of ALL) assert.equal(isForward(from, to), reach.has(to), `${from}→${to} (cached)`);
  }
});

test('the MES lists every status an order can reach from submission, each once', () => {
  const fromSubmission = new Set<OrderStatus>(['SUBMITTED', ...reachableFrom('SUBMITTED')]);
  assert.deepEqual(new Set(MES_STATUSES), fromSubmission);
  assert.equal(MES_STATUSES.length, fromSubmission.size, 'no status twice');
});
