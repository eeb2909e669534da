/** Notifications as they happen, over the tracker's server-sent events (resumes by itself). */
import { useEffect, useState } from 'react';
import { notificationStreamUrl, type Notification } from '../../api/tracker';
import { formatDateTime } from '../../lib/dates';
import { journeyHash } from '../../lib/router';

const KEEP = 50;

/** Every audience's notifications (operations), or one audience's (sellers, operators). */
export function LiveNotifications({ audience }: { audience?: 'seller' | 'operator' | 'administrator' }) {
  const [items, setItems] = useState<Notification[]>([]);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    // EventSource reconnects on its own and sends Last-Event-ID, so nothing is missed.
    const source = new EventSource(
      audience ? `${notificationStreamUrl}?audience=${encodeURIComponent(audience)}` : notificationStreamUrl,
    );
    source.addEventListener('hello', () => setConnected(true));
    source.addEventListener('notification', (e) => {
      const n = JSON.parse((e as MessageEvent<string>).data) as Notification;
      setItems((list) => [n, ...list.filter((x) => x.id !== n.id)].slice(0, KEEP));
    });
    source.onerror = () => setConnected(false);
    return () => source.close();
  }, [audience]);
  return (
    <section className="panel" data-testid="ops-notifications" data-connected={String(connected)}>
      <h2>
        {audience ? `Notifications for ${audience}s` : 'Notifications'}{' '}
        {connected ? <small className="muted">(live)</small> : null}
      </h2>
      {items.length === 0 ? <p className="muted">None yet.</p> : null}
      <ul className="notifications">
        {items.map((n) => (
          <li key={n.id} className={`severity-${n.severity}`} data-testid={`notification-${n.id}`}>
            <strong>{n.title}</strong> <small>for {n.audience}s</small>
            <br />
            <span>{n.body}</span> <small className="muted">{formatDateTime(n.createdAt)}</small>
            {n.orderId ? (
              <>
                {' '}
                <a href={journeyHash(n.orderId)}>journey</a>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
