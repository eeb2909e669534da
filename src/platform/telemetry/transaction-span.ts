import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { tracer } from './trace-context.js';

/** Where a transaction runs, as the database semantic conventions name it. */
export interface DbTarget {
  system: 'postgresql';
  namespace: string;
  host?: string;
  port?: number;
}

/** Statements kept on a transaction's span as events; a bulk job's thousandth is not worth it. */
const MAX_STATEMENT_EVENTS = 32;
/** What an event keeps of a statement: enough to tell which one it was. */
const STATEMENT_PREFIX = 120;

/**
 * One span per database transaction, its statements as events on it, instead of the standard
 * pg instrumentation's span per statement.
 *
 * Why by hand: every order step is a transaction of three to ten statements (business rows,
 * history, outbox, inbox), so a span per statement was about thirty spans per order, and making
 * them was most of what tracing cost (issue 5's budget is 10% of throughput). No instrumentation
 * library makes transaction spans, and the transaction is the unit that tells where time went:
 * its duration includes the waits between statements that per-statement spans leave out.
 * Statements outside a transaction (API reads) keep the instrumentation's own spans.
 */
export class TransactionSpan {
  private statements = 0;

  private constructor(private readonly span: Span) {}

  /** A span for a transaction begun now, or undefined when the work around it is not traced. */
  static start(target: DbTarget): TransactionSpan | undefined {
    const active = context.active();
    const parent = trace.getSpan(active);
    // Like the instrumentation's requireParentSpan: background work gets no trace of its own.
    if (!parent?.isRecording() || isTracingSuppressed(active)) return undefined;
    const span = tracer.startSpan(
      `transaction ${target.namespace}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': target.system,
          'db.namespace': target.namespace,
          ...(target.host ? { 'server.address': target.host } : {}),
          ...(target.port ? { 'server.port': target.port } : {}),
        },
      },
      active,
    );
    return new TransactionSpan(span);
  }

  /** Notes a statement issued in the transaction. */
  statement(text: string): void {
    if (++this.statements <= MAX_STATEMENT_EVENTS)
      this.span.addEvent('db.statement', { 'db.query.text': text.trim().slice(0, STATEMENT_PREFIX) });
  }

  end(err?: unknown): void {
    this.span.setAttribute('db.transaction.statements', this.statements);
    if (err) {
      this.span.recordException(err instanceof Error ? err : new Error(String(err)));
      this.span.setStatus({
        code: SpanStatusCode.ERROR,
        message: err instanceof Error ? err.message : String(err),
      });
    }
    this.span.end();
  }
}

/**
 * Runs `work` (a statement of a transaction) where the pg instrumentation passes it by: in the
 * active context without its span, which the instrumentation (requireParentSpan) takes for
 * background work. Suppressing tracing instead would still run the instrumentation's bookkeeping
 * for every statement, only to make a span it then drops.
 */
export function withoutStatementSpan<T>(work: () => T): T {
  return context.with(trace.deleteSpan(context.active()), work);
}
