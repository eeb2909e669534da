import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import FastifyOtel from '@fastify/otel';
import { createRequire } from 'node:module';
import { OrderIdSpanProcessor } from './order-id-processor.js';

export interface TracingOptions {
  serviceName: string;
  /** OTLP/HTTP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT); no export when unset. */
  endpoint?: string;
  /** OTEL_EXPORTER_OTLP_PROTOCOL: http/protobuf (default) or http/json. */
  protocol?: string;
  /** OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG (default: every trace). */
  sampler?: string;
  samplerArg?: string;
  /** Extra exporter (tests). */
  exporter?: SpanExporter;
}

export interface Tracing {
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

let fastifyInstrumentation: FastifyOtel.FastifyOtelInstrumentation | undefined;

/**
 * Starts the OpenTelemetry SDK with the standard instrumentations (HTTP, Fastify, ioredis,
 * undici; database spans come from our Db wrapper, see db-spans.ts). Must run before ioredis is
 * first loaded: it is a CommonJS package that our ES modules import, and Node hands such an
 * import to the CommonJS loader without the require hook the instrumentation patches through,
 * so it is required here once, through that hook, and every later `import` gets the patched
 * module from the cache.
 * Spans are made even without an exporter: their ids go into the logs, the outbox and the order
 * journey, so a trace can be found once an exporter is switched on.
 */
export function startTracing(opts: TracingOptions): Tracing {
  const exporters: SpanProcessor[] = [];
  if (opts.endpoint) {
    const url = `${opts.endpoint.replace(/\/$/, '')}/v1/traces`;
    // Protobuf unless JSON is asked for (OTEL_EXPORTER_OTLP_PROTOCOL=http/json): encoding is
    // part of every span's cost, and protobuf is the cheaper and the collectors' default.
    const exporter =
      opts.protocol === 'http/json'
        ? new OTLPJsonTraceExporter({ url })
        : new OTLPProtoTraceExporter({ url });
    exporters.push(new BatchSpanProcessor(exporter, { maxQueueSize: 8192, maxExportBatchSize: 1024 }));
  }
  if (opts.exporter) exporters.push(new BatchSpanProcessor(opts.exporter, { scheduledDelayMillis: 200 }));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: opts.serviceName }),
    sampler: samplerFor(opts.sampler, opts.samplerArg),
    // Statements and URLs beyond this are cut: the start says which query it was, and every
    // span is encoded and sent, so long SQL texts were most of the export's bytes.
    spanLimits: { attributeValueLengthLimit: 512 },
    spanProcessors: [new OrderIdSpanProcessor(exporters)],
  });
  provider.register();
  fastifyInstrumentation = new FastifyOtel.FastifyOtelInstrumentation({
    // One span per request (the trace's entry point: it reads the incoming traceparent), and
    // none per handler or lifecycle hook: those would cost more than the request itself at
    // hundreds of orders a second.
    instrumentHooks: false,
    instrumentHandler: false,
    // "POST /api/shop/orders/:id/submit" rather than "request": what a tracing UI lists.
    requestHook: (span, request) =>
      span.updateName(`${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`),
    ignorePaths: (r) => isPlumbing(r.url),
  });
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Incoming requests get their span from Fastify's instrumentation (with the route); a
      // second, raw HTTP server span per request would double the cost and say less.
      new HttpInstrumentation({ disableIncomingRequestInstrumentation: true }),
      // No pg instrumentation: our Db wrapper makes the database spans, one per transaction
      // (see db-spans.ts).
      new IORedisInstrumentation({ requireParentSpan: true }),
      // No amqplib instrumentation: the relay's publish and the consumer's process spans are the
      // messaging spans (with messaging.system), and its own would double them at every hop.
      new UndiciInstrumentation({ requireParentforSpans: true }),
      fastifyInstrumentation,
    ],
  });
  const require = createRequire(import.meta.url);
  require('ioredis');
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

/**
 * The standard OTEL_TRACES_SAMPLER values. A trace not sampled still has its ids (they reach
 * logs, the outbox and the journey) but records and exports no spans.
 */
function samplerFor(name: string | undefined, arg: string | undefined): Sampler {
  const ratio = Math.min(1, Math.max(0, Number(arg ?? '1')));
  switch (name ?? 'parentbased_always_on') {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    default:
      throw new Error(
        `OTEL_TRACES_SAMPLER=${name} is not supported: use always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off or parentbased_traceidratio`,
      );
  }
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
