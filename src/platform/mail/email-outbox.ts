import type { Queryable } from '../db/types.js';

/**
 * The e-mail outbox: a service writes a row in the transaction that makes the e-mail due (so
 * it exists if and only if that change commits) and EmailOutboxSender delivers it later. The
 * table comes from MAIL_MIGRATIONS, applied to every service whose definition sets `mail`.
 */
export const EMAIL_OUTBOX_TABLE = 'email_outbox';

/** The e-mail outbox's own migrations, one copy of its DDL for every service that sends mail. */
export const MAIL_MIGRATIONS = new URL('./migrations/', import.meta.url);

/** The commit tag that wakes this process's sender at once. */
export const EMAIL_OUTBOX_TAG = 'email_outbox';

/** Tries per e-mail before it is left for staff with its last error. */
export const EMAIL_MAX_ATTEMPTS = 8;

export interface NewEmail {
  to: string;
  subject: string;
  text: string;
  orderId?: string;
}

/** Queues one e-mail inside the caller's transaction; returns its id. */
export async function queueEmail(q: Queryable, email: NewEmail): Promise<number> {
  const r = await q.query<{ id: number }>(
    `INSERT INTO ${EMAIL_OUTBOX_TABLE} (recipient, subject, body, order_id) VALUES ($1, $2, $3, $4) RETURNING id`,
    [email.to, email.subject, email.text, email.orderId ?? null],
  );
  q.tag?.(EMAIL_OUTBOX_TAG);
  return r.rows[0]!.id;
}

export interface FailedEmail {
  id: number;
  recipient: string;
  subject: string;
  orderId: string | null;
  createdAt: string;
  attempts: number;
  lastError: string | null;
}

/** E-mails the sender gave up on, newest first: what staff look at and retry. */
export async function failedEmails(
  db: Queryable,
  opts: { maxAttempts?: number; limit?: number } = {},
): Promise<FailedEmail[]> {
  const r = await db.query<FailedEmail>(
    `SELECT id, recipient, subject, order_id AS "orderId", created_at AS "createdAt", attempts,
            last_error AS "lastError"
     FROM ${EMAIL_OUTBOX_TABLE}
     WHERE sent_at IS NULL AND attempts >= $1
     ORDER BY created_at DESC, id DESC LIMIT $2`,
    [opts.maxAttempts ?? EMAIL_MAX_ATTEMPTS, opts.limit ?? 100],
  );
  return r.rows;
}

/**
 * Gives a failed e-mail a fresh set of attempts (after its address or the SMTP setup was fixed).
 * False when it is not a failed one: unknown, sent, or still being retried.
 */
export async function retryEmail(
  q: Queryable,
  id: number,
  opts: { maxAttempts?: number } = {},
): Promise<boolean> {
  const r = await q.query(
    `UPDATE ${EMAIL_OUTBOX_TABLE} SET attempts = 0, next_attempt_at = now()
     WHERE id = $1 AND sent_at IS NULL AND attempts >= $2`,
    [id, opts.maxAttempts ?? EMAIL_MAX_ATTEMPTS],
  );
  if (r.rowCount > 0) q.tag?.(EMAIL_OUTBOX_TAG);
  return r.rowCount > 0;
}
