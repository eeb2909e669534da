import { ROOT_CONTEXT, SpanKind, trace, type Context, type Span } from '@opentelemetry/api';
import type { Envelope } from '../../contracts/envelope.js';
import type { Transport } from '../messaging/transport.js';
import { ORDER_ID_ATTR, ORDER_ID_KEY } from './order-context.js';
import { contextFromTraceparent, currentTraceparent, endSpan, tracer } from './trace-context.js';

/**
 * Spans of the asynchronous hops, following the OpenTelemetry messaging conventions. The
 * context travels in the outbox row (`headers.traceparent`, written with the business change)
 * and then in the envelope, so it crosses the broker whichever transport carries it:
 *
 *   request span → (outbox row) → `publish <type>` (relay, a child) → `process <type>` (the
 *   consumer, a child) → the handler's queries and the next outbox rows.
 *
 * Each hop is a child, not a link: every automatic step of an order is caused by the one
 * before, so one trace shows the whole automatic path. Hops that wait for a person start from
 * that person's request instead (see the README's tracing section).
 */

/**
 * `messaging.system` of a transport: RabbitMQ's registered name, or ours for the broker kept in
 * PostgreSQL. These spans are the only messaging spans: amqplib's instrumentation would add a
 * second publish and a second receive span per hop with less in them, at a cost per message.
 */
export function messagingSystem(transport: Transport): string {
  return transport.kind === 'amqp' ? 'rabbitmq' : 'atelier_embedded';
}

/** Publish spans for a batch of outbox rows; the envelopes carry their span's context onwards. */
export function startPublishSpans(
  envelopes: readonly Envelope[],
  service: string,
  system: string,
): { envelopes: Envelope[]; end(err?: unknown): void } {
  const spans: Span[] = [];
  const out = envelopes.map((env) => {
    const parent = contextFromTraceparent(env.traceparent);
    const span = tracer.startSpan(
      `publish ${env.type}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': system,
          'messaging.operation.type': 'send',
          'messaging.message.id': env.id,
          'messaging.destination.name': env.type,
          'atelier.service': service,
          [ORDER_ID_ATTR]: env.orderId,
        },
      },
      parent,
    );
    spans.push(span);
    const traceparent = currentTraceparent(trace.setSpan(parent, span));
    return traceparent ? { ...env, traceparent } : env;
  });
  return {
    envelopes: out,
    end(err?: unknown) {
      for (const s of spans) endSpan(s, err);
    },
  };
}

/** The consumer's span for one message, and the context its handler runs in. */
export function startProcessSpan(
  env: Envelope,
  consumer: string,
  attempt: number,
  system: string,
): { span: Span; ctx: Context } {
  const parent = contextFromTraceparent(env.traceparent).setValue(ORDER_ID_KEY, env.orderId);
  const span = tracer.startSpan(
    `process ${env.type}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': system,
        'messaging.operation.type': 'process',
        'messaging.message.id': env.id,
        'messaging.destination.name': env.type,
        'messaging.consumer.group.name': consumer,
        'messaging.delivery.attempt': attempt + 1,
        [ORDER_ID_ATTR]: env.orderId,
      },
    },
    parent,
  );
  return { span, ctx: trace.setSpan(parent, span) };
}

/**
 * A span for the transaction a batch of messages shares: a root linked to each message's span,
 * as the messaging conventions do for batches, since it belongs to many orders' traces at once.
 */
export function startBatchSpan(consumer: string, spans: readonly Span[]): { span: Span; ctx: Context } {
  const span = tracer.startSpan(
    `inbox batch ${consumer}`,
    {
      attributes: {
        'messaging.batch.message_count': spans.length,
        'messaging.consumer.group.name': consumer,
      },
      links: spans.map((s) => ({ context: s.spanContext() })),
    },
    ROOT_CONTEXT,
  );
  return { span, ctx: trace.setSpan(ROOT_CONTEXT, span) };
}
