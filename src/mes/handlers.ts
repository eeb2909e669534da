import type { EventPayload, EventType } from '../contracts/events.js';
import type { Handler } from '../platform/messaging/consumer.js';
import { together } from '../platform/db/together.js';
import { statusFollower } from '../platform/orders/follow.js';
import { recordFollowed } from '../platform/orders/history.js';
import { assignQueued } from './assignment/assigner.js';
import { emailQueuedOrder } from './notify.js';

export interface MesHandlerOptions {
  /** Days from submission to the shipping deadline. */
  deadlineDays: number;
  /** Whether operators can be e-mailed (SMTP configured). */
  email: boolean;
}

/** The active partition: where the MES finds an order it is still making. */
const ACTIVE = { column: 'archive_month', value: `'infinity'` };
/** An order that ends moves to the archive partition of the month it ended in. */
const ARCHIVE_ON_END = `(date_trunc('month', $5::timestamptz))::date`;

/**
 * The events after which the assigner hands queued orders to operators: it reads and changes
 * every operator's load, so in a batch these run one at a time, never beside each other.
 */
export const MES_SERIAL_TYPES: readonly EventType[] = [
  'order.manufacturing_approved.v1',
  'order.rejected.v1',
  'order.cancelled.v1',
];

export function mesHandlers(opts: MesHandlerOptions): Partial<Record<EventType, Handler>> {
  /** Every submitted order becomes a production order; the pricing service prices it. */
  const submitted: Handler = async (event, q) => {
    const p = event.payload as EventPayload<'order.submitted.v1'>;
    // The history row goes out with the insert (one round trip); a repeat adds neither.
    const inserted = q.query(
      `INSERT INTO production_orders (id, number, channel, kind, partner_id, customer_name, status, catalog_sku,
                                    alloy, quantity, list_price_minor, model_key, created_at, due_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'SUBMITTED', $7, $8, $9, $10, $11, $12,
               $12::timestamptz + $13 * interval '1 day')
       ON CONFLICT (id, archive_month) DO NOTHING`,
      [
        event.orderId,
        p.orderNumber,
        p.channel,
        p.kind,
        p.partnerId ?? null,
        p.customer.name,
        p.catalogSku ?? null,
        p.alloy,
        p.quantity,
        p.listPrice?.amountMinor ?? null,
        p.modelKey ?? null,
        event.occurredAt,
        opts.deadlineDays,
      ],
    );
    await together(inserted, recordFollowed(q, null, event));
  };

  /** The price fixes what the piece needs: set stones need a stone setter. */
  const priced = statusFollower({
    table: 'production_orders',
    requireKnown: true,
    usually: ACTIVE,
    alsoOnForward: {
      required_skills: `CASE WHEN jsonb_array_length(COALESCE(($10::jsonb)->'stones', '[]'::jsonb)) > 0
        THEN ARRAY['casting', 'stone_setting', 'polishing'] ELSE o.required_skills END`,
    },
  });

  /** Approval (from the CRM) puts the order in the queue; the assigner may give it out at once. */
  const approve = statusFollower({
    table: 'production_orders',
    requireKnown: true,
    usually: ACTIVE,
    alsoOnForward: { approved_at: '$5' },
  });
  const approved: Handler = async (event, q) => {
    await approve(event, q);
    await assignQueued(q);
    if (opts.email) await emailQueuedOrder(q, event.orderId);
  };

  /** A status the MES does not set but mirrors so its view stays current (with the price). */
  const mirrored = statusFollower({ table: 'production_orders', requireKnown: true, usually: ACTIVE });

  /** An order that ends leaves the active partition for the month's archive. */
  const ended = statusFollower({
    table: 'production_orders',
    requireKnown: true,
    usually: ACTIVE,
    alsoOnForward: { archive_month: ARCHIVE_ON_END },
  });
  /** Ending frees the operator's capacity (a cancelled order they had): the queue moves on. */
  const endedFreeing: Handler = async (event, q) => {
    await ended(event, q);
    await assignQueued(q);
  };

  return {
    'order.submitted.v1': submitted,
    'order.price_calculated.v1': priced,
    'order.pricing_failed.v1': mirrored,
    'order.manufacturing_approved.v1': approved,
    'order.rejected.v1': endedFreeing,
    'order.cancelled.v1': endedFreeing,
    'order.closed.v1': ended,
  };
}
