import type { EventPayload, EventType } from '../contracts/events.js';
import type { AnyHandler, PreparedHandler } from '../platform/messaging/consumer.js';
import { statusFollower } from '../platform/orders/follow.js';
import { recordFollowed, recordTransition } from '../platform/orders/history.js';
import type { FileStorage } from '../platform/storage/file-storage.js';
import { priceOrder, type PriceOutcome } from './price-order.js';
import * as store from './store.js';

export function mesHandlers(storage: FileStorage, currency: string): Partial<Record<EventType, AnyHandler>> {
  /** Pricing reads and analyses the model before the inbox transaction opens. */
  const submitted: PreparedHandler<PriceOutcome> = {
    prepare: (event) => priceOrder(storage, event.payload as EventPayload<'order.submitted.v1'>, currency),
    handle: async (event, q, outcome) => {
      const p = event.payload as EventPayload<'order.submitted.v1'>;
      const ins = await q.query(
        `INSERT INTO production_orders (id, number, channel, kind, partner_id, status, catalog_sku, alloy, quantity,
                                      list_price_minor, model_key, created_at)
       VALUES ($1, $2, $3, $4, $5, 'SUBMITTED', $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING`,
        [
          event.orderId,
          p.orderNumber,
          p.channel,
          p.kind,
          p.partnerId ?? null,
          p.catalogSku ?? null,
          p.alloy,
          p.quantity,
          p.listPrice?.amountMinor ?? null,
          p.modelKey ?? null,
          event.occurredAt,
        ],
      );
      if (ins.rowCount === 0) return;
      await recordFollowed(q, null, event);
      const base = {
        orderId: event.orderId,
        orderNumber: p.orderNumber,
        channel: p.channel,
        actor: 'mes:pricing',
      };
      if ('rejected' in outcome) {
        await recordTransition(q, 'mes', {
          orderId: event.orderId,
          from: 'SUBMITTED',
          type: 'order.rejected.v1',
          payload: { ...base, reason: outcome.rejected },
        });
        await store.update(q, event.orderId, { status: 'REJECTED', rejection_reason: outcome.rejected });
        return;
      }
      await recordTransition(q, 'mes', {
        orderId: event.orderId,
        from: 'SUBMITTED',
        type: 'order.price_calculated.v1',
        payload: { ...base, breakdown: outcome.breakdown },
        details: { pricingMs: outcome.ms },
      });
      await store.update(q, event.orderId, {
        status: 'PRICE_CALCULATED',
        price_minor: outcome.breakdown.total.amountMinor,
        currency: outcome.breakdown.total.currency,
        breakdown: JSON.stringify(outcome.breakdown),
        pricing_ms: outcome.ms,
      });
    },
  };

  /** Approval (from the CRM) puts the order in the production queue; its time orders the queue. */
  const approved = statusFollower({
    table: 'production_orders',
    requireKnown: true,
    alsoOnForward: { approved_at: '$5' },
  });

  /** A status the MES does not set but mirrors so its view stays current. */
  const stopped = statusFollower({ table: 'production_orders', requireKnown: true });

  return {
    'order.submitted.v1': submitted,
    'order.manufacturing_approved.v1': approved,
    'order.rejected.v1': stopped,
    'order.cancelled.v1': stopped,
    'order.closed.v1': stopped,
  };
}
