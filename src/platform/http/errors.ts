/** Errors any service's routes can raise; service-specific ones live with their service. */
import createError from '@fastify/error';

export const OrderNotFoundError = createError<'ORDER_NOT_FOUND', 404, [string]>(
  'ORDER_NOT_FOUND',
  'No order %s here. Check the id; orders are visible only to the channel that placed them.',
  404,
);

export const UnauthorizedError = createError<'UNAUTHORIZED', 401, [string]>('UNAUTHORIZED', '%s', 401);

export const BadCursorError = createError<'CURSOR_INVALID', 400, []>(
  'CURSOR_INVALID',
  'The `after` cursor is not one this API returned. Start again without it.',
  400,
);

/** Args: the Content-Type received (or a note that there was none), and what to send instead. */
export const UnsupportedMediaTypeError = createError<'UNSUPPORTED_MEDIA_TYPE', 415, [string, string]>(
  'UNSUPPORTED_MEDIA_TYPE',
  '%s is not accepted here. %s',
  415,
);

/** A field that is optional in the schema but required by the rest of the request. */
export const FieldRequiredError = createError<'FIELD_REQUIRED', 400, [string]>('FIELD_REQUIRED', '%s', 400);

export const UnknownConsumerError = createError<'UNKNOWN_CONSUMER', 400, [string, string]>(
  'UNKNOWN_CONSUMER',
  'There is no consumer "%s"; nothing was sent. Each service consumes under its own name: one of %s.',
  400,
);

export const OutboxRowNotFoundError = createError<'OUTBOX_EVENT_NOT_FOUND', 404, [string]>(
  'OUTBOX_EVENT_NOT_FOUND',
  'This service has no outbox event %s: it was published by another service, or published more than an hour ago and pruned.',
  404,
);

/** Args: where the character is (`body.customer.name`). */
export const NulCharacterError = createError<'NUL_CHARACTER', 400, [string]>(
  'NUL_CHARACTER',
  '%s contains a NUL character (\\u0000), which no text stored here may hold. Remove it and send the request again.',
  400,
);
