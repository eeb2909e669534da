/**
 * How the shop and the partner API read a quote from the pricing service: over its public HTTP
 * API, since no service reads another's tables. The quote's price binds; these checks give the
 * customer a clear answer before an order is created from it.
 */
import createError from '@fastify/error';
import type { PriceBreakdown } from '../../contracts/events.js';

export interface Quote {
  id: string;
  modelKey: string;
  alloy: string;
  quantity: number;
  total: { amountMinor: number; currency: string };
  breakdown: PriceBreakdown;
  expiresAt: string;
  expired: boolean;
  orderId: string | null;
}

export const QuoteUnknownError = createError<'QUOTE_NOT_FOUND', 422, [string]>(
  'QUOTE_NOT_FOUND',
  'There is no quote %s: ask for a quote with POST /api/pricing/quotes (or /api/partner/v1/quotes) and order with its id.',
  422,
);

export const QuoteExpiredError = createError<'QUOTE_EXPIRED', 422, [string, string]>(
  'QUOTE_EXPIRED',
  'Quote %s expired at %s; ask for a new quote (the price list may have changed) and order with it.',
  422,
);

export const QuoteUsedError = createError<'QUOTE_USED', 409, [string, string]>(
  'QUOTE_USED',
  'Quote %s was already used by order %s; a quote buys one order. Ask for a new quote for another piece.',
  409,
);

/** The same refusal when the order holding the quote is not the caller's to know (another partner's). */
export const QuoteUsedElsewhereError = createError<'QUOTE_USED', 409, [string]>(
  'QUOTE_USED',
  'Quote %s was already used by another order; a quote buys one order. Ask for a new quote for another piece.',
  409,
);

/** The refusal for a quote another order holds: naming that order when the caller may know it. */
export function quoteUsedError(quoteId: string, holderId: string | undefined): Error {
  return holderId ? new QuoteUsedError(quoteId, holderId) : new QuoteUsedElsewhereError(quoteId);
}

export const QuoteMismatchError = createError<'QUOTE_MISMATCH', 422, [string, string, string]>(
  'QUOTE_MISMATCH',
  'Quote %s is for %s, and this order asks for %s: an order from a quote takes its alloy and quantity. Leave them out, or ask for a new quote for what you want.',
  422,
);

/**
 * An order from a quote may repeat the quote's alloy and quantity but not change them: the
 * quote's price is for exactly those, and silently ordering something other than what the
 * request says would surprise the customer on delivery.
 */
export function assertOrderMatchesQuote(quote: Quote, asked: { alloy?: string; quantity?: number }): void {
  const alloy = asked.alloy ?? quote.alloy;
  const quantity = asked.quantity ?? quote.quantity;
  if (alloy !== quote.alloy || quantity !== quote.quantity)
    throw new QuoteMismatchError(quote.id, `${quote.quantity} × ${quote.alloy}`, `${quantity} × ${alloy}`);
}

export const PricingUnavailableError = createError<'PRICING_UNAVAILABLE', 503, [string]>(
  'PRICING_UNAVAILABLE',
  'The pricing service could not be reached to check the quote (%s); nothing was ordered. Try again in a moment.',
  503,
);

/** The quote, if it can still be ordered from; a typed 4xx/503 error otherwise. */
export async function orderableQuote(pricingBaseUrl: string, id: string): Promise<Quote> {
  let res: Response;
  try {
    res = await fetch(`${pricingBaseUrl}/api/pricing/quotes/${encodeURIComponent(id)}`, {
      signal: AbortSignal.timeout(5000),
    });
  } catch (err) {
    throw new PricingUnavailableError((err as Error).message);
  }
  if (res.status === 404 || res.status === 400) throw new QuoteUnknownError(id);
  if (!res.ok) throw new PricingUnavailableError(`HTTP ${res.status}`);
  const q = (await res.json()) as Quote;
  if (q.orderId) throw new QuoteUsedError(id, q.orderId);
  if (q.expired || Date.parse(q.expiresAt) <= Date.now()) throw new QuoteExpiredError(id, q.expiresAt);
  return q;
}

/**
 * Asks the pricing service for a quote on a model sent by bytes (the partner API's price
 * endpoint): upload, then quote. Pricing's own 4xx answers (a bad model, an unknown alloy) are
 * passed on as they are, so the caller sees the same message a direct call would give.
 */
export async function requestQuote(
  pricingBaseUrl: string,
  model: { bytes: Buffer; filename: string; units: string },
  options: { alloy: string; quantity: number; stones: unknown[]; requestedBy: string },
): Promise<{ status: number; body: unknown }> {
  const call = async (path: string, init: RequestInit) => {
    try {
      const res = await fetch(`${pricingBaseUrl}/api/pricing${path}`, {
        ...init,
        signal: AbortSignal.timeout(60_000),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    } catch (err) {
      throw new PricingUnavailableError((err as Error).message);
    }
  };
  const q = new URLSearchParams({ filename: model.filename, units: model.units });
  const uploaded = await call(`/models?${q}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: model.bytes,
  });
  if (uploaded.status !== 201) return uploaded;
  return call('/quotes', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ modelId: uploaded.body.id, ...options }),
  });
}
