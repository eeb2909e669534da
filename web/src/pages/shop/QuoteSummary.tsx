/** A quote's price breakdown, price list version and expiry, and "Order this piece". */
import type { Quote } from '../../api/types';
import { BreakdownList } from '../../components/BreakdownList';
import { formatDateTime } from '../../lib/dates';

interface QuoteSummaryProps {
  quote: Quote;
  busy: boolean;
  onOrder: () => void;
}

export function QuoteSummary({ quote, busy, onOrder }: QuoteSummaryProps) {
  const expired = Date.parse(quote.expiresAt) < Date.now();
  return (
    <div className="quote" data-testid="quote" data-quote-id={quote.id}>
      <h3>Your quote</h3>
      <BreakdownList
        breakdown={{ alloy: quote.alloy, ...quote.breakdown }}
        currency={quote.total.currency}
        testId="quote-breakdown"
        prefix="quote"
        total={quote.total}
      />
      <p className="muted small">
        {quote.quantity > 1 && `For ${quote.quantity} pieces · `}
        Price list <span data-testid="quote-version">{quote.priceListVersion}</span> · valid until{' '}
        <span data-testid="quote-expiry" data-expires-at={quote.expiresAt}>
          {formatDateTime(quote.expiresAt)}
        </span>
      </p>
      {expired && <p className="warning">This quote has expired: get a new one to order.</p>}
      <button type="button" data-testid="order-quote-button" disabled={busy || expired} onClick={onOrder}>
        {busy ? 'Ordering…' : 'Order this piece'}
      </button>
    </div>
  );
}
