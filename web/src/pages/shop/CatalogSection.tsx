/** The catalog as cards, each with an "Order" button (create, submit, then track). */
import { createCatalogOrder, getCatalog, submitOrder } from '../../api/shop';
import type { CatalogItem, Customer } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatMoney } from '../../lib/money';
import { navigate, trackHash } from '../../lib/router';
import { useAction } from '../../lib/useAction';
import { usePolling } from '../../lib/usePolling';
import { customerProblem } from './customer';

async function orderFromCatalog(item: CatalogItem, customer: Customer): Promise<string> {
  const order = await createCatalogOrder({ catalogSku: item.sku, quantity: 1, customer });
  await submitOrder(order.id);
  return order.id;
}

export function CatalogSection({ customer }: { customer: Customer }) {
  const catalog = usePolling(getCatalog, { key: 'catalog' });
  const action = useAction();

  async function order(item: CatalogItem) {
    const problem = customerProblem(customer);
    if (problem) {
      action.setError(problem);
      return;
    }
    const orderId = await action.run(item.sku, () => orderFromCatalog(item, customer));
    if (orderId) navigate(trackHash(orderId));
  }

  return (
    <section className="panel">
      <h2>Catalog</h2>
      <ErrorMessage message={catalog.error} testId="catalog-error" />
      <ErrorMessage message={action.error} testId="order-error" />
      {!catalog.data && !catalog.error && <p className="muted">Loading the catalog…</p>}
      {catalog.data?.length === 0 && <p className="muted">The catalog is empty.</p>}
      <ul className="cards">
        {catalog.data?.map((item) => (
          <li key={item.sku} className="card" data-testid="catalog-item" data-sku={item.sku}>
            <h3>{item.name}</h3>
            <p className="muted small">
              {item.sku} · {item.alloy}
            </p>
            <p>{item.description}</p>
            <p className="card-price" data-testid="catalog-price">
              {formatMoney(item.price)}
            </p>
            <button
              type="button"
              data-testid="order-button"
              aria-label={`Order ${item.name}`}
              disabled={action.busy !== null}
              onClick={() => void order(item)}
            >
              {action.busy === item.sku ? 'Ordering…' : 'Order'}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
