import type { OrderStatus } from '../contracts/order-status.js';

export type Audience = 'seller' | 'operator' | 'administrator';

/**
 * Who can act on an order stuck in a status: sellers approve (or end) priced and unpriceable
 * orders, operators move production on, administrators see to everything else (pricing that
 * does not finish, a carrier that does not confirm, messages and services).
 */
export function audienceFor(status: OrderStatus | string | null): Audience {
  switch (status) {
    case 'PRICE_CALCULATED':
    case 'PRICING_FAILED':
      return 'seller';
    case 'MANUFACTURING_APPROVED':
    case 'MANUFACTURING_STARTED':
    case 'MANUFACTURING_COMPLETED':
    case 'PACKAGING':
      return 'operator';
    default:
      return 'administrator';
  }
}
