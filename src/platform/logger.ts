import { context, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { ORDER_ID_KEY } from './telemetry/order-context.js';

/**
 * Structured JSON logs. Every line written inside a traced piece of work carries its trace and
 * span ids (and the order's id when the work is about one order), so a log line leads to its
 * trace and back. Secrets and personal data are redacted wherever they appear in a logged
 * object: API keys, tokens, e-mail addresses, postal addresses.
 */
export function createLogger(
  level: string,
  base: Record<string, unknown> = {},
  destination?: DestinationStream,
): Logger {
  const options: LoggerOptions = {
    level,
    base: { ...base },
    mixin() {
      const span = trace.getActiveSpan();
      if (!span) return {};
      const { traceId, spanId } = span.spanContext();
      const orderId = context.active().getValue(ORDER_ID_KEY);
      return typeof orderId === 'string'
        ? { trace_id: traceId, span_id: spanId, orderId }
        : { trace_id: traceId, span_id: spanId };
    },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        'req.headers.cookie',
        'apiKey',
        '*.apiKey',
        'token',
        '*.token',
        'email',
        '*.email',
        '*.*.email',
        'address',
        '*.address',
        '*.*.address',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
