import type { Logger } from 'pino';
import type { Envelope } from '../../contracts/envelope.js';
import type { Db } from '../db/types.js';
import { OUTBOX_CHANNEL, type OutboxHeaders } from './outbox.js';
import type { Transport } from './transport.js';

export interface RelayOptions {
  db: Db;
  transport: Transport;
  logger: Logger;
  /** Unique per relay instance; rows it leases carry this name. */
  owner: string;
  batchSize?: number;
  /** Fallback poll when no NOTIFY arrives (another instance inserted, or a lease expired). */
  pollMs?: number;
  /** How long a leased batch belongs to this instance before others may take it over. */
  leaseMs?: number;
}

interface OutboxRow {
  seq: number;
  id: string;
  aggregateid: string;
  type: string;
  payload: unknown;
  headers: OutboxHeaders;
}

/**
 * Publishes committed outbox rows. Each instance leases a batch with FOR UPDATE SKIP LOCKED, so
 * several relays share the work without taking the same rows; a relay that dies mid-batch loses
 * its lease after `leaseMs` and another publishes the rows (at-least-once; consumers dedupe).
 */
export class OutboxRelay {
  private running = false;
  private wake?: () => void;
  private loopDone?: Promise<void>;
  private unlisten?: () => Promise<void>;
  private paused = false;
  published = 0;

  constructor(private readonly o: RelayOptions) {}

  async start(): Promise<void> {
    this.running = true;
    this.unlisten = await this.o.db.listen(OUTBOX_CHANNEL, () => this.wake?.());
    this.loopDone = this.loop();
  }

  /** Fault injection and maintenance: stop publishing without stopping the service. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    this.wake?.();
  }

  private async loop(): Promise<void> {
    const batchSize = this.o.batchSize ?? 200;
    let backoff = 0;
    while (this.running) {
      let n = 0;
      try {
        n = this.paused ? 0 : await this.relayOnce(batchSize);
        backoff = 0;
      } catch (err) {
        backoff = Math.min(backoff ? backoff * 2 : 100, 5000);
        this.o.logger.warn({ err, retryInMs: backoff }, 'outbox relay could not publish; rows stay unsent');
      }
      if (n < batchSize && this.running) await this.sleep(backoff || (this.o.pollMs ?? 500));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  /** Leases, publishes and marks one batch; returns how many rows it published. */
  async relayOnce(batchSize: number): Promise<number> {
    const { db, owner } = this.o;
    const rows = (
      await db.query<OutboxRow>(
        `UPDATE outbox SET lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond',
                publish_attempts = publish_attempts + 1
         WHERE id IN (
           SELECT id FROM outbox
           WHERE sent_at IS NULL AND (lease_until IS NULL OR lease_until < now())
           ORDER BY seq LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING id, aggregateid, type, payload, headers, seq`,
        [owner, this.o.leaseMs ?? 15_000, batchSize],
      )
    ).rows;
    if (rows.length === 0) return 0;
    rows.sort((a, b) => a.seq - b.seq);
    const envelopes: Envelope[] = rows.map((r) => ({
      id: r.id,
      type: r.type,
      occurredAt: r.headers.occurredAt,
      orderId: r.aggregateid,
      source: r.headers.source,
      ...(r.headers.traceparent ? { traceparent: r.headers.traceparent } : {}),
      payload: r.payload,
    }));
    try {
      await this.o.transport.publish(envelopes);
    } catch (err) {
      // Give the rows back at once so this or another relay retries them.
      await db
        .query(
          'UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE id = ANY($1) AND lease_owner = $2',
          [rows.map((r) => r.id), owner],
        )
        .catch(() => undefined);
      throw err;
    }
    await db.query(
      'UPDATE outbox SET sent_at = now(), lease_owner = NULL, lease_until = NULL WHERE id = ANY($1) AND lease_owner = $2',
      [rows.map((r) => r.id), owner],
    );
    this.published += rows.length;
    return rows.length;
  }

  /** Stops after the batch in flight has been published and marked. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loopDone;
    await this.unlisten?.();
  }
}
