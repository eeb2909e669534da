/** Money formatting from integer minor units. */
import type { Money } from '../api/types';

/** One fixed locale so prices read the same in every browser (and every test). */
export const LOCALE = 'en-GB';

const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(currency: string): Intl.NumberFormat {
  let formatter = formatters.get(currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat(LOCALE, { style: 'currency', currency });
    formatters.set(currency, formatter);
  }
  return formatter;
}

/** 129900 EUR → "€1,299.00"; the number of decimals comes from the currency (JPY has none). */
export function formatMinor(amountMinor: number, currency: string): string {
  try {
    const formatter = formatterFor(currency);
    const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
    return formatter.format(amountMinor / 10 ** digits);
  } catch {
    // An unknown currency code: still show something readable.
    return `${(amountMinor / 100).toFixed(2)} ${currency}`;
  }
}

export function formatMoney(money: Money | null | undefined): string {
  return money ? formatMinor(money.amountMinor, money.currency) : '—';
}
