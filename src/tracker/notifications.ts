import type { Queryable } from '../platform/db/types.js';
import type { Audience } from './audience.js';

export interface Notification {
  id: number;
  audience: Audience;
  source: 'incident' | 'alert';
  state: 'open' | 'resolved';
  severity: 'info' | 'warning' | 'critical';
  incidentId: string | null;
  orderId: string | null;
  alertName: string | null;
  title: string;
  body: string;
  createdAt: string;
}

interface NotificationRow {
  id: string | number;
  audience: Audience;
  source: Notification['source'];
  state: Notification['state'];
  severity: Notification['severity'];
  incident_id: string | null;
  order_id: string | null;
  alert_name: string | null;
  title: string;
  body: string;
  created_at: string;
}

const view = (r: NotificationRow): Notification => ({
  id: Number(r.id),
  audience: r.audience,
  source: r.source,
  state: r.state,
  severity: r.severity,
  incidentId: r.incident_id,
  orderId: r.order_id,
  alertName: r.alert_name,
  title: r.title,
  body: r.body,
  createdAt: r.created_at,
});

/**
 * Notifications for some audiences: after `after` in id order (what a live view has not shown
 * yet), or the newest `limit` when `after` is not given.
 */
export async function listNotifications(
  q: Queryable,
  audiences: readonly Audience[],
  opts: { after?: number; limit: number },
): Promise<Notification[]> {
  const r =
    opts.after === undefined
      ? await q.query<NotificationRow>(
          `SELECT * FROM (SELECT * FROM notifications WHERE audience = ANY($1) ORDER BY id DESC LIMIT $2) n
           ORDER BY id`,
          [audiences, opts.limit],
        )
      : await q.query<NotificationRow>(
          'SELECT * FROM notifications WHERE audience = ANY($1) AND id > $2 ORDER BY id LIMIT $3',
          [audiences, opts.after, opts.limit],
        );
  return r.rows.map(view);
}

/** An alert from Alertmanager's webhook, as it sends them (the fields used here). */
export interface AlertmanagerAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  fingerprint?: string;
}

/**
 * Alerts from Prometheus (through Alertmanager) become notifications for the audience their
 * `audience` label names (administrators when it has none); e-mails follow by trigger.
 */
export async function recordAlerts(q: Queryable, alerts: readonly AlertmanagerAlert[]): Promise<number> {
  let n = 0;
  for (const a of alerts) {
    const audience = ['seller', 'operator', 'administrator'].includes(a.labels.audience ?? '')
      ? a.labels.audience
      : 'administrator';
    const severity =
      a.status === 'resolved' ? 'info' : a.labels.severity === 'critical' ? 'critical' : 'warning';
    const name = a.labels.alertname ?? 'alert';
    const summary = a.annotations?.summary ?? name;
    await q.query(
      `INSERT INTO notifications (audience, source, state, severity, alert_name, title, body)
       VALUES ($1, 'alert', $2, $3, $4, $5, $6)`,
      [
        audience,
        a.status === 'resolved' ? 'resolved' : 'open',
        severity,
        name,
        a.status === 'resolved' ? `Resolved: ${summary}` : summary,
        a.annotations?.description ?? summary,
      ],
    );
    n++;
  }
  return n;
}
