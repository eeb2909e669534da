/** The tracker, `/api/tracker`: journeys, the pipeline, incidents and notifications. */
import { getJson, postJson, withQuery } from './http';

const BASE = '/api/tracker';

export interface Incident {
  id: string;
  kind: 'late' | 'promise' | 'dead_letter' | 'lost';
  orderId: string | null;
  status: string | null;
  service: string | null;
  eventType: string | null;
  audience: 'seller' | 'operator' | 'administrator';
  summary: string;
  openedAt: string;
  resolvedAt: string | null;
  resolution: string | null;
}

export interface Pipeline {
  funnel: { status: string; orders: number; late: number }[];
  stages: { stage: string; orders: number; p50: number; p95: number; p99: number; max: number }[];
  created: { channel: string; orders: number }[];
  incidentsOpen: { kind: string; incidents: number }[];
  windowHours: number;
}

export interface LateOrder {
  orderId: string;
  orderNumber: string | null;
  channel: string;
  status: string;
  statusSince: string;
  deadlineAt: string;
}

export interface JourneyStep {
  status: string;
  eventType: string;
  actor: string;
  service: string;
  at: string;
  tookMs: number | null;
  traceId: string | null;
}

export interface Journey {
  orderId: string;
  orderNumber: string | null;
  channel: string;
  status: string;
  statusSince: string;
  deadlineAt: string | null;
  late: boolean;
  promiseAt: string | null;
  endedAt: string | null;
  steps: JourneyStep[];
  incidents: Incident[];
}

export interface Notification {
  id: number;
  audience: string;
  state: 'open' | 'resolved';
  severity: 'info' | 'warning' | 'critical';
  orderId: string | null;
  title: string;
  body: string;
  createdAt: string;
}

export const getPipeline = (signal?: AbortSignal) => getJson<Pipeline>(`${BASE}/pipeline`, signal);

export const listLate = async (signal?: AbortSignal) =>
  (await getJson<{ items: LateOrder[] }>(`${BASE}/late`, signal)).items;

export const listOpenIncidents = async (signal?: AbortSignal) =>
  (
    await getJson<{ items: Incident[] }>(
      withQuery(`${BASE}/incidents`, { state: 'open', limit: 200 }),
      signal,
    )
  ).items;

export const getJourney = (orderId: string, signal?: AbortSignal) =>
  getJson<Journey>(`${BASE}/orders/${encodeURIComponent(orderId)}/journey`, signal);

export const getUiConfig = (signal?: AbortSignal) =>
  getJson<{ tracingUiUrl: string | null }>(`${BASE}/ui-config`, signal);

export const retryIncident = (id: string, adminToken: string) =>
  postJson<{ retried: string[] }>(`${BASE}/incidents/${encodeURIComponent(id)}/retry`, undefined, {
    Authorization: `Bearer ${adminToken}`,
  });

export const notificationStreamUrl = `${BASE}/notifications/stream`;

/** The tracing UI's page for a trace, from the configured template ({traceId}). */
export function traceLink(template: string | null, traceId: string | null): string | null {
  return template && traceId ? template.replace('{traceId}', encodeURIComponent(traceId)) : null;
}
