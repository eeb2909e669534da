/**
 * Prices one submitted order: catalog pieces at their accepted list price; custom pieces at
 * their quote while it holds, otherwise measured on the worker pool and priced with the price
 * list in force. The outcome says what happened; only infrastructure trouble (storage down)
 * throws, so the message is retried by the inbox.
 */
import type { EventPayload, PriceBreakdown } from '../contracts/events.js';
import type { Db } from '../platform/db/types.js';
import { isUnit } from '../platform/geometry/units.js';
import type { FileStorage } from '../platform/storage/file-storage.js';
import { priceFromCatalog, priceFromModel } from './domain/price.js';
import type { PricingEngine, Progress } from './engine/engine.js';
import { PricingWorkFailedError } from './engine/pool.js';
import * as store from './store.js';
import { modelSizeClass, priceCalculation } from '../platform/telemetry/metrics.js';

export type PriceOutcome =
  | { breakdown: PriceBreakdown; stageMs: Record<string, number> }
  | { rejected: string }
  | { failed: string; attempts: number };

/** The parts of the submitted event a price depends on (no customer data is kept). */
export type PriceRequest = Pick<
  EventPayload<'order.submitted.v1'>,
  'kind' | 'alloy' | 'quantity' | 'listPrice' | 'modelKey' | 'units' | 'quoteId' | 'catalogSku'
>;

export function priceRequestOf(p: EventPayload<'order.submitted.v1'>): PriceRequest {
  const { kind, alloy, quantity, listPrice, modelKey, units, quoteId, catalogSku } = p;
  return { kind, alloy, quantity, listPrice, modelKey, units, quoteId, catalogSku };
}

export async function priceOrder(
  deps: { db: Db; storage: FileStorage; engine: PricingEngine; attempts: number },
  orderId: string,
  p: PriceRequest,
  progress?: (p: Progress) => void,
): Promise<PriceOutcome> {
  const started = performance.now();
  try {
    if (p.kind === 'catalog') {
      if (!p.listPrice) return { rejected: 'a catalog order without a list price' };
      return { breakdown: priceFromCatalog(p.listPrice, p.alloy, p.quantity), stageMs: {} };
    }
    // The units the model was measured in: the order's, else (an order from a quote carries
    // none) the quote's model's, so an order priced afresh is measured as its quote was.
    let units = p.units;
    if (p.quoteId) {
      const quote = await store.getQuoteWithUnits(deps.db, p.quoteId);
      units ??= quote?.model_units;
      // A quote this order already bound stays its own, expired or not (a retry, a redelivery).
      const holds =
        quote &&
        (quote.order_id === orderId ||
          (quote.order_id === null && Date.parse(quote.expires_at) > Date.now())) &&
        quote.alloy === p.alloy &&
        quote.quantity === p.quantity;
      // The quote is bound here, before the price is recorded, in a statement of its own: two
      // orders from one quote may be prepared side by side in one consumer batch (or by two
      // pricing instances), and only the first to bind it may have its price.
      if (holds && (await store.useQuote(deps.db, quote.id, orderId)))
        return { breakdown: { ...quote.breakdown, quoteId: quote.id }, stageMs: {} };
      // An expired or mismatched quote, or one another order bound first (two orders placed
      // from it before either was priced): the order is priced afresh with today's price list.
    }
    if (!p.modelKey) return { rejected: 'a custom order without a 3D model' };
    units ??= 'mm';
    if (!isUnit(units)) return { rejected: `the model's units '${units}' are unknown` };
    // A model on the local disk is read by the workers themselves; elsewhere (S3) it is fetched.
    const local = await deps.storage.localFile?.(p.modelKey);
    const info = { filename: p.modelKey, units };
    const measured = local
      ? await deps.engine.measureFile(local, info, progress)
      : await deps.engine.measure(await deps.storage.get(p.modelKey), info, progress);
    priceCalculation.observe(
      { service: 'pricing', size: modelSizeClass(measured.figures.triangleCount) },
      (performance.now() - started) / 1000,
    );
    progress?.({ stage: 'price', done: 0, total: 1 });
    const list = await store.currentPriceList(deps.db);
    const breakdown = priceFromModel(measured.figures, { alloy: p.alloy, quantity: p.quantity }, list);
    progress?.({ stage: 'price', done: 1, total: 1 });
    return { breakdown, stageMs: { ...measured.stageMs, total: Math.round(performance.now() - started) } };
  } catch (err) {
    if (err instanceof PricingWorkFailedError) return { failed: err.message, attempts: deps.attempts };
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    // Typed 4xx errors from the model reader and the price rules: this input can never be priced.
    if ((err as { code?: string }).code && status < 500) {
      return { rejected: `cannot price the model: ${(err as Error).message}` };
    }
    throw err;
  }
}
