import type { Logger } from 'pino';
import type { Db } from '../../platform/db/types.js';

/** One change the workspace shows: the order as it now is, and what moved. */
export interface FeedEvent {
  id: number;
  kind: 'added' | 'changed';
  status: string;
  previousStatus: string | null;
  operator: string | null;
  previousOperator: string | null;
  at: string;
  order: Record<string, unknown>;
}

interface EventRow {
  id: number;
  kind: 'added' | 'changed';
  status: string;
  previous_status: string | null;
  operator: string | null;
  previous_operator: string | null;
  at: string;
  snapshot: Record<string, unknown>;
}

const toEvent = (r: EventRow): FeedEvent => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  previousStatus: r.previous_status,
  operator: r.operator,
  previousOperator: r.previous_operator,
  at: r.at,
  order: r.snapshot,
});

export interface FeedOptions {
  pollMs: number;
  /**
   * How long a missing id may hold back the ids after it. Ids come from a sequence when a
   * transaction inserts, so a later id can commit before an earlier one; delivering past the
   * hole at once would let a reconnecting client (Last-Event-ID) skip the late one. A hole that
   * outlives this is a rolled-back transaction and is passed over.
   */
  gapWaitMs?: number;
  /** Changes older than this are pruned; a client further behind reloads its list. */
  retentionMs?: number;
  logger: Logger;
}

/**
 * The live feed of workspace changes. Each MES instance polls the workspace_events table (written
 * by the production-order trigger in the same transaction as the change) and fans new rows out
 * to the workspaces connected to it, so every instance's clients hear of every change, whichever
 * instance made it. Polling one indexed range per instance is cheap and needs no NOTIFY, whose
 * server-wide lock serialises commits.
 */
export class WorkspaceFeed {
  private readonly listeners = new Set<(events: FeedEvent[]) => void>();
  private delivered = 0;
  private gap: { id: number; since: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private started = false;
  private lastPrune = 0;
  /** (last id of a delivery, when) for the last minute, for watermarkBefore. */
  private recent: [number, number][] = [];
  /** The id delivered before the oldest entry of `recent`. */
  private floor = 0;

  constructor(
    private readonly db: Db,
    private readonly opts: FeedOptions,
  ) {}

  /** The id of the newest change delivered so far (where a new client's stream begins). */
  get watermark(): number {
    return this.delivered;
  }

  /**
   * The newest id delivered at least `ms` ago. A page read from a replica may lag the primary by
   * a moment; streaming from this earlier point replays the changes of that moment, which the
   * client applies idempotently (it keeps each order's newest version), so none is missed.
   */
  watermarkBefore(ms: number): number {
    if (ms <= 0) return this.delivered;
    const cutoff = Date.now() - ms;
    let mark = this.floor;
    for (const [id, at] of this.recent) {
      if (at > cutoff) break;
      mark = id;
    }
    return mark;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const r = await this.db.query<{ id: number | null }>('SELECT max(id) AS id FROM workspace_events');
    this.delivered = Number(r.rows[0]?.id ?? 0);
    this.floor = this.delivered;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    await this.polling;
  }

  subscribe(listener: (events: FeedEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Changes after `afterId` up to what this instance has delivered, for a reconnecting client. */
  async since(afterId: number, limit = 2000): Promise<{ events: FeedEvent[]; complete: boolean }> {
    const oldest = await this.db.query<{ id: number | null }>('SELECT min(id) AS id FROM workspace_events');
    const min = Number(oldest.rows[0]?.id ?? 0);
    // Pruned past the client's position: it cannot catch up from the feed alone.
    if (min > afterId + 1 && afterId < this.delivered) return { events: [], complete: false };
    const r = await this.db.query<EventRow>(
      `SELECT * FROM workspace_events WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3`,
      [afterId, this.delivered, limit + 1],
    );
    return { events: r.rows.slice(0, limit).map(toEvent), complete: r.rows.length <= limit };
  }

  /** Reads once now (tests and the routes call it to make a change visible without waiting). */
  poll(): Promise<void> {
    this.polling ??= this.readNew().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private schedule(): void {
    if (!this.started) return;
    this.timer = setTimeout(() => {
      void this.poll()
        .catch((err: unknown) => this.opts.logger.warn({ err }, 'workspace feed poll failed'))
        .finally(() => this.schedule());
    }, this.opts.pollMs);
    this.timer.unref();
  }

  private async readNew(): Promise<void> {
    const r = await this.db.query<EventRow>(
      'SELECT * FROM workspace_events WHERE id > $1 ORDER BY id LIMIT 500',
      [this.delivered],
    );
    const ready: FeedEvent[] = [];
    const gapWait = this.opts.gapWaitMs ?? 1000;
    for (const row of r.rows) {
      const id = Number(row.id);
      if (id !== this.delivered + 1) {
        const missing = this.delivered + 1;
        if (this.gap?.id !== missing) this.gap = { id: missing, since: Date.now() };
        if (Date.now() - this.gap.since < gapWait) break;
      }
      this.gap = undefined;
      this.delivered = id;
      ready.push(toEvent({ ...row, id }));
    }
    if (ready.length) {
      const now = Date.now();
      this.recent.push([this.delivered, now]);
      while (this.recent.length && this.recent[0]![1] < now - 60_000) this.floor = this.recent.shift()![0];
      for (const l of this.listeners) l(ready);
    }
    await this.prune();
  }

  private async prune(): Promise<void> {
    const retention = this.opts.retentionMs ?? 24 * 3600_000;
    if (Date.now() - this.lastPrune < Math.min(retention, 600_000)) return;
    this.lastPrune = Date.now();
    await this.db.query(`DELETE FROM workspace_events WHERE at < now() - $1 * interval '1 millisecond'`, [
      retention,
    ]);
  }
}
