import type { Logger } from 'pino';
import type { Envelope } from '../../contracts/envelope.js';
import type { Db } from '../db/types.js';
import { envelopeOf, OUTBOX_TAG, type OutboxRow } from './outbox.js';
import { InjectedFaultError, type Faults } from './faults.js';
import type { Transport } from './transport.js';
import { outboxPublished, outboxPublishLag } from '../telemetry/metrics.js';
import { messagingSystem, startPublishSpans } from '../telemetry/messaging-spans.js';

export interface RelayOptions {
  db: Db;
  transport: Transport;
  logger: Logger;
  /** Unique per relay instance; rows it leases carry this name. */
  owner: string;
  /** The service whose outbox this is (metrics and spans). */
  service: string;
  /** Fault injection (`brokerUnreachable`). */
  faults?: Faults;
  batchSize?: number;
  /**
   * Least time between the starts of two batches (default 0). Each batch costs a publish round
   * with its confirms and two statements whatever its size, and RabbitMQ spends about a third as
   * much per message published eight at a time as one at a time: under load, waiting out the
   * rest of the interval gathers the rows committed meanwhile into one batch. A relay that was
   * idle for longer than the interval is held back only by `lingerMs`.
   */
  batchIntervalMs?: number;
  /**
   * How long a relay woken by a commit waits for more commits before it leases (default 0),
   * counted from the first unpublished commit. Below saturation commits come one by one, and a
   * batch of one row costs its two statements and a publish round as a batch of many does.
   */
  lingerMs?: number;
  /** Poll for rows no commit in this process announced (another instance's, or an expired lease). */
  pollMs?: number;
  /** How long a leased batch belongs to this instance before others may take it over. */
  leaseMs?: number;
  /** Sent rows are kept this long (for inspection), then deleted. */
  retentionMs?: number;
}

/** Vacuum after this many published rows, or this often while rows are being published. */
const VACUUM_EVERY_ROWS = 2000;
const VACUUM_EVERY_MS = 15_000;

/**
 * Publishes committed outbox rows. Each instance leases a batch with FOR UPDATE SKIP LOCKED, so
 * several relays share the work without taking the same rows; a relay that dies mid-batch loses
 * its lease after `leaseMs` and another publishes the rows (at-least-once; consumers dedupe).
 */
export class OutboxRelay {
  private running = false;
  private wake?: () => void;
  /** Set by a commit that arrived while a batch was in flight, so the loop goes round again. */
  private dirty = false;
  /** When the first commit not yet leased was announced (performance.now()), for the linger. */
  private dirtySince = 0;
  /** Ends the wait between batches at once (stop). */
  private interrupt?: () => void;
  private loopDone?: Promise<void>;
  private unlisten?: () => void;
  private isPaused = false;
  private sinceVacuum = 0;
  private lastVacuum = Date.now();
  published = 0;
  /** Looks for unpublished rows so far (a lease query each, whether it found any): diagnostics. */
  passes = 0;

  constructor(private readonly o: RelayOptions) {}

  async start(): Promise<void> {
    this.running = true;
    this.unlisten = this.o.db.onCommit(OUTBOX_TAG, () => {
      if (!this.dirty) this.dirtySince = performance.now();
      this.dirty = true;
      this.wake?.();
    });
    this.loopDone = this.loop();
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /** Fault injection and maintenance: stop publishing without stopping the service. */
  setPaused(paused: boolean): void {
    this.isPaused = paused;
    this.wake?.();
  }

  private async loop(): Promise<void> {
    const batchSize = this.o.batchSize ?? 200;
    let backoff = 0;
    let lastStart = 0;
    let n = 0;
    while (this.running) {
      // A full batch means a backlog: the next one goes at once.
      const gather =
        n < batchSize
          ? Math.max(
              lastStart + (this.o.batchIntervalMs ?? 0),
              this.dirty ? this.dirtySince + (this.o.lingerMs ?? 0) : 0,
            ) - performance.now()
          : 0;
      if (gather > 0)
        await new Promise<void>((resolve) => {
          const t = setTimeout(done, gather);
          function done() {
            clearTimeout(t);
            resolve();
          }
          this.interrupt = done;
        });
      if (!this.running) break;
      lastStart = performance.now();
      n = 0;
      try {
        this.dirty = false;
        n = this.isPaused ? 0 : await this.relayOnce(batchSize);
        this.passes++;
        backoff = 0;
        await this.maintain();
      } catch (err) {
        backoff = Math.min(backoff ? backoff * 2 : 100, 5000);
        this.o.logger.warn({ err, retryInMs: backoff }, 'outbox relay could not publish; rows stay unsent');
      }
      if (n < batchSize && this.running) await this.sleep(backoff || (this.o.pollMs ?? 500), backoff === 0);
    }
  }

  /** Waits `ms`, or less when a commit wakes it; `soon` skips the wait for a commit already seen. */
  private sleep(ms: number, soon: boolean): Promise<void> {
    if (soon && this.dirty && !this.isPaused) return Promise.resolve();
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
    const stored: Envelope[] = rows.map(envelopeOf);
    const spans = startPublishSpans(stored, this.o.service, messagingSystem(this.o.transport));
    try {
      if (this.o.faults?.brokerUnreachable)
        throw new InjectedFaultError('fault injection: the broker is unreachable');
      await this.o.transport.publish(spans.envelopes);
      spans.end();
    } catch (err) {
      spans.end(err);
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
    this.sinceVacuum += rows.length;
    const service = this.o.service;
    outboxPublished.inc({ service }, rows.length);
    const now = Date.now();
    for (const e of stored)
      outboxPublishLag.observe({ service }, Math.max(0, now - Date.parse(e.occurredAt)) / 1000);
    return rows.length;
  }

  /**
   * Every row is written three times (insert, lease, sent), so the outbox fills with dead
   * tuples, and the relay's scan of unsent rows walks all of them until a vacuum clears them.
   * Autovacuum looks at a database once a minute at best, far too rarely for a queue table, so
   * the relay prunes old sent rows and vacuums the outbox itself after a few thousand rows.
   */
  private async maintain(): Promise<void> {
    const due =
      this.sinceVacuum >= VACUUM_EVERY_ROWS ||
      (this.sinceVacuum > 0 && Date.now() - this.lastVacuum > VACUUM_EVERY_MS);
    if (!due) return;
    this.sinceVacuum = 0;
    this.lastVacuum = Date.now();
    try {
      await this.o.db.query(`DELETE FROM outbox WHERE sent_at < now() - $1 * interval '1 millisecond'`, [
        this.o.retentionMs ?? 3_600_000,
      ]);
      await this.o.db.query('VACUUM (SKIP_LOCKED) outbox');
    } catch (err) {
      this.o.logger.warn({ err }, 'outbox maintenance failed; the relay goes on');
    }
  }

  /** Stops after the batch in flight has been published and marked. */
  async stop(): Promise<void> {
    this.running = false;
    this.interrupt?.();
    this.wake?.();
    await this.loopDone;
    this.unlisten?.();
  }
}
