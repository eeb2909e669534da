import { trace, type Context, type Link, type Span as ApiSpan } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { ORDER_ID_ATTR, ORDER_ID_KEY } from './order-context.js';

/** Each in-process span's parent, so a request that learns its order can tag its ancestors. */
const parents = new WeakMap<object, ApiSpan>();

/** Spans of one unfinished piece of work held back at most, before they go out as they are. */
const MAX_HELD = 2000;

/**
 * Puts `order.id` on every span of an order's work, in front of the exporting processors:
 * - at start, from the context (a consumed event) or inherited from the parent span;
 * - at the end of the work, for the spans that started before the order was known (a request
 *   creating the order connects to the database before it has an id; an operator taking the
 *   next order from the queue finds out which one inside its transaction): the spans of a piece
 *   of work in this process are held until its outermost span ends, then get that order's id.
 * Instrumented libraries know nothing of orders, so this is the one place that adds it to theirs.
 */
export class OrderIdSpanProcessor implements SpanProcessor {
  private readonly held = new WeakMap<object, ReadableSpan[]>();

  constructor(private readonly next: readonly SpanProcessor[]) {}

  onStart(span: Span, parent: Context): void {
    const parentSpan = trace.getSpan(parent);
    if (parentSpan && parentSpan.spanContext().isRemote !== true) parents.set(span, parentSpan);
    const fromContext = parent.getValue(ORDER_ID_KEY);
    const inherited = (parentSpan as Partial<ReadableSpan> | undefined)?.attributes?.[ORDER_ID_ATTR];
    const id = typeof fromContext === 'string' ? fromContext : inherited;
    if (typeof id === 'string') span.setAttribute(ORDER_ID_ATTR, id);
    for (const p of this.next) p.onStart(span, parent);
  }

  onEnd(span: ReadableSpan): void {
    const root = outermost(span as unknown as ApiSpan);
    if (root !== (span as unknown as ApiSpan)) {
      const list = this.held.get(root) ?? [];
      if (list.length < MAX_HELD && root.isRecording()) {
        list.push(span);
        this.held.set(root, list);
        return;
      }
      this.release([span], (root as Partial<ReadableSpan>).attributes?.[ORDER_ID_ATTR]);
      return;
    }
    const list = this.held.get(span) ?? [];
    this.held.delete(span);
    const id =
      span.attributes[ORDER_ID_ATTR] ??
      list.find((s) => s.attributes[ORDER_ID_ATTR])?.attributes[ORDER_ID_ATTR];
    this.release([...list, span], id);
  }

  /** Hands finished spans to the exporters, with the work's order id where they lack one. */
  private release(spans: ReadableSpan[], orderId: unknown): void {
    for (const s of spans) {
      // The SDK's finished span keeps its attributes in a plain object; adding one now, before
      // any exporter has seen it, is the only way to reach spans that ended before the id existed.
      if (typeof orderId === 'string' && s.attributes[ORDER_ID_ATTR] === undefined)
        (s.attributes as Record<string, unknown>)[ORDER_ID_ATTR] = orderId;
      for (const p of this.next) p.onEnd(s);
    }
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.next.map((p) => p.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.next.map((p) => p.shutdown()));
  }
}

function outermost(span: ApiSpan): ApiSpan {
  let top = span;
  for (let up = parents.get(top); up; up = parents.get(up)) top = up;
  return top;
}

/**
 * Work that learns its order mid-way (a request creating one): tags the active span and its
 * still-open ancestors in this process (handler, request and HTTP server spans), so the whole
 * request is found by the order id, and the spans started after it inherit it.
 */
export function tagOrderOnActiveSpans(orderId: string, from?: ApiSpan | null): void {
  let span: ApiSpan | undefined = from ?? trace.getActiveSpan();
  while (span) {
    const attrs = (span as Partial<ReadableSpan>).attributes;
    if (attrs?.[ORDER_ID_ATTR] === undefined) span.setAttribute(ORDER_ID_ATTR, orderId);
    span = parents.get(span);
  }
}

/**
 * Links the outermost open span of the current work in this process (the HTTP server span of a
 * request) to another trace: a person's request that moves an order on points to the trace of
 * the order's previous step.
 */
export function linkOutermostActiveSpan(link: Link): void {
  const span = trace.getActiveSpan();
  if (span) outermost(span).addLink(link);
}
