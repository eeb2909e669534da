import type { Envelope } from '../contracts/envelope.js';
import type { EventPayload, EventType } from '../contracts/events.js';
import type { OrderStatus } from '../contracts/order-status.js';
import type { Queryable } from '../platform/db/types.js';
import type { AnyHandler, Handler, PreparedHandler } from '../platform/messaging/consumer.js';
import { together } from '../platform/db/together.js';
import { recordTransition } from '../platform/orders/history.js';
import type { PriceOutcome, PriceRequest } from './price-order.js';
import { priceRequestOf } from './price-order.js';
import * as store from './store.js';

export type PriceFn = (orderId: string, request: PriceRequest) => Promise<PriceOutcome>;

/**
 * Records how pricing went, in the caller's transaction: the job row and the status change
 * (PRICE_CALCULATED, REJECTED, or PRICING_FAILED, which puts the order in front of staff).
 */
export async function recordOutcome(
  q: Queryable,
  order: {
    orderId: string;
    orderNumber: string;
    channel: 'b2c' | 'b2b';
    from: OrderStatus;
    /** When the order entered `from` (pricing keeps no history of SUBMITTED). */
    since?: string;
  },
  request: PriceRequest,
  outcome: PriceOutcome,
): Promise<void> {
  const base = {
    orderId: order.orderId,
    orderNumber: order.orderNumber,
    channel: order.channel,
    actor: 'pricing',
  };
  const job = {
    order_id: order.orderId,
    order_number: order.orderNumber,
    channel: order.channel,
    payload: request,
  };
  if ('breakdown' in outcome) {
    const saved = store.saveJob(q, {
      ...job,
      status: 'priced',
      attempts: 1,
      breakdown: outcome.breakdown,
      reason: null,
      stage_ms: outcome.stageMs,
    });
    // The job and the transition in one round trip (see together()); priceOrder bound the quote.
    await together(
      saved,
      recordTransition(q, 'pricing', {
        orderId: order.orderId,
        from: order.from,
        ...(order.since ? { since: order.since } : {}),
        type: 'order.price_calculated.v1',
        payload: { ...base, breakdown: outcome.breakdown },
        details: { stageMs: outcome.stageMs },
      }),
    );
  } else if ('rejected' in outcome) {
    await store.saveJob(q, {
      ...job,
      status: 'rejected',
      attempts: 1,
      breakdown: null,
      reason: outcome.rejected,
      stage_ms: null,
    });
    await recordTransition(q, 'pricing', {
      orderId: order.orderId,
      from: order.from,
      ...(order.since ? { since: order.since } : {}),
      type: 'order.rejected.v1',
      payload: { ...base, reason: outcome.rejected },
    });
  } else {
    await store.saveJob(q, {
      ...job,
      status: 'failed',
      attempts: outcome.attempts,
      breakdown: null,
      reason: outcome.failed,
      stage_ms: null,
    });
    if (order.from === 'PRICING_FAILED') return; // a retry that failed again: the order is already parked
    await recordTransition(q, 'pricing', {
      orderId: order.orderId,
      from: order.from,
      ...(order.since ? { since: order.since } : {}),
      type: 'order.pricing_failed.v1',
      payload: { ...base, reason: outcome.failed, attempts: outcome.attempts },
    });
  }
}

/** Price jobs arrive as order.submitted events; every pricing instance competes for them. */
export function pricingHandlers(price: PriceFn): Partial<Record<EventType, AnyHandler>> {
  const submitted: PreparedHandler<PriceOutcome> = {
    prepare: (event: Envelope) =>
      price(event.orderId, priceRequestOf(event.payload as EventPayload<'order.submitted.v1'>)),
    handle: async (event, q, outcome) => {
      const p = event.payload as EventPayload<'order.submitted.v1'>;
      await recordOutcome(
        q,
        {
          orderId: event.orderId,
          orderNumber: p.orderNumber,
          channel: p.channel,
          from: 'SUBMITTED',
          since: event.occurredAt,
        },
        priceRequestOf(p),
        outcome,
      );
    },
  };
  /** A seller ended an order whose pricing had failed: it leaves the staff list and cannot be retried. */
  const ended: Handler = async (event, q) => {
    const p = event.payload as EventPayload<'order.cancelled.v1'>;
    const how = event.type === 'order.cancelled.v1' ? 'cancelled' : 'rejected';
    await store.closeFailedJob(q, event.orderId, `${how} by ${p.actor}: ${p.reason}`);
  };
  return { 'order.submitted.v1': submitted, 'order.cancelled.v1': ended, 'order.rejected.v1': ended };
}
