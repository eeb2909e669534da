import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import FastifyOtel from '@fastify/otel';
import { createRequire } from 'node:module';
import type { Span } from '@opentelemetry/api';
import { OrderIdSpanProcessor } from './order-id-processor.js';
import { ORDER_ID_ATTR } from './order-context.js';

export interface TracingOptions {
  serviceName: string;
  /** OTLP/HTTP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT); no export when unset. */
  endpoint?: string;
  /** Extra exporter (tests). */
  exporter?: SpanExporter;
}

export interface Tracing {
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

let fastifyInstrumentation: FastifyOtel.FastifyOtelInstrumentation | undefined;

/**
 * Starts the OpenTelemetry SDK with the standard instrumentations (HTTP, Fastify, pg, amqplib,
 * ioredis, undici). Must run before pg, amqplib and ioredis are first loaded: they are CommonJS
 * packages that our ES modules import, and Node hands such an import to the CommonJS loader
 * without the require hook the instrumentations patch through, so they are required here once,
 * through that hook, and every later `import` gets the patched module from the cache.
 * Spans are made even without an exporter: their ids go into the logs, the outbox and the order
 * journey, so a trace can be found once an exporter is switched on.
 */
export function startTracing(opts: TracingOptions): Tracing {
  const exporters: SpanProcessor[] = [];
  if (opts.endpoint) {
    const url = `${opts.endpoint.replace(/\/$/, '')}/v1/traces`;
    exporters.push(new BatchSpanProcessor(new OTLPTraceExporter({ url })));
  }
  if (opts.exporter) exporters.push(new BatchSpanProcessor(opts.exporter, { scheduledDelayMillis: 200 }));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: opts.serviceName }),
    spanProcessors: [new OrderIdSpanProcessor(exporters)],
  });
  provider.register();
  fastifyInstrumentation = new FastifyOtel.FastifyOtelInstrumentation({
    // One span per request and one for its handler; a span per lifecycle hook would cost more
    // than the request itself at hundreds of orders a second.
    instrumentHooks: false,
    ignorePaths: (r) => isPlumbing(r.url),
  });
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => isPlumbing(req.url ?? ''),
      }),
      // Background work (relay polls, roll-ups, sweeps) would otherwise make a trace per query.
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
      // The broker's own spans carry the order too: it travels in every message's headers.
      new AmqplibInstrumentation({
        publishHook: (span, info) => tagFromHeaders(span, info.options?.headers),
        consumeHook: (span, info) => tagFromHeaders(span, info.msg.properties.headers),
      }),
      new UndiciInstrumentation({ requireParentforSpans: true }),
      fastifyInstrumentation,
    ],
  });
  const require = createRequire(import.meta.url);
  for (const m of ['pg', 'amqplib', 'ioredis']) require(m);
  active = {
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
  return active;
}

let active: Tracing | undefined;

/** Sends the spans still buffered (at shutdown); nothing when tracing is off. */
export async function flushTracing(): Promise<void> {
  await active?.flush();
}

function tagFromHeaders(span: Span, headers: Record<string, unknown> | undefined): void {
  const id = headers?.['x-order-id'];
  if (typeof id === 'string') span.setAttribute(ORDER_ID_ATTR, id);
}

/** Scrapes, health checks and live streams: not work worth a trace. */
function isPlumbing(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return path === '/metrics' || path.endsWith('/health') || path.endsWith('/stream');
}

/** The Fastify plugin of the started SDK, or undefined when tracing is off. */
export function fastifyTracingPlugin() {
  return fastifyInstrumentation?.plugin();
}
