import type { Envelope } from '../contracts/envelope.js';
import type { EventPayload, EventType } from '../contracts/events.js';
import { isForward } from '../contracts/order-status.js';
import { together } from '../platform/db/together.js';
import type { Queryable } from '../platform/db/types.js';
import { NotYetError, type Handler } from '../platform/messaging/consumer.js';
import { statusFollower } from '../platform/orders/follow.js';
import { recordFollowed, recordTransition } from '../platform/orders/history.js';
import { autoApprovalRule, type ApprovalRules } from './domain/approval.js';
import * as store from './store.js';

async function known(q: Queryable, event: Envelope): Promise<store.CrmRow> {
  const row = await store.getOrder(q, event.orderId, true);
  // Every order reaches the CRM as order.submitted first; a later event that overtook it waits.
  if (!row)
    throw new NotYetError(
      `order ${event.orderId} not known to the CRM yet (${event.type} arrived before order.submitted)`,
    );
  return row;
}

export function crmHandlers(rules: ApprovalRules): Partial<Record<EventType, Handler>> {
  const submitted: Handler = async (event, q) => {
    const p = event.payload as EventPayload<'order.submitted.v1'>;
    // The history row goes out with the insert (one round trip); a repeat adds neither.
    const inserted = q.query(
      `INSERT INTO orders (id, number, channel, kind, partner_id, status, catalog_sku, alloy, quantity,
                           customer_name, customer_email, created_at)
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
        p.customer.name,
        p.customer.email,
        event.occurredAt,
      ],
    );
    await together(inserted, recordFollowed(q, null, event));
  };

  const priced: Handler = async (event, q) => {
    const p = event.payload as EventPayload<'order.price_calculated.v1'>;
    const row = await known(q, event);
    const followed = recordFollowed(q, row.status, event);
    // An older or repeated price only adds its history row.
    if (!isForward(row.status, 'PRICE_CALCULATED')) {
      await followed;
      return;
    }
    const total = p.breakdown.total;
    const rule = autoApprovalRule(rules, {
      kind: row.kind,
      priceMinor: total.amountMinor,
      currency: total.currency,
    });
    const fields: Record<string, unknown> = {
      status: 'PRICE_CALCULATED',
      price_minor: total.amountMinor,
      currency: total.currency,
      breakdown: JSON.stringify(p.breakdown),
      awaiting_approval: rule === null,
      rejection_reason: null, // a pricing failure's reason, when a retry priced the order
    };
    // Every write goes out in one round trip (see together()).
    const writes: Promise<unknown>[] = [followed];
    if (rule) {
      const approved = recordTransition(q, 'crm', {
        orderId: row.id,
        from: 'PRICE_CALCULATED',
        type: 'order.manufacturing_approved.v1',
        payload: {
          orderId: row.id,
          orderNumber: row.number,
          channel: row.channel,
          actor: `rule:${rule}`,
          approval: 'auto',
          rule,
        },
      });
      writes.push(approved);
      Object.assign(fields, {
        status: 'MANUFACTURING_APPROVED',
        approval: 'auto',
        approved_by: `rule:${rule}`,
      });
    }
    await together(...writes, store.update(q, row.id, fields));
  };

  /** Status set by another service (MES stages, a rejection, a cancellation): mirror it. */
  const follow = statusFollower({
    table: 'orders',
    requireKnown: true,
    alsoOnForward: { awaiting_approval: 'false' },
  });

  return {
    'order.submitted.v1': submitted,
    'order.price_calculated.v1': priced,
    'order.manufacturing_started.v1': follow,
    'order.manufacturing_completed.v1': follow,
    'order.packaging.v1': follow,
    'order.shipped.v1': follow,
    'order.rejected.v1': follow,
    'order.cancelled.v1': follow,
    'order.pricing_failed.v1': follow,
  };
}
