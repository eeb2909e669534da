/**
 * The MES administrator view (`#/mes/admin`): operators (skills, capacity, auto-assign, e-mail)
 * with their numbers; orders to assign, reassign or release, with a reason; the audit trail.
 * Changes need the administrator token (ADMIN_TOKEN), typed once and remembered. Everything
 * refreshes from the live stream.
 */
import { useId, useMemo, useState } from 'react';
import {
  assignOrder,
  listAssignments,
  listOperators,
  putOperator,
  releaseOrder,
  runAssigner,
} from '../../api/mes';
import type { AssignmentEntry, OperatorInput, WorkspaceOrder } from '../../api/types';
import { errorMessage } from '../../api/http';
import { ErrorMessage } from '../../components/ErrorMessage';
import { STORAGE_KEYS, useStoredState } from '../../lib/storage';
import { useAction } from '../../lib/useAction';
import { useDebouncedValue } from '../../lib/useDebouncedValue';
import { useLiveOrders } from '../../lib/useLiveOrders';
import { usePolling } from '../../lib/usePolling';
import { ON_HAND_STATUSES } from '../../lib/workspaceFilter';
import { useOnStreamChange } from '../../lib/workspaceStream';
import { AssignTable } from './AssignTable';
import { AuditTrail } from './AuditTrail';
import { OperatorForm } from './OperatorForm';
import { TextField } from '../../components/TextField';
import { OperatorsTable } from './OperatorsTable';

const AUDIT_PAGE = 50;
const NEW_OPERATOR = '+new';

export function MesAdmin() {
  const uid = useId();
  const [token, setToken] = useStoredState(STORAGE_KEYS.adminToken);
  const action = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim(), 300);
  const [editing, setEditing] = useState<string | null>(null);

  const operators = usePolling(listOperators, { key: 'operators' });
  useOnStreamChange(operators.refresh, 500);
  const orders = useLiveOrders(
    { scope: 'active', status: [...ON_HAND_STATUSES], sort: 'deadline', ...(q ? { q } : {}) },
    { limit: 200 },
  );
  const audit = useAudit();

  async function admin<T>(busyId: string, call: (token: string) => Promise<T>, done: (result: T) => string) {
    setNotice(null);
    if (!token.trim()) {
      action.setError('Enter the administrator token first.');
      return;
    }
    const result = await action.run(busyId, () => call(token.trim()));
    if (result !== undefined) setNotice(done(result));
    operators.refresh();
    audit.refresh();
  }

  const saveOperator = (id: string, input: OperatorInput) =>
    void admin(
      `op:${id}`,
      (t) => putOperator(t, id, input),
      (o) => {
        setEditing(null);
        return `Operator ${o.id} saved.`;
      },
    );
  const assign = (order: WorkspaceOrder, operator: string) =>
    void admin(
      order.id,
      (t) => assignOrder(t, order.id, operator, reason.trim() || undefined),
      () => `Order ${order.number} is now ${operator}’s.`,
    );
  const release = (order: WorkspaceOrder) =>
    void admin(
      order.id,
      (t) => releaseOrder(t, order.id, reason.trim() || undefined),
      () => `Order ${order.number} is back in the queue.`,
    );
  const run = () =>
    void admin('run', runAssigner, ({ assigned }) =>
      assigned.length === 0
        ? 'The assigner found nothing to give out (only operators with auto-assign get work).'
        : `The assigner gave out ${assigned.map((a) => `${a.number} → ${a.operator}`).join(', ')}.`,
    );

  return (
    <>
      <section className="panel">
        <h2>Administrator</h2>
        {/* A form only so the browser treats the token as a password field; nothing is submitted. */}
        <form className="form-grid" onSubmit={(e) => e.preventDefault()}>
          <TextField
            label="Administrator token"
            type="password"
            autoComplete="off"
            value={token}
            onChange={setToken}
            testId="admin-token"
          />
          <div className="field">
            <label htmlFor={`${uid}-reason`}>Reason (recorded with each assignment)</label>
            <input
              id={`${uid}-reason`}
              value={reason}
              maxLength={500}
              data-testid="assign-reason"
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
        </form>
        <ErrorMessage message={action.error} testId="admin-error" />
        {notice && (
          <p className="notice" role="status" data-testid="admin-notice">
            {notice}
          </p>
        )}
      </section>
      <section className="panel">
        <div className="panel-head">
          <h2>Operators</h2>
          <button
            type="button"
            className="secondary"
            data-testid="op-add"
            aria-expanded={editing === NEW_OPERATOR}
            onClick={() => setEditing(editing === NEW_OPERATOR ? null : NEW_OPERATOR)}
          >
            Add operator
          </button>
        </div>
        {editing === NEW_OPERATOR && (
          <OperatorForm busy={action.busy !== null} onSave={saveOperator} onCancel={() => setEditing(null)} />
        )}
        <ErrorMessage message={operators.error} testId="admin-operators-error" />
        {operators.data ? (
          <OperatorsTable
            operators={operators.data}
            editing={editing}
            busy={action.busy !== null}
            onEdit={setEditing}
            onSave={saveOperator}
          />
        ) : (
          !operators.error && <p className="muted">Loading…</p>
        )}
      </section>
      <section className="panel">
        <div className="panel-head">
          <h2>Assignments</h2>
          <button
            type="button"
            className="secondary"
            data-testid="assign-run"
            disabled={action.busy !== null}
            onClick={run}
          >
            {action.busy === 'run' ? 'Running…' : 'Run the assigner'}
          </button>
        </div>
        <div className="form-grid">
          <div className="field">
            <label htmlFor={`${uid}-search`}>Search</label>
            <input
              id={`${uid}-search`}
              type="search"
              value={search}
              placeholder="Order number or customer"
              maxLength={100}
              data-testid="admin-search"
              onChange={(e) => setSearch(e.target.value)}
            />
          </div>
        </div>
        <ErrorMessage message={orders.error} testId="admin-orders-error" />
        {orders.orders ? (
          <AssignTable
            orders={orders.orders}
            operators={operators.data ?? []}
            busy={action.busy}
            onAssign={assign}
            onRelease={release}
          />
        ) : (
          !orders.error && <p className="muted">Loading…</p>
        )}
      </section>
      <section className="panel">
        <h2>Audit trail</h2>
        <ErrorMessage message={audit.error} testId="audit-error" />
        {audit.entries ? (
          <AuditTrail entries={audit.entries} />
        ) : (
          !audit.error && <p className="muted">Loading…</p>
        )}
        {audit.hasOlder && (
          <button
            type="button"
            className="secondary more"
            data-testid="audit-more"
            disabled={audit.loadingOlder}
            onClick={audit.loadOlder}
          >
            {audit.loadingOlder ? 'Loading…' : 'Older entries'}
          </button>
        )}
      </section>
    </>
  );
}

/**
 * The newest audit entries, reloaded when the stream reports a change (assignments change an
 * order's operator), and older pages on request.
 */
function useAudit() {
  const latest = usePolling((signal) => listAssignments(undefined, AUDIT_PAGE, signal), { key: 'audit' });
  useOnStreamChange(latest.refresh, 500);
  const [older, setOlder] = useState<AssignmentEntry[]>([]);
  const [olderDone, setOlderDone] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<string | null>(null);

  const entries = useMemo(() => {
    if (!latest.data) return undefined;
    const byId = new Map([...latest.data, ...older].map((e) => [e.id, e]));
    return [...byId.values()].sort((a, b) => b.id - a.id);
  }, [latest.data, older]);
  const oldest = entries?.[entries.length - 1]?.id;

  const loadOlder = () => {
    if (oldest === undefined) return;
    setLoadingOlder(true);
    listAssignments(oldest, AUDIT_PAGE).then(
      (page) => {
        setOlder((o) => [...o, ...page]);
        setOlderDone(page.length < AUDIT_PAGE);
        setOlderError(null);
        setLoadingOlder(false);
      },
      (err: unknown) => {
        setOlderError(errorMessage(err));
        setLoadingOlder(false);
      },
    );
  };

  return {
    entries,
    error: latest.error ?? olderError,
    hasOlder: !olderDone && (latest.data?.length ?? 0) >= AUDIT_PAGE,
    loadingOlder,
    loadOlder,
    refresh: latest.refresh,
  };
}
