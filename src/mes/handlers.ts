import type { EventPayload, EventType } from '../contracts/events.js';
import type { Handler } from '../platform/messaging/consumer.js';
import { statusFollower } from '../platform/orders/follow.js';
import { recordFollowed } from '../platform/orders/history.js';

export function mesHandlers(): Partial<Record<EventType, Handler>> {
  /** Every submitted order becomes a production order; the pricing service prices it. */
  const submitted: Handler = async (event, q) => {
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
    if (ins.rowCount === 1) await recordFollowed(q, null, event);
  };

  /** Approval (from the CRM) puts the order in the production queue; its time orders the queue. */
  const approved = statusFollower({
    table: 'production_orders',
    requireKnown: true,
    alsoOnForward: { approved_at: '$5' },
  });

  /** A status the MES does not set but mirrors so its view stays current (with the price). */
  const stopped = statusFollower({ table: 'production_orders', requireKnown: true });

  return {
    'order.submitted.v1': submitted,
    'order.price_calculated.v1': stopped,
    'order.pricing_failed.v1': stopped,
    'order.manufacturing_approved.v1': approved,
    'order.rejected.v1': stopped,
    'order.cancelled.v1': stopped,
    'order.closed.v1': stopped,
  };
}
