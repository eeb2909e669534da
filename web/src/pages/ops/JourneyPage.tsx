/**
 * One order's journey (#/ops/orders/<id>): every step on a time line, with the service and
 * person or rule that made it, how long the stage took, and a link to its trace in the tracing
 * UI (TRACING_UI_URL); the deadline it is under now, and its incidents.
 */
import { getJourney, getUiConfig, traceLink } from '../../api/tracker';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatDateTime, formatDuration } from '../../lib/dates';
import { usePolling } from '../../lib/usePolling';

export function JourneyPage({ orderId }: { orderId: string }) {
  const journey = usePolling((signal) => getJourney(orderId, signal), { key: orderId, intervalMs: 3000 });
  const ui = usePolling(getUiConfig, { key: 'ui-config' });
  const j = journey.data;
  const tracing = ui.data?.tracingUiUrl ?? null;
  const longest = Math.max(1, ...(j?.steps.map((s) => s.tookMs ?? 0) ?? []));
  return (
    <section className="panel" data-testid="journey">
      <p>
        <a href="#/ops">← Operations</a>
      </p>
      <h2>
        Journey of order <span data-testid="journey-number">{j?.orderNumber ?? orderId}</span>
      </h2>
      <ErrorMessage message={journey.error} />
      {j ? (
        <>
          <p data-testid="journey-status" data-late={String(j.late)}>
            Now <code>{j.status}</code> since {formatDateTime(j.statusSince)}
            {j.deadlineAt ? (
              <>
                , deadline {formatDateTime(j.deadlineAt)}
                {j.late ? <strong className="late-count"> (late)</strong> : null}
              </>
            ) : null}
            {j.promiseAt ? <>; promised by {formatDateTime(j.promiseAt)}</> : null}.
          </p>
          <table className="journey" data-testid="journey-steps">
            <thead>
              <tr>
                <th>Status</th>
                <th>By</th>
                <th>At</th>
                <th>Took</th>
                <th className="bar-cell" />
                <th>Trace</th>
              </tr>
            </thead>
            <tbody>
              {j.steps.map((s) => {
                const link = traceLink(tracing, s.traceId);
                return (
                  <tr key={s.status} data-testid={`step-${s.status}`}>
                    <th scope="row">
                      <code>{s.status}</code>
                    </th>
                    <td>
                      {s.actor} <small className="muted">({s.service})</small>
                    </td>
                    <td>{formatDateTime(s.at)}</td>
                    <td>{formatDuration(s.tookMs)}</td>
                    <td className="bar-cell" aria-hidden="true">
                      <span className="bar" style={{ width: `${(100 * (s.tookMs ?? 0)) / longest}%` }} />
                    </td>
                    <td>
                      {link ? (
                        <a href={link} target="_blank" rel="noreferrer" data-testid={`trace-${s.status}`}>
                          {s.traceId?.slice(0, 8)}…
                        </a>
                      ) : (
                        <small className="muted">{s.traceId ? s.traceId.slice(0, 8) : '—'}</small>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <h3>Incidents</h3>
          {j.incidents.length === 0 ? <p className="muted">None.</p> : null}
          <ul data-testid="journey-incidents">
            {j.incidents.map((i) => (
              <li key={i.id} data-state={i.resolvedAt ? 'resolved' : 'open'}>
                <span className={`badge kind-${i.kind}`}>{i.kind.replace('_', ' ')}</span> {i.summary}{' '}
                <small className="muted">
                  opened {formatDateTime(i.openedAt)}
                  {i.resolvedAt ? `, resolved ${formatDateTime(i.resolvedAt)}: ${i.resolution ?? ''}` : ''}
                </small>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
