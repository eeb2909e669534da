import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

export interface HttpOptions {
  logger: Logger;
  /** Largest JSON body; model uploads set their own limit per route. */
  bodyLimit?: number;
}

/**
 * The HTTP conventions every service shares: JSON errors shaped
 * `{ statusCode, code, error, message }` with a named code, validation messages that say which
 * field is wrong, and 500s that never leak internals but say the request was not applied.
 */
export function createHttpServer(opts: HttpOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: opts.logger as FastifyBaseLogger,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    disableRequestLogging: true,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.validation) {
      const where = err.validationContext ?? 'request';
      const details = err.validation.map((v) => `${where}${v.instancePath} ${v.message ?? 'is invalid'}`);
      return reply.status(400).send({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        error: 'Bad Request',
        message: `Invalid ${where}: ${details.slice(0, 5).join('; ')}`,
      });
    }
    if (
      err.code === 'FST_ERR_CTP_INVALID_JSON' ||
      err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      err instanceof SyntaxError
    ) {
      return reply.status(400).send({
        statusCode: 400,
        code: 'MALFORMED_JSON',
        error: 'Bad Request',
        message: `The request body is not valid JSON (${err.message}). Send a JSON object with Content-Type: application/json.`,
      });
    }
    const status = err.statusCode ?? 500;
    if (status < 500) {
      return reply.status(status).send({
        statusCode: status,
        code: err.code ?? 'BAD_REQUEST',
        error: httpReason(status),
        message: err.message,
      });
    }
    req.log.error({ err }, 'request failed');
    return reply.status(status).send({
      statusCode: status,
      code: err.code && status !== 500 ? err.code : 'INTERNAL_ERROR',
      error: httpReason(status),
      message: `The server could not complete the request and applied nothing (request ${req.id}). Retry it; if it keeps failing, report the request id.`,
    });
  });

  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({
      statusCode: 404,
      code: 'ROUTE_NOT_FOUND',
      error: 'Not Found',
      message: `No route ${req.method} ${req.url.split('?')[0]}. Each service lists its routes at /api/<service>/openapi.json.`,
    }),
  );
  return app;
}

function httpReason(status: number): string {
  const reasons: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Entity',
    429: 'Too Many Requests',
    503: 'Service Unavailable',
  };
  return reasons[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error');
}
