import { context, SpanKind, trace, type Span } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { endSpan, tracer } from './trace-context.js';

/**
 * Database spans, made by our Db wrapper rather than an instrumentation library:
 * - a transaction is one span, its statements events on it;
 * - a statement outside a transaction (an API read) is a span of its own.
 *
 * Why by hand: every order step is a transaction of three to ten statements (business rows,
 * history, outbox, inbox). The pg instrumentation made a span per statement, about thirty per
 * order and half of every exported byte, and even where it made none it still wrapped every
 * query and pool checkout and counted pool connections on every checkout: about 0.5 ms of CPU
 * per order across the services, measured by CPU profiles at 40 orders/s. No instrumentation
 * library makes transaction spans, and the transaction is the unit that tells where time went:
 * its duration includes the wait for a connection and the gaps between statements. Both engines
 * (pg and PGlite, which has no instrumentation at all) get the same spans this way.
 */

/** Where statements run, as the database semantic conventions name it. */
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

/** The span-making parent of work begun now, or undefined when that work is not traced. */
function tracedParent() {
  const active = context.active();
  const parent = trace.getSpan(active);
  // Background work (relay polls, sweeps) gets no trace of its own, as with requireParentSpan.
  if (!parent?.isRecording() || isTracingSuppressed(active)) return undefined;
  return active;
}

function attributesOf(target: DbTarget) {
  return {
    'db.system.name': target.system,
    'db.namespace': target.namespace,
    ...(target.host ? { 'server.address': target.host } : {}),
    ...(target.port ? { 'server.port': target.port } : {}),
  };
}

/** The span of one transaction, with its statements as events. */
export class TransactionSpan {
  private statements = 0;

  private constructor(private readonly span: Span) {}

  /** A span for a transaction begun now, or undefined when the work around it is not traced. */
  static start(target: DbTarget): TransactionSpan | undefined {
    const parent = tracedParent();
    if (!parent) return undefined;
    const span = tracer.startSpan(
      `transaction ${target.namespace}`,
      { kind: SpanKind.CLIENT, attributes: attributesOf(target) },
      parent,
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
    endSpan(this.span, err);
  }
}

/**
 * Runs a statement outside a transaction under a span of its own (named by its operation and
 * database, as the conventions say, with its text), or as it is when the work is not traced.
 */
export async function traceStatement<T>(target: DbTarget, text: string, run: () => Promise<T>): Promise<T> {
  const parent = tracedParent();
  if (!parent) return run();
  const query = text.trim();
  const operation = /^\w+/.exec(query)?.[0].toUpperCase() ?? 'QUERY';
  const span = tracer.startSpan(
    `${operation} ${target.namespace}`,
    {
      kind: SpanKind.CLIENT,
      attributes: { ...attributesOf(target), 'db.operation.name': operation, 'db.query.text': query },
    },
    parent,
  );
  try {
    const result = await run();
    span.end();
    return result;
  } catch (err) {
    endSpan(span, err);
    throw err;
  }
}
