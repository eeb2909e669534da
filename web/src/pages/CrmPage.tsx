/** Seller back office: approve or reject priced orders, follow recent ones, mark deliveries. */
import {
  approveOrder,
  cancelOrder,
  closeOrder,
  listAwaitingApproval,
  listOrders,
  rejectOrder,
} from '../api/crm';
import type { Order } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { TextField } from '../components/TextField';
import { STORAGE_KEYS, useStoredState } from '../lib/storage';
import { useAction } from '../lib/useAction';
import { usePolling } from '../lib/usePolling';
import { ApprovalTable } from './crm/ApprovalTable';
import { RecentOrdersTable } from './crm/RecentOrdersTable';
import { LiveNotifications } from './ops/LiveNotifications';

export function CrmPage() {
  const [sellerText, setSeller] = useStoredState(STORAGE_KEYS.seller);
  const seller = sellerText.trim();
  const awaiting = usePolling(listAwaitingApproval, { key: 'awaiting', intervalMs: 2000 });
  const recent = usePolling(listOrders, { key: 'recent', intervalMs: 2000 });
  const action = useAction();

  function hasSeller(): boolean {
    if (!seller) action.setError('Please enter your seller name first.');
    return Boolean(seller);
  }

  async function act(order: Order, call: () => Promise<Order>) {
    if (!hasSeller()) return;
    await action.run(order.id, call);
    awaiting.refresh();
    recent.refresh();
  }

  /** Rejecting and cancelling both stop an order and both need a reason the customer will see. */
  function stop(order: Order, verb: 'reject' | 'cancel') {
    if (!hasSeller()) return;
    const reason = window.prompt(
      `Why is order ${order.number} ${verb === 'reject' ? 'rejected' : 'cancelled'}?`,
    );
    if (reason === null) return;
    if (!reason.trim()) {
      action.setError(`A reason is needed to ${verb} an order.`);
      return;
    }
    const call = verb === 'reject' ? rejectOrder : cancelOrder;
    void act(order, () => call(order.id, seller, reason.trim()));
  }

  return (
    <>
      <section className="panel">
        <h2>Seller</h2>
        <div className="form-grid">
          <TextField label="Seller name" value={sellerText} onChange={setSeller} testId="seller-name" />
        </div>
        <ErrorMessage message={action.error} testId="crm-error" />
      </section>
      <section className="panel">
        <h2>Awaiting approval</h2>
        <ErrorMessage message={awaiting.error} testId="approval-error" />
        {awaiting.data ? (
          <ApprovalTable
            orders={awaiting.data}
            busy={action.busy}
            onApprove={(order) => void act(order, () => approveOrder(order.id, seller))}
            onReject={(order) => stop(order, 'reject')}
            onCancel={(order) => stop(order, 'cancel')}
          />
        ) : (
          !awaiting.error && <p className="muted">Loading…</p>
        )}
      </section>
      <section className="panel">
        <h2>Recent orders</h2>
        <ErrorMessage message={recent.error} testId="crm-orders-error" />
        {recent.data ? (
          <RecentOrdersTable
            orders={recent.data}
            busy={action.busy}
            onClose={(order) => void act(order, () => closeOrder(order.id, seller))}
          />
        ) : (
          !recent.error && <p className="muted">Loading…</p>
        )}
      </section>
      <LiveNotifications audience="seller" />
    </>
  );
}
