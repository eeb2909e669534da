/**
 * Operations view (#/ops): the pipeline funnel, time per stage, late and stuck orders, open
 * incidents with their retry, and notifications as they happen. Everything comes from the
 * tracker and refreshes every few seconds; retries need the administrator token.
 */
import { getPipeline, listLate, listOpenIncidents, retryIncident } from '../api/tracker';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatDateTime, formatDuration } from '../lib/dates';
import { journeyHash } from '../lib/router';
import { STORAGE_KEYS, useStoredState } from '../lib/storage';
import { useAction } from '../lib/useAction';
import { usePolling } from '../lib/usePolling';
import { LiveNotifications } from './ops/LiveNotifications';
import { TextField } from '../components/TextField';
import { StageTimes } from './ops/StageTimes';

const RETRYABLE = new Set(['dead_letter', 'lost']);

export function OpsPage() {
  const pipeline = usePolling(getPipeline, { key: 'pipeline', intervalMs: 3000 });
  const late = usePolling(listLate, { key: 'late', intervalMs: 3000 });
  const incidents = usePolling(listOpenIncidents, { key: 'incidents', intervalMs: 2000 });
  const [token, setToken] = useStoredState(STORAGE_KEYS.adminToken);
  const action = useAction();
  const widest = Math.max(1, ...(pipeline.data?.funnel.map((f) => f.orders) ?? []));

  async function retry(id: string) {
    if (!token.trim()) {
      action.setError('Type the administrator token first: retrying a message is an administrator action.');
      return;
    }
    await action.run(id, () => retryIncident(id, token.trim()));
    incidents.refresh();
  }

  return (
    <>
      <section className="panel" data-testid="ops-funnel">
        <h2>Pipeline</h2>
        <ErrorMessage message={pipeline.error} />
        <p className="muted">
          Orders in progress by status, with those past their deadline. Created in the last{' '}
          {pipeline.data?.windowHours ?? 24} h:{' '}
          {(pipeline.data?.created ?? []).map((c) => `${c.orders} ${c.channel}`).join(', ') || 'none'}.
        </p>
        <table className="funnel">
          <tbody>
            {(pipeline.data?.funnel ?? []).map((f) => (
              <tr key={f.status} data-testid={`funnel-${f.status}`}>
                <th scope="row">
                  <code>{f.status}</code>
                </th>
                <td className="bar-cell">
                  <span className="bar" style={{ width: `${(100 * f.orders) / widest}%` }} />
                  <span className="bar late" style={{ width: `${(100 * f.late) / widest}%` }} />
                </td>
                <td>
                  {f.orders}
                  {f.late > 0 ? <strong className="late-count"> ({f.late} late)</strong> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <StageTimes stages={pipeline.data?.stages ?? []} />

      <section className="panel">
        <h2>Late and stuck orders</h2>
        <ErrorMessage message={late.error} />
        {late.data && late.data.length === 0 ? <p className="muted">No order is past its deadline.</p> : null}
        <table data-testid="ops-late">
          <thead>
            <tr>
              <th>Order</th>
              <th>Status</th>
              <th>Since</th>
              <th>Deadline</th>
              <th>Late by</th>
            </tr>
          </thead>
          <tbody>
            {(late.data ?? []).map((o) => (
              <tr key={o.orderId} data-testid={`late-${o.orderId}`}>
                <td>
                  <a href={journeyHash(o.orderId)}>{o.orderNumber ?? o.orderId}</a> <small>{o.channel}</small>
                </td>
                <td>
                  <code>{o.status}</code>
                </td>
                <td>{formatDateTime(o.statusSince)}</td>
                <td>{formatDateTime(o.deadlineAt)}</td>
                <td>{formatDuration(Date.now() - Date.parse(o.deadlineAt))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="panel">
        <h2>Open incidents</h2>
        <form className="form-grid" onSubmit={(e) => e.preventDefault()}>
          <TextField
            label="Administrator token (for retries)"
            type="password"
            autoComplete="off"
            value={token}
            onChange={setToken}
            testId="ops-admin-token"
          />
        </form>
        <ErrorMessage message={action.error ?? incidents.error} testId="ops-error" />
        {incidents.data && incidents.data.length === 0 ? <p className="muted">Nothing is wrong.</p> : null}
        <table data-testid="ops-incidents">
          <thead>
            <tr>
              <th>Kind</th>
              <th>What</th>
              <th>For</th>
              <th>Opened</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(incidents.data ?? []).map((i) => (
              <tr key={i.id} data-testid={`incident-${i.id}`} data-kind={i.kind}>
                <td>
                  <span className={`badge kind-${i.kind}`}>{i.kind.replace('_', ' ')}</span>
                </td>
                <td>{i.orderId ? <a href={journeyHash(i.orderId)}>{i.summary}</a> : i.summary}</td>
                <td>{i.audience}</td>
                <td>{formatDateTime(i.openedAt)}</td>
                <td>
                  {RETRYABLE.has(i.kind) ? (
                    <button
                      type="button"
                      disabled={action.busy === i.id}
                      data-testid={`retry-${i.id}`}
                      onClick={() => void retry(i.id)}
                    >
                      Retry
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <LiveNotifications />
    </>
  );
}
