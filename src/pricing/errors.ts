import createError from '@fastify/error';

export const ModelNotFoundError = createError<'MODEL_NOT_FOUND', 404, [string]>(
  'MODEL_NOT_FOUND',
  'No model %s: upload the file to POST /api/pricing/models first and use the id it returns.',
  404,
);

export const QuoteNotFoundError = createError<'QUOTE_NOT_FOUND', 404, [string]>(
  'QUOTE_NOT_FOUND',
  'No quote %s: ask for one with POST /api/pricing/quotes.',
  404,
);

export const PriceListNotFoundError = createError<'PRICE_LIST_NOT_FOUND', 404, [number]>(
  'PRICE_LIST_NOT_FOUND',
  'No price list version %d; GET /api/pricing/price-lists lists the versions.',
  404,
);

export const JobNotFoundError = createError<'PRICE_JOB_NOT_FOUND', 404, [string]>(
  'PRICE_JOB_NOT_FOUND',
  'Order %s has no price job yet: it is priced when the order is submitted.',
  404,
);

export const JobNotFailedError = createError<'PRICE_JOB_NOT_FAILED', 409, [string, string]>(
  'PRICE_JOB_NOT_FAILED',
  'The price job of order %s is %s; only a failed job can be retried.',
  409,
);

export const UnitUnknownError = createError<'UNITS_UNKNOWN', 400, [string, string]>(
  'UNITS_UNKNOWN',
  "Unknown units '%s'; declare the model's units as one of: %s.",
  400,
);
