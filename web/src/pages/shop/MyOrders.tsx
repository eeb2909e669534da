/** The customer's orders (by e-mail address), each linking to its tracking page. */
import { listOrdersByEmail } from '../../api/shop';
import { ErrorMessage } from '../../components/ErrorMessage';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime, newestFirst } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { trackHash } from '../../lib/router';
import { useDebouncedValue } from '../../lib/useDebouncedValue';
import { usePolling } from '../../lib/usePolling';

export function MyOrders({ email }: { email: string }) {
  const debounced = useDebouncedValue(email);
  const valid = debounced.includes('@');
  const orders = usePolling((signal) => listOrdersByEmail(debounced, signal), {
    key: debounced,
    intervalMs: 5000,
    enabled: valid,
  });

  return (
    <section className="panel">
      <h2>My orders</h2>
      {!valid && <p className="muted">Enter your e-mail address above to see your orders.</p>}
      <ErrorMessage message={orders.error} testId="my-orders-error" />
      {orders.data?.length === 0 && <p className="muted">No orders yet.</p>}
      {orders.data && orders.data.length > 0 && (
        <ul className="list" data-testid="my-orders">
          {newestFirst(orders.data).map((order) => (
            <li key={order.id}>
              <a href={trackHash(order.id)} data-testid="my-order" data-order-number={order.number}>
                {order.number}
              </a>{' '}
              <StatusBadge status={order.status} />{' '}
              <span className="muted small">
                {order.kind} · {formatMoney(order.price)} · {formatDateTime(order.createdAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
