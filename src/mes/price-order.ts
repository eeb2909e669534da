import type { EventPayload, PriceBreakdown } from '../contracts/events.js';
import { analyzeMesh } from '../platform/geometry/mesh.js';
import { parseStl } from '../platform/geometry/stl.js';
import type { FileStorage } from '../platform/storage/file-storage.js';
import { priceFromCatalog, priceFromMesh } from './domain/pricing.js';

export type PriceOutcome = { breakdown: PriceBreakdown; ms: number } | { rejected: string };

/**
 * Prices a submitted order: catalog pieces at their accepted list price, custom pieces from the
 * model's volume (signed tetrahedra), the alloy's density, its price per gram and labour.
 * A model or alloy that can never be priced ends in a rejection with the reason; a storage
 * failure throws, so the message is retried.
 */
export async function priceOrder(
  storage: FileStorage,
  p: EventPayload<'order.submitted.v1'>,
  currency: string,
): Promise<PriceOutcome> {
  const started = performance.now();
  try {
    if (p.kind === 'catalog') {
      if (!p.listPrice) return { rejected: 'catalog order without a list price' };
      return {
        breakdown: priceFromCatalog(p.listPrice, p.alloy, p.quantity),
        ms: performance.now() - started,
      };
    }
    if (!p.modelKey) return { rejected: 'custom order without a 3D model' };
    const bytes = await storage.get(p.modelKey);
    const analysis = analyzeMesh(parseStl(bytes));
    const breakdown = priceFromMesh(analysis, p.alloy, p.quantity, { currency });
    return { breakdown, ms: performance.now() - started };
  } catch (err) {
    const code = (err as { code?: string }).code;
    // Typed 4xx errors from the geometry and price rules mean this input can never be priced.
    if (code && ((err as { statusCode?: number }).statusCode ?? 500) < 500) {
      return { rejected: `cannot price the model: ${(err as Error).message}` };
    }
    throw err;
  }
}
