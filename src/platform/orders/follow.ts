import type { Envelope } from '../../contracts/envelope.js';
import { EVENTS, type Channel, type EventType, type PriceBreakdown } from '../../contracts/events.js';
import type { OrderStatus } from '../../contracts/order-status.js';
import type { Handler } from '../messaging/consumer.js';
import { recordFollowed } from './history.js';

/** The event types a service that only mirrors status (shop, partner-api) listens to. */
export const FOLLOWED_EVENTS: EventType[] = [
  'order.price_calculated.v1',
  'order.manufacturing_approved.v1',
  'order.manufacturing_started.v1',
  'order.manufacturing_completed.v1',
  'order.packaging.v1',
  'order.shipped.v1',
  'order.closed.v1',
  'order.rejected.v1',
  'order.cancelled.v1',
];

/**
 * Mirrors another service's status change into this service's `orders` table (which has the
 * shared columns of OrderRow): history row always, status only when it moves forward, plus the
 * facts the event carries (price, tracking number, rejection reason). Orders of another channel,
 * or that this service never had, are not its business and are skipped.
 */
export function statusFollower(opts: { table: string; channel: Channel }): Handler {
  return async (event: Envelope, q) => {
    const p = event.payload as {
      channel: Channel;
      breakdown?: PriceBreakdown;
      trackingNumber?: string;
      reason?: string;
    };
    if (p.channel !== opts.channel) return;
    const row = (
      await q.query<{ status: OrderStatus }>(`SELECT status FROM ${opts.table} WHERE id = $1 FOR UPDATE`, [
        event.orderId,
      ])
    ).rows[0];
    if (!row) return;
    const forward = await recordFollowed(q, row.status, event);
    const status = EVENTS[event.type as EventType].status;
    await q.query(
      `UPDATE ${opts.table} SET
         status = CASE WHEN $2 THEN $3 ELSE status END,
         price_minor = COALESCE($4, price_minor),
         currency = COALESCE($5, currency),
         breakdown = COALESCE($6, breakdown),
         tracking_number = COALESCE($7, tracking_number),
         rejection_reason = COALESCE($8, rejection_reason),
         updated_at = CASE WHEN $2 THEN now() ELSE updated_at END
       WHERE id = $1`,
      [
        event.orderId,
        forward,
        status,
        p.breakdown?.total.amountMinor ?? null,
        p.breakdown?.total.currency ?? null,
        p.breakdown ? JSON.stringify(p.breakdown) : null,
        p.trackingNumber ?? null,
        event.type === 'order.rejected.v1' || event.type === 'order.cancelled.v1' ? (p.reason ?? null) : null,
      ],
    );
  };
}
