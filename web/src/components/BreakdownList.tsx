import { Fragment } from 'react';
import type { Money, PriceBreakdown } from '../api/types';
import { readBreakdown } from '../lib/breakdown';
import { formatGrams } from '../lib/figures';
import { formatMinor, formatMoney } from '../lib/money';

interface BreakdownListProps {
  breakdown: PriceBreakdown;
  /** The currency of the lines (the price's). */
  currency: string;
  /** Test id of the `<dl>`; each line is `<prefix>-grams`, `-metal`, `-stone`, `-labour`, `-margin`. */
  testId: string;
  prefix: string;
  /** Also show this total as the last line (`<prefix>-total`). */
  total?: Money;
}

/** How a price was made: metal weight, then one line per cost, each with `data-amount-minor`. */
export function BreakdownList({ breakdown, currency, testId, prefix, total }: BreakdownListProps) {
  const { metalGrams, lines } = readBreakdown(breakdown);
  return (
    <dl className="breakdown" data-testid={testId}>
      {metalGrams !== undefined && (
        <>
          <dt>Metal weight</dt>
          <dd data-testid={`${prefix}-grams`}>{formatGrams(metalGrams)}</dd>
        </>
      )}
      {lines.map((line, index) => (
        <Fragment key={index}>
          <dt>{line.label}</dt>
          <dd data-testid={`${prefix}-${line.kind}`} data-amount-minor={line.amountMinor}>
            {formatMinor(line.amountMinor, currency)}
          </dd>
        </Fragment>
      ))}
      {total && (
        <>
          <dt className="breakdown-total">Total</dt>
          <dd
            className="breakdown-total"
            data-testid={`${prefix}-total`}
            data-amount-minor={total.amountMinor}
          >
            {formatMoney(total)}
          </dd>
        </>
      )}
    </dl>
  );
}
