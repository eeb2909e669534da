import {
  context,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/**
 * Trace context as Atelier stores it (a W3C traceparent in outbox rows and envelopes). Only the
 * OpenTelemetry API: with tracing off every call here is a cheap no-op.
 */
export const tracer: Tracer = trace.getTracer('atelier');

const propagator = new W3CTraceContextPropagator();

/** The W3C traceparent of the active span, for the outbox row written in it. */
export function currentTraceparent(ctx: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  propagator.inject(ctx, carrier, { set: (c, k, v) => (c[k] = v) });
  return carrier.traceparent;
}

/** The context a stored traceparent stands for (the root context when there is none). */
export function contextFromTraceparent(traceparent: string | undefined): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return propagator.extract(
    ROOT_CONTEXT,
    { traceparent },
    { get: (c, k) => c[k], keys: (c) => Object.keys(c) },
  );
}

/** The trace id in a W3C traceparent (`00-<trace id>-<span id>-<flags>`), or null. */
export function traceIdOf(traceparent: string | undefined): string | null {
  const id = traceparent?.split('-')[1];
  return id && /^[0-9a-f]{32}$/.test(id) && !/^0+$/.test(id) ? id : null;
}

/** Ends a span, with the error on it (an exception event and an ERROR status) when there is one. */
export function endSpan(span: Span, err?: unknown): void {
  if (err) {
    span.recordException(err instanceof Error ? err : new Error(String(err)));
    span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
  }
  span.end();
}
