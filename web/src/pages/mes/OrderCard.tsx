/**
 * One production order in detail: the 3D model (custom pieces, from `modelUrl`), its figures and
 * the price breakdown. Loaded from `GET /api/mes/orders/:id` when the card is opened.
 */
import { getProductionOrder } from '../../api/mes';
import type { ModelFormatHint, Order } from '../../api/types';
import { BreakdownList } from '../../components/BreakdownList';
import { ErrorMessage } from '../../components/ErrorMessage';
import { LazyModelPreview } from '../../components/LazyModelPreview';
import { breakdownOf, figuresOf } from '../../lib/breakdown';
import { formatMoney } from '../../lib/money';
import { usePolling } from '../../lib/usePolling';

/** The stored file's extension says STL or OBJ; otherwise the preview sniffs the bytes. */
function formatOf(order: Order): ModelFormatHint {
  const key = order.model?.key.toLowerCase() ?? '';
  if (key.endsWith('.obj')) return 'obj';
  if (key.endsWith('.stl')) return 'stl';
  return undefined;
}

export function OrderCard({ listed }: { listed: Order }) {
  const detail = usePolling((signal) => getProductionOrder(listed.id, signal), { key: listed.id });
  const order = { ...listed, ...detail.data };
  const breakdown = breakdownOf(order);
  const price = order.price ?? breakdown?.total ?? null;
  const alloy = order.alloy ? { name: order.alloy, densityGPerCm3: breakdown?.densityGPerCm3 } : undefined;

  return (
    <div className="order-card" data-testid="mes-order-card" data-order-number={order.number}>
      <p className="muted small">
        {order.kind === 'custom' ? 'Custom piece' : `Catalog ${order.catalogSku ?? ''}`}
        {order.alloy && ` · ${order.alloy}`}
        {order.quantity !== undefined && ` × ${order.quantity}`}
        {order.customer && ` · for ${order.customer.name}`}
      </p>
      <ErrorMessage message={detail.error} testId="mes-card-error" />
      {!detail.data && !detail.error && <p className="muted">Loading the order…</p>}
      {detail.data &&
        (order.modelUrl ? (
          <LazyModelPreview
            url={order.modelUrl}
            format={formatOf(order)}
            figures={figuresOf(breakdown)}
            alloy={alloy}
          />
        ) : (
          <p className="muted" data-testid="mes-no-model">
            {order.kind === 'custom'
              ? 'The model file of this order is not available.'
              : 'A catalog piece: there is no 3D model to show.'}
          </p>
        ))}
      {detail.data && price && (
        <div className="price">
          <p>
            Price: <strong data-testid="mes-order-price">{formatMoney(price)}</strong>
          </p>
          {breakdown && (
            <BreakdownList
              breakdown={breakdown}
              currency={price.currency}
              testId="mes-price-breakdown"
              prefix="mes-breakdown"
            />
          )}
        </div>
      )}
    </div>
  );
}
