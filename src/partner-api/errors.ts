import createError from '@fastify/error';

export const IdempotencyKeyRequiredError = createError<'IDEMPOTENCY_KEY_REQUIRED', 400, []>(
  'IDEMPOTENCY_KEY_REQUIRED',
  'Every order create needs an Idempotency-Key header (1-200 characters, e.g. a UUID you keep with your order) so a retry never creates a second order.',
  400,
);

export const IdempotencyKeyReusedError = createError<'IDEMPOTENCY_KEY_REUSED', 422, [string, string]>(
  'IDEMPOTENCY_KEY_REUSED',
  'Idempotency-Key %s was already used for order %s with a different request body. Use a new key for a new order, or resend the original body to get the original order.',
  422,
);

export const MissingApiKeyError = createError<'API_KEY_MISSING', 401, []>(
  'API_KEY_MISSING',
  'No API key was sent. Send Authorization: Bearer <your key> (or X-Api-Key: <your key>); ask Atelier for a key if you have none.',
  401,
);

export const InvalidApiKeyError = createError<'API_KEY_INVALID', 401, []>(
  'API_KEY_INVALID',
  'Unknown or disabled API key. Send Authorization: Bearer <your key>; ask Atelier for a new key if yours was revoked.',
  401,
);

export const ModelEncodingError = createError<'MODEL_ENCODING_INVALID', 400, []>(
  'MODEL_ENCODING_INVALID',
  'model.contentBase64 is not valid base64. Encode the STL file bytes with standard base64.',
  400,
);
