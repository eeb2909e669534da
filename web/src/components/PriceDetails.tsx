import type { Order } from '../api/types';
import { formatMinor, formatMoney } from '../lib/money';

const grams = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });

/** The order's price and, when known, how it was calculated. */
export function PriceDetails({ order }: { order: Order }) {
  const price = order.price ?? order.breakdown?.total ?? null;
  if (!price) {
    return (
      <p className="muted" data-testid="order-price" data-known="false">
        The price is being calculated…
      </p>
    );
  }
  const breakdown = order.breakdown;
  return (
    <div className="price">
      <p>
        Price:{' '}
        <strong data-testid="order-price" data-known="true">
          {formatMoney(price)}
        </strong>
      </p>
      {breakdown && (
        <dl className="breakdown" data-testid="price-breakdown">
          {breakdown.metalGrams !== undefined && (
            <>
              <dt>Metal weight</dt>
              <dd data-testid="breakdown-grams">{grams.format(breakdown.metalGrams)} g</dd>
            </>
          )}
          <dt>Metal ({breakdown.alloy})</dt>
          <dd data-testid="breakdown-metal">{formatMinor(breakdown.metalMinor, price.currency)}</dd>
          <dt>Labour</dt>
          <dd data-testid="breakdown-labour">{formatMinor(breakdown.labourMinor, price.currency)}</dd>
        </dl>
      )}
    </div>
  );
}
