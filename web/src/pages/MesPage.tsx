/**
 * Production floor: the queue of approved orders and the operator's own orders; "Details" opens
 * an order's card (3D model, figures, price breakdown) below its row, one card at a time.
 */
import { useState } from 'react';
import { advanceOrder, claimNext, claimOrder, listOperatorOrders, listQueue } from '../api/mes';
import type { Order } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { TextField } from '../components/TextField';
import { STORAGE_KEYS, useStoredState } from '../lib/storage';
import { useAction } from '../lib/useAction';
import { useDebouncedValue } from '../lib/useDebouncedValue';
import { usePolling } from '../lib/usePolling';
import { OperatorOrdersTable } from './mes/OperatorOrdersTable';
import { QueueTable } from './mes/QueueTable';

const TAKE_NEXT = 'take-next';

export function MesPage() {
  const [operatorText, setOperator] = useStoredState(STORAGE_KEYS.operator);
  const operator = operatorText.trim();
  const listedOperator = useDebouncedValue(operator);
  const queue = usePolling(listQueue, { key: 'queue', intervalMs: 2000 });
  const mine = usePolling((signal) => listOperatorOrders(listedOperator, signal), {
    key: listedOperator,
    intervalMs: 2000,
    enabled: listedOperator !== '',
  });
  const action = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const toggle = (order: Order) => setOpenId((id) => (id === order.id ? null : order.id));

  async function act(id: string, call: () => Promise<Order>, done: (order: Order) => string) {
    setNotice(null);
    if (!operator) {
      action.setError('Please enter your operator name first.');
      return;
    }
    const order = await action.run(id, call);
    if (order) setNotice(done(order));
    queue.refresh();
    mine.refresh();
  }

  const take = (order: Order) =>
    void act(
      order.id,
      () => claimOrder(order.id, operator),
      (o) => `You took order ${o.number}.`,
    );
  const takeNext = () =>
    void act(
      TAKE_NEXT,
      () => claimNext(operator),
      (o) => `You took order ${o.number}.`,
    );
  const advance = (order: Order) =>
    void act(
      order.id,
      () => advanceOrder(order.id, operator),
      (o) => `Order ${o.number} is now ${o.status}.`,
    );

  return (
    <>
      <section className="panel">
        <h2>Operator</h2>
        <div className="form-grid">
          <TextField
            label="Operator name"
            value={operatorText}
            onChange={setOperator}
            testId="operator-name"
          />
        </div>
        <ErrorMessage message={action.error} testId="mes-error" />
        {notice && (
          <p className="notice" role="status" data-testid="mes-notice">
            {notice}
          </p>
        )}
      </section>
      <section className="panel">
        <div className="panel-head">
          <h2>Production queue</h2>
          <button type="button" data-testid="take-next" disabled={action.busy !== null} onClick={takeNext}>
            {action.busy === TAKE_NEXT ? 'Taking…' : 'Take next'}
          </button>
        </div>
        <ErrorMessage message={queue.error} testId="queue-error" />
        {queue.data ? (
          <QueueTable
            orders={queue.data}
            busy={action.busy}
            openId={openId}
            onToggle={toggle}
            onTake={take}
          />
        ) : (
          !queue.error && <p className="muted">Loading…</p>
        )}
      </section>
      <section className="panel">
        <h2>My orders</h2>
        {!listedOperator && <p className="muted">Enter your operator name to see your orders.</p>}
        <ErrorMessage message={mine.error} testId="operator-orders-error" />
        {mine.data && (
          <OperatorOrdersTable
            orders={mine.data}
            busy={action.busy}
            openId={openId}
            onToggle={toggle}
            onAdvance={advance}
          />
        )}
      </section>
    </>
  );
}
