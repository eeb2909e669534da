import { createContextKey } from '@opentelemetry/api';

/** The span attribute every order-related span carries (the issue's `order.id`). */
export const ORDER_ID_ATTR = 'order.id';
/** Context value: the order the current work is about (a consumed event). */
export const ORDER_ID_KEY = createContextKey('atelier.order.id');
