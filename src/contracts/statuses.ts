/**
 * The order statuses, with no dependency: the services' state machine (order-status.ts) and the
 * web app both read them from here, so a status added here fails the build wherever it is not
 * handled (the web app's labels are a Record over OrderStatus).
 */
export const ORDER_STATUSES = [
  'INITIATED',
  'FILE_UPLOADED',
  'SUBMITTED',
  'PRICE_CALCULATED',
  'MANUFACTURING_APPROVED',
  'MANUFACTURING_STARTED',
  'MANUFACTURING_COMPLETED',
  'PACKAGING',
  'SHIPPED',
  'CLOSED',
  'CANCELLED',
  'REJECTED',
  'PRICING_FAILED',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The statuses an order passes through on its happy path, in order. */
export const LIFECYCLE: readonly OrderStatus[] = ORDER_STATUSES.slice(0, 10);

export const TERMINAL_STATUSES: readonly OrderStatus[] = ['CLOSED', 'CANCELLED', 'REJECTED'];

/**
 * The statuses the MES holds an order in (the shop's first two never reach it), in the order
 * people read them: PRICING_FAILED beside the price, the ends last.
 */
export const MES_STATUSES: readonly OrderStatus[] = [
  ...LIFECYCLE.slice(LIFECYCLE.indexOf('SUBMITTED')).flatMap((s): OrderStatus[] =>
    s === 'PRICE_CALCULATED' ? [s, 'PRICING_FAILED'] : [s],
  ),
  'CANCELLED',
  'REJECTED',
];

/**
 * Statuses in which an order is on an operator's hands, counted against their capacity (an
 * assigned order waits in MANUFACTURING_APPROVED). The MES database's mes_on_hand() holds the
 * same list; test/integration/mes-migration checks that they agree.
 */
export const ON_HAND_STATUSES: readonly OrderStatus[] = [
  'MANUFACTURING_APPROVED',
  'MANUFACTURING_STARTED',
  'MANUFACTURING_COMPLETED',
  'PACKAGING',
];
