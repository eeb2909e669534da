import type { Queryable } from '../platform/db/types.js';
import { EMAIL_OUTBOX_TAG } from '../platform/mail/email-outbox.js';

/**
 * E-mails the operators who asked for them that a new order they can make is waiting. Written to
 * the e-mail outbox in the transaction that queued the order (and only if the assigner left it
 * in the queue), so a rollback sends nothing and a crash after commit still sends.
 */
export async function emailQueuedOrder(q: Queryable, orderId: string): Promise<number> {
  const r = await q.query(
    `INSERT INTO email_outbox (recipient, subject, body, order_id)
     SELECT op.email,
            'New order ' || o.number || ' is waiting in the production queue',
            'Hello ' || op.name || E',\\n\\n'
              || 'Order ' || o.number || ' (' || o.quantity || ' × ' || o.alloy || ', '
              || CASE WHEN o.kind = 'custom' THEN 'custom model' ELSE 'catalog piece' END
              || ') was approved and matches your skills (' || array_to_string(o.required_skills, ', ') || E').\\n'
              || 'Deadline: ' || to_char(o.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || E' UTC.\\n\\n'
              || E'Open the MES workspace to claim it; the oldest orders go first.\\n',
            o.id
     FROM production_orders o
     JOIN operators op ON op.active AND op.notify_email AND op.email IS NOT NULL AND o.required_skills <@ op.skills
     WHERE o.id = $1 AND o.archive_month = 'infinity' AND o.status = 'MANUFACTURING_APPROVED' AND o.operator IS NULL`,
    [orderId],
  );
  // The sender wakes when this transaction commits.
  if (r.rowCount > 0) q.tag?.(EMAIL_OUTBOX_TAG);
  return r.rowCount;
}
