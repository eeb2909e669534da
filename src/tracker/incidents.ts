import type { Queryable } from '../platform/db/types.js';

export interface IncidentView {
  id: string;
  kind: 'late' | 'promise' | 'dead_letter' | 'lost';
  orderId: string | null;
  status: string | null;
  channel: string | null;
  service: string | null;
  eventType: string | null;
  deadLetterId: string | null;
  audience: 'seller' | 'operator' | 'administrator';
  summary: string;
  detail: Record<string, unknown>;
  dueAt: string | null;
  openedAt: string;
  resolvedAt: string | null;
  resolution: string | null;
  traceId: string | null;
}

interface IncidentRow {
  id: string;
  kind: IncidentView['kind'];
  order_id: string | null;
  status: string | null;
  channel: string | null;
  service: string | null;
  event_type: string | null;
  dead_letter_id: string | null;
  audience: IncidentView['audience'];
  summary: string;
  detail: Record<string, unknown>;
  due_at: string | null;
  opened_at: string;
  resolved_at: string | null;
  resolution: string | null;
  trace_id: string | null;
}

function view(r: IncidentRow): IncidentView {
  return {
    id: r.id,
    kind: r.kind,
    orderId: r.order_id,
    status: r.status,
    channel: r.channel,
    service: r.service,
    eventType: r.event_type,
    deadLetterId: r.dead_letter_id,
    audience: r.audience,
    summary: r.summary,
    detail: r.detail,
    dueAt: r.due_at,
    openedAt: r.opened_at,
    resolvedAt: r.resolved_at,
    resolution: r.resolution,
    traceId: r.trace_id,
  };
}

export async function listIncidents(
  q: Queryable,
  f: {
    state?: 'open' | 'resolved' | 'all';
    kind?: string;
    audience?: string;
    orderId?: string;
    limit?: number;
  },
): Promise<IncidentView[]> {
  const state = f.state ?? 'open';
  const r = await q.query<IncidentRow>(
    `SELECT * FROM incidents
     WHERE ($1 = 'all' OR ($1 = 'open') = (resolved_at IS NULL))
       AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR audience = $3)
       AND ($4::uuid IS NULL OR order_id = $4)
     ORDER BY opened_at DESC LIMIT $5`,
    [state, f.kind ?? null, f.audience ?? null, f.orderId ?? null, f.limit ?? 100],
  );
  return r.rows.map(view);
}

export async function getIncident(q: Queryable, id: string): Promise<IncidentView | undefined> {
  const r = await q.query<IncidentRow>('SELECT * FROM incidents WHERE id = $1', [id]);
  return r.rows[0] ? view(r.rows[0]) : undefined;
}
