import type { Logger } from 'pino';
import type { Db } from '../db/types.js';
import { EMAIL_MAX_ATTEMPTS, EMAIL_OUTBOX_TABLE as T, EMAIL_OUTBOX_TAG } from './email-outbox.js';
import type { Mailer } from './mailer.js';
import { maskAddress, maskAddresses } from './mask.js';

export interface EmailOutboxSenderOptions {
  db: Db;
  mailer: Mailer;
  logger: Logger;
  /** How often to look for due rows that no commit in this process announced. */
  pollMs?: number;
  batchSize?: number;
  /** How long claimed rows belong to this instance; must outlast one send (mailer.timeoutMs). */
  leaseMs?: number;
  maxAttempts?: number;
  /** Wait before each retry; the last one repeats. */
  retryDelaysMs?: readonly number[];
}

interface ClaimedRow {
  id: number;
  recipient: string;
  subject: string;
  body: string;
  order_id: string | null;
  /** Also the claim's token: every claim increments it, so a stale claim matches no row. */
  attempts: number;
}

const DEFAULT_RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 1_800_000];

/**
 * Delivers the e-mail outbox. A claim is one statement that leases due rows (pushes their
 * next_attempt_at past the lease and counts the attempt) with FOR UPDATE SKIP LOCKED, so
 * several instances share the rows without taking the same ones and no transaction stays open
 * while SMTP talks. Before each send the lease is renewed under the claim's token; a row whose
 * lease ran out while earlier ones were sent has been taken over and is skipped. So an e-mail
 * goes out twice only when a process dies, or loses the database, between the SMTP server's
 * acceptance and the mark (at-least-once, like any SMTP client).
 */
export class EmailOutboxSender {
  private running = false;
  private wakeUp?: () => void;
  /** A wake() that came while a batch was in flight: the loop goes round again at once. */
  private woken = false;
  private loopDone?: Promise<void>;
  private unlisten?: () => void;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly retryDelaysMs: readonly number[];
  sent = 0;
  failures = 0;

  constructor(private readonly o: EmailOutboxSenderOptions) {
    this.pollMs = o.pollMs ?? 5000;
    this.batchSize = o.batchSize ?? 20;
    this.leaseMs = o.leaseMs ?? Math.max(120_000, 2 * o.mailer.timeoutMs);
    this.maxAttempts = o.maxAttempts ?? EMAIL_MAX_ATTEMPTS;
    this.retryDelaysMs = o.retryDelaysMs?.length ? o.retryDelaysMs : DEFAULT_RETRY_DELAYS_MS;
    if (this.leaseMs <= o.mailer.timeoutMs) {
      throw new Error(
        `The e-mail lease (${this.leaseMs} ms) must outlast one send (${o.mailer.timeoutMs} ms), or another instance could send the same e-mail.`,
      );
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unlisten = this.o.db.onCommit(EMAIL_OUTBOX_TAG, () => this.wake());
    this.o.logger.info({ server: this.o.mailer.server }, 'e-mail sender started');
    this.loopDone = this.loop();
  }

  /** Looks for due e-mails now (after a commit that queued one without the commit tag). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Finishes the send in flight, hands the rest of its batch back, and returns. */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loopDone;
    this.unlisten?.();
  }

  private async loop(): Promise<void> {
    let backoff = 0;
    while (this.running) {
      let claimed = 0;
      try {
        this.woken = false;
        claimed = await this.sendDue();
        backoff = 0;
      } catch (err) {
        backoff = Math.min(backoff ? backoff * 2 : 200, 10_000);
        this.o.logger.warn({ err, retryInMs: backoff }, 'e-mail sender could not reach its outbox');
      }
      // A full batch means more may be due: go round again without waiting.
      if (claimed < this.batchSize && this.running) await this.sleep(backoff || this.pollMs, backoff === 0);
    }
  }

  private sleep(ms: number, soon: boolean): Promise<void> {
    if (soon && this.woken) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  /** Claims one batch of due e-mails and sends them; returns how many it claimed. */
  async sendDue(): Promise<number> {
    const rows = (
      await this.o.db.query<ClaimedRow>(
        `UPDATE ${T} SET attempts = attempts + 1, next_attempt_at = now() + $1 * interval '1 millisecond'
         WHERE id IN (
           SELECT id FROM ${T}
           WHERE sent_at IS NULL AND next_attempt_at <= now() AND attempts < $2
           ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING id, recipient, subject, body, order_id, attempts`,
        [this.leaseMs, this.maxAttempts, this.batchSize],
      )
    ).rows;
    rows.sort((a, b) => a.id - b.id);
    for (const [i, row] of rows.entries()) {
      if (!this.running) {
        await this.release(rows.slice(i));
        break;
      }
      await this.deliver(row);
    }
    return rows.length;
  }

  private async deliver(row: ClaimedRow): Promise<void> {
    const { db, mailer, logger } = this.o;
    const about = {
      emailId: row.id,
      orderId: row.order_id,
      to: maskAddress(row.recipient),
      attempt: row.attempts,
    };
    // Renewed under the claim's token, so the lease covers this send however long the ones
    // before it took; no row means the lease had run out and another instance owns the row.
    const renewed = await db.query(
      `UPDATE ${T} SET next_attempt_at = now() + $3 * interval '1 millisecond'
       WHERE id = $1 AND attempts = $2 AND sent_at IS NULL`,
      [row.id, row.attempts, this.leaseMs],
    );
    if (renewed.rowCount === 0) return;
    let messageId: string;
    try {
      messageId = await mailer.send({ to: row.recipient, subject: row.subject, text: row.body });
    } catch (err) {
      this.failures++;
      const error = (err as Error).message.slice(0, 2000);
      const delay = this.retryDelaysMs[Math.min(row.attempts, this.retryDelaysMs.length) - 1]!;
      await db.query(
        `UPDATE ${T} SET last_error = $3, next_attempt_at = now() + $4 * interval '1 millisecond'
         WHERE id = $1 AND attempts = $2`,
        [row.id, row.attempts, error, delay],
      );
      if (row.attempts >= this.maxAttempts) {
        logger.error(
          { ...about, error: maskAddresses(error) },
          `e-mail not sent after ${row.attempts} attempts; left for staff with its error`,
        );
      } else {
        logger.warn(
          { ...about, error: maskAddresses(error), retryInMs: delay },
          'e-mail not sent; will retry',
        );
      }
      return;
    }
    // Marked whatever became of the claim meanwhile: it has been sent, and must not be again.
    await db.query(`UPDATE ${T} SET sent_at = now() WHERE id = $1 AND sent_at IS NULL`, [row.id]);
    this.sent++;
    logger.info({ ...about, messageId }, 'e-mail sent');
  }

  /** Rows claimed but not sent when stopping: due again at once, the claim not counted. */
  private async release(rows: ClaimedRow[]): Promise<void> {
    for (const row of rows) {
      await this.o.db.query(
        `UPDATE ${T} SET attempts = attempts - 1, next_attempt_at = now()
         WHERE id = $1 AND attempts = $2 AND sent_at IS NULL`,
        [row.id, row.attempts],
      );
    }
  }
}
