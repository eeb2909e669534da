import type { Order } from '../api/types';
import { breakdownOf } from '../lib/breakdown';
import { formatMoney } from '../lib/money';
import { BreakdownList } from './BreakdownList';

/** The order's price and, when known, how it was calculated. */
export function PriceDetails({ order }: { order: Order }) {
  const breakdown = breakdownOf(order);
  const price = order.price ?? breakdown?.total ?? null;
  if (!price) {
    return (
      <p className="muted" data-testid="order-price" data-known="false">
        The price is being calculated…
      </p>
    );
  }
  return (
    <div className="price">
      <p>
        Price:{' '}
        <strong data-testid="order-price" data-known="true">
          {formatMoney(price)}
        </strong>
      </p>
      {breakdown && (
        <BreakdownList
          breakdown={breakdown}
          currency={price.currency}
          testId="price-breakdown"
          prefix="breakdown"
        />
      )}
    </div>
  );
}
