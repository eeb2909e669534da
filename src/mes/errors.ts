import createError from '@fastify/error';

export const AlreadyClaimedError = createError<'ORDER_ALREADY_CLAIMED', 409, [string, string]>(
  'ORDER_ALREADY_CLAIMED',
  'Order %s was just taken by %s. Pick another order from the queue.',
  409,
);

export const NotInQueueError = createError<'ORDER_NOT_IN_QUEUE', 409, [string, string]>(
  'ORDER_NOT_IN_QUEUE',
  'Order %s is %s, not waiting in the production queue: only MANUFACTURING_APPROVED orders can be taken.',
  409,
);

export const QueueEmptyError = createError<'QUEUE_EMPTY', 404, []>(
  'QUEUE_EMPTY',
  'No approved order is waiting in the production queue right now.',
  404,
);

export const NotYoursError = createError<'ORDER_NOT_YOURS', 403, [string, string]>(
  'ORDER_NOT_YOURS',
  'Order %s is being made by %s; only that operator can advance it.',
  403,
);

export const NotInProductionError = createError<'ORDER_NOT_IN_PRODUCTION', 409, [string, string]>(
  'ORDER_NOT_IN_PRODUCTION',
  'Order %s is %s: only orders in manufacturing, completed or packaging can be advanced. Take it from the queue first.',
  409,
);

export const NoModelError = createError<'MODEL_NOT_FOUND', 404, [string]>(
  'MODEL_NOT_FOUND',
  'Order %s is a catalog piece and has no uploaded model; its design comes from the catalog.',
  404,
);

export const ArchiveMonthNotFoundError = createError<'ARCHIVE_MONTH_NOT_FOUND', 404, [string]>(
  'ARCHIVE_MONTH_NOT_FOUND',
  'There is no archive partition for %s (already detached, or no order ended that month).',
  404,
);

export const ArchiveMonthOpenError = createError<'ARCHIVE_MONTH_OPEN', 409, [string]>(
  'ARCHIVE_MONTH_OPEN',
  'Orders still end into %s: only months before the current one can be detached.',
  409,
);

export const EmailNotFailedError = createError<'EMAIL_NOT_FAILED', 404, [number]>(
  'EMAIL_NOT_FAILED',
  'E-mail %d is not one that failed: it is unknown, was sent, or is still being retried. GET /api/mes/emails/failed lists the failed ones.',
  404,
);

/** Args: the order number, its status, and why it is neither releasable nor reassignable. */
export const NotReleasableError = createError<'ORDER_NOT_RELEASABLE', 409, [string, string, string]>(
  'ORDER_NOT_RELEASABLE',
  'Order %s is %s: %s Only an approved order that no operator has started can go back to the queue.',
  409,
);
