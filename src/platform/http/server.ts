import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import { fastifyTracingPlugin } from '../telemetry/tracing.js';
import { storableDateTimes } from '../validation.js';
import { UnsupportedMediaTypeError } from './errors.js';
import { refuseNulCharacters } from './nul-guard.js';

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
    // Per-request access logs would be one line per API call at hundreds of orders a second;
    // errors are still logged by the error handler below.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: {
      customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false },
      // After Fastify's own formats: a date-time must also be one PostgreSQL can store.
      onCreate: storableDateTimes,
    },
  });
  // Request and handler spans, when tracing is on; registered first so it sees every route.
  const tracing = fastifyTracingPlugin();
  if (tracing) void app.register(tracing);
  refuseNulCharacters(app);

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.validation) {
      const where = err.validationContext ?? 'request';
      const details = describeValidation(err.validation, where);
      return reply.status(400).send({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        error: 'Bad Request',
        message: `Invalid ${where}: ${details.slice(0, 5).join('; ')}`,
      });
    }
    if (
      err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || // Fastify 5
      err.code === 'FST_ERR_CTP_INVALID_JSON' ||
      err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
    ) {
      return reply.status(400).send({
        statusCode: 400,
        code: 'MALFORMED_JSON',
        error: 'Bad Request',
        message: `The request body is not valid JSON (${err.message}). Send a JSON object with Content-Type: application/json.`,
      });
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      const type = req.headers['content-type'];
      const e = new UnsupportedMediaTypeError(
        type ? `Content-Type ${type.split(';')[0]}` : 'A body without a Content-Type header',
        `${routeName(req)} takes ${accepted(req)}.`,
      );
      return reply.status(415).send({
        statusCode: 415,
        code: e.code,
        error: httpReason(415),
        message: e.message,
      });
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const length = Number(req.headers['content-length']);
      const size = Number.isFinite(length) && length > 0 ? ` (${length} bytes)` : '';
      return reply.status(413).send({
        statusCode: 413,
        code: 'PAYLOAD_TOO_LARGE',
        error: httpReason(413),
        message: `The request body${size} is larger than the ${req.routeOptions.bodyLimit} bytes ${routeName(req)} accepts. Send at most ${req.routeOptions.bodyLimit} bytes${isUpload(req) ? ': export the model as binary STL (several times smaller than ASCII) or with fewer triangles' : ''}.`,
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

/** "PUT /api/shop/orders/:id/model" */
function routeName(req: FastifyRequest): string {
  return `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`;
}

/** What the route takes, from its schema's `consumes` (also in the OpenAPI document); JSON by default. */
function accepted(req: FastifyRequest): string {
  const consumes = consumesOf(req);
  if (consumes.length > 0) return `a body with Content-Type ${consumes.join(' or ')}`;
  return 'a JSON body with Content-Type: application/json';
}

function consumesOf(req: FastifyRequest): readonly string[] {
  return (req.routeOptions.schema as { consumes?: readonly string[] } | undefined)?.consumes ?? [];
}

/** A route that takes raw file bytes (a 3D model) rather than JSON. */
function isUpload(req: FastifyRequest): boolean {
  return consumesOf(req).some((t) => t !== 'application/json');
}

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/**
 * One line per problem, naming the field and what it accepts: Ajv's own texts leave out the
 * unknown property ("must NOT have additional properties") and the allowed values ("must be
 * equal to one of the allowed values"), and a union of literals reports every branch.
 */
function describeValidation(issues: readonly ValidationIssue[], where: string): string[] {
  const out: Array<string | { path: string; values: unknown[] }> = [];
  const consts = new Map<string, unknown[]>();
  for (const v of issues) {
    const path = `${where}${v.instancePath}`;
    switch (v.keyword) {
      case 'additionalProperties':
        out.push(
          `${path} has an unknown property '${String(v.params.additionalProperty)}'; remove it (only the documented fields are accepted)`,
        );
        break;
      case 'enum':
        out.push(`${path} must be one of ${list(v.params.allowedValues as unknown[])}`);
        break;
      case 'const': {
        const values = consts.get(path);
        if (values) values.push(v.params.allowedValue);
        else {
          const entry = { path, values: [v.params.allowedValue] };
          consts.set(path, entry.values);
          out.push(entry);
        }
        break;
      }
      case 'anyOf': // the branches' own errors at the same path say more
        if (!issues.some((o) => o !== v && o.instancePath === v.instancePath))
          out.push(`${path} ${v.message ?? 'is invalid'}`);
        break;
      default:
        out.push(`${path} ${v.message ?? 'is invalid'}`);
    }
  }
  return out.map((e) =>
    typeof e === 'string'
      ? e
      : `${e.path} must be ${e.values.length === 1 ? JSON.stringify(e.values[0]) : `one of ${list(e.values)}`}`,
  );
}

function list(values: readonly unknown[]): string {
  return values.map((x) => JSON.stringify(x)).join(', ');
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
