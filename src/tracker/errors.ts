import createError from '@fastify/error';

export const JourneyNotFoundError = createError<'JOURNEY_NOT_FOUND', 404, [string]>(
  'JOURNEY_NOT_FOUND',
  'The tracker has seen no event of order %s. Check the id; an order appears here once its first event is published (within a second of its creation).',
  404,
);

export const IncidentNotFoundError = createError<'INCIDENT_NOT_FOUND', 404, [string]>(
  'INCIDENT_NOT_FOUND',
  'No incident %s. List them with GET /api/tracker/incidents.',
  404,
);

export const IncidentNotRetryableError = createError<'INCIDENT_NOT_RETRYABLE', 409, [string, string]>(
  'INCIDENT_NOT_RETRYABLE',
  'Incident %s cannot be retried: %s',
  409,
);

export const DeadlineStatusError = createError<'DEADLINE_STATUS_INVALID', 400, [string, string]>(
  'DEADLINE_STATUS_INVALID',
  'No deadline can be set for status %s: it is not a status an order waits in. Use one of %s.',
  400,
);

export const DeadlineUnitsError = createError<'DEADLINE_UNITS_CONFLICT', 400, [number, number]>(
  'DEADLINE_UNITS_CONFLICT',
  'A deadline is either a time or a count of working days, not both: got seconds %d and workingDays %d. Send only one of them (neither removes the deadline).',
  400,
);
