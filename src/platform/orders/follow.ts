import type { Envelope } from '../../contracts/envelope.js';
import { EVENTS, type Channel, type EventType, type PriceBreakdown } from '../../contracts/events.js';
import { predecessorsOf } from '../../contracts/order-status.js';
import { NotYetError, type Handler } from '../messaging/consumer.js';

/** The event types a service that only mirrors status (shop, partner-api) listens to. */
export const FOLLOWED_EVENTS: EventType[] = [
  'order.price_calculated.v1',
  'order.pricing_failed.v1',
  'order.manufacturing_approved.v1',
  'order.manufacturing_started.v1',
  'order.manufacturing_completed.v1',
  'order.packaging.v1',
  'order.shipped.v1',
  'order.closed.v1',
  'order.rejected.v1',
  'order.cancelled.v1',
];

export interface FollowerOptions {
  /** The table holding this service's copy of the order (with the shared OrderRow columns). */
  table: string;
  /** Only orders of this channel are this service's business; others are skipped. */
  channel?: Channel;
  /**
   * The service must already know the order (it learns of every order from order.submitted):
   * an event that overtook it is retried instead of skipped.
   */
  requireKnown?: boolean;
  /**
   * More columns to set when the status moves forward: column → SQL expression, which may use
   * $5, the event's occurred-at time (e.g. `{ approved_at: '$5' }`). Constant strings only.
   */
  alsoOnForward?: Record<string, string>;
  /**
   * A constant condition on the partition key that finds the order where it usually is (the
   * MES's active partition: `archive_month = 'infinity'`), so the lookup prunes to one partition.
   * When no row matches there the event is applied to wherever the order lives (an order that
   * ended and moved to an archive partition), found by id alone.
   */
  usually?: { column: string; value: string };
}

/**
 * Mirrors another service's status change into this service's copy of the order: history row
 * always, status only when it moves forward, plus the facts the event carries (price, tracking
 * number, rejection reason). One statement, so one round trip per event: the row lock, the
 * history row and the update.
 */
export function statusFollower(opts: FollowerOptions): Handler {
  const where = (alias: string) =>
    opts.usually ? ` AND ${alias}${opts.usually.column} = ${opts.usually.value}` : '';
  const sqlFor = (pruned: boolean) => followSql(opts, pruned ? where : () => '');
  const sql = sqlFor(true);
  const anywhere = opts.usually ? sqlFor(false) : undefined;
  return async (event: Envelope, q) => {
    const p = event.payload as {
      channel: Channel;
      actor: string;
      breakdown?: PriceBreakdown;
      trackingNumber?: string;
      reason?: string;
    };
    if (opts.channel && p.channel !== opts.channel) return;
    const status = EVENTS[event.type as EventType].status;
    // The reason travels with the status that ends or parks the order.
    const stops =
      event.type === 'order.rejected.v1' ||
      event.type === 'order.cancelled.v1' ||
      event.type === 'order.pricing_failed.v1';
    const params = [
      event.orderId,
      status,
      p.actor,
      event.source,
      event.occurredAt,
      event.id,
      predecessorsOf(status),
      p.breakdown?.total.amountMinor ?? null,
      p.breakdown?.total.currency ?? null,
      p.breakdown ? JSON.stringify(p.breakdown) : null,
      p.trackingNumber ?? null,
      stops ? (p.reason ?? null) : null,
      event.traceparent ?? null,
    ];
    let r = await q.query(sql, params);
    if (r.rowCount === 0 && anywhere) r = await q.query(anywhere, params);
    if (r.rowCount === 0 && opts.requireKnown) {
      throw new NotYetError(
        `order ${event.orderId} not known here yet (${event.type} arrived before order.submitted)`,
      );
    }
  };
}

function followSql(opts: FollowerOptions, where: (alias: string) => string): string {
  const extra = Object.entries(opts.alsoOnForward ?? {})
    .map(
      ([col, expr]) => `,\n         ${col} = CASE WHEN cur.status = ANY($7) THEN ${expr} ELSE o.${col} END`,
    )
    .join('');
  const sql = `WITH cur AS (SELECT id, status FROM ${opts.table} WHERE id = $1${where('')} FOR UPDATE),
       history AS (
         INSERT INTO order_history (order_id, status, previous_status, actor, source, occurred_at, message_id, traceparent)
         SELECT id, $2, status, $3, $4, $5, $6, $13 FROM cur
         ON CONFLICT (order_id, status) DO NOTHING)
       UPDATE ${opts.table} o SET
         status = CASE WHEN cur.status = ANY($7) THEN $2 ELSE o.status END,
         price_minor = COALESCE($8, o.price_minor),
         currency = COALESCE($9, o.currency),
         breakdown = COALESCE($10, o.breakdown),
         tracking_number = COALESCE($11, o.tracking_number),
         rejection_reason = CASE WHEN cur.status = ANY($7) THEN $12 ELSE o.rejection_reason END,
         updated_at = CASE WHEN cur.status = ANY($7) THEN now() ELSE o.updated_at END${extra}
       FROM cur WHERE o.id = cur.id${where('o.')}`;
  return sql;
}
