import createError from '@fastify/error';
import { v7 as uuidv7 } from 'uuid';
import type { Envelope } from '../../contracts/envelope.js';
import type { Db } from '../db/types.js';
import { checkEnvelope } from './envelope.js';
import type { Transport } from './transport.js';

export const DeadLetterUnreplayableError = createError<'DEAD_LETTER_UNREPLAYABLE', 409, [string, string]>(
  'DEAD_LETTER_UNREPLAYABLE',
  'Dead letter %s cannot be replayed: the message itself breaks its contract (%s). Fix the producer; replaying it would only fail again.',
  409,
);

export const DeadLetterNotFoundError = createError<'DEAD_LETTER_NOT_FOUND', 404, [string]>(
  'DEAD_LETTER_NOT_FOUND',
  'No open dead letter %s: it does not exist or was already replayed.',
  404,
);

export interface DeadLetter {
  id: string;
  consumer: string;
  messageId: string | null;
  type: string | null;
  orderId: string | null;
  error: string;
  attempts: number;
  createdAt: string;
  replayedAt: string | null;
  /** The message was handled after all (a replay that succeeded): its inbox row exists. */
  handled: boolean;
  envelope: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const str = (v: unknown) => (typeof v === 'string' ? v : null);
const uuidOrNull = (v: unknown) => (typeof v === 'string' && UUID.test(v) ? v : null);

export function recordDeadLetter(db: Db, consumer: string, body: unknown, error: string, attempts: number) {
  return recordDeadLetters(db, consumer, [body], error, attempts);
}

/**
 * Records messages that failed the same way in one statement: the envelopes of one broker
 * message are stored all or none, so a failed attempt that is retried never stores some twice.
 */
export async function recordDeadLetters(
  db: Db,
  consumer: string,
  bodies: readonly unknown[],
  error: string,
  attempts: number,
) {
  if (bodies.length === 0) return;
  const fields = (body: unknown) => {
    const b = (body ?? {}) as Record<string, unknown>;
    return [uuidv7(), uuidOrNull(b.id), str(b.type), uuidOrNull(b.orderId), storableJson(body ?? null)];
  };
  const rows = bodies.map(fields);
  await db.query(
    `INSERT INTO dead_letters (id, consumer, message_id, type, order_id, envelope, error, attempts)
     SELECT d.id, $1, d.message_id, d.type, d.order_id, d.envelope, $2, $3
     FROM unnest($4::uuid[], $5::uuid[], $6::text[], $7::uuid[], $8::jsonb[])
       AS d(id, message_id, type, order_id, envelope)`,
    [consumer, withoutNul(error), attempts, ...[0, 1, 2, 3, 4].map((i) => rows.map((r) => r[i]))],
  );
}

/**
 * PostgreSQL stores no NUL in text or jsonb, and a message that could not be stored here would be
 * offered again forever. A NUL in a dead letter (a key, a value, or the text of a message that is
 * not JSON) is stored as U+FFFD instead: the message was unusable anyway, and it stays readable.
 */
function storableJson(body: unknown): string {
  // JSON.stringify writes NUL as the escape \u0000 and never otherwise; one preceded by an odd
  // number of backslashes is the text "\u0000" in a string, not a NUL.
  return JSON.stringify(body).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd');
}

function withoutNul(text: string): string {
  return text.replaceAll('\0', '\ufffd');
}

/**
 * Dead letters, newest first: open ones by default; with `includeReplayed` also the replayed;
 * with `unhandled` every one whose message has not been handled yet, replayed or not (the
 * tracker keeps an incident open until then).
 */
export async function listDeadLetters(
  db: Db,
  opts: { includeReplayed?: boolean; unhandled?: boolean; limit?: number } = {},
) {
  const handled = `EXISTS (SELECT 1 FROM inbox i WHERE i.consumer = d.consumer AND i.message_id = d.message_id)`;
  const where = opts.unhandled
    ? `WHERE NOT ${handled}`
    : opts.includeReplayed
      ? ''
      : 'WHERE d.replayed_at IS NULL';
  const rows = (
    await db.query<Record<string, unknown>>(
      `SELECT d.*, ${handled} AS handled FROM dead_letters d ${where}
       ORDER BY d.created_at DESC LIMIT $1`,
      [opts.limit ?? 100],
    )
  ).rows;
  return rows.map((r): DeadLetter => ({
    id: r.id as string,
    consumer: r.consumer as string,
    messageId: r.message_id as string | null,
    type: r.type as string | null,
    orderId: r.order_id as string | null,
    error: r.error as string,
    attempts: r.attempts as number,
    createdAt: r.created_at as string,
    replayedAt: r.replayed_at as string | null,
    handled: r.handled as boolean,
    envelope: r.envelope,
  }));
}

/** Sends a dead letter back to its consumer's queue with a fresh attempt count. */
export async function replayDeadLetter(db: Db, transport: Transport, id: string): Promise<void> {
  const row = (
    await db.query<{ consumer: string; envelope: Envelope }>(
      'SELECT consumer, envelope FROM dead_letters WHERE id = $1 AND replayed_at IS NULL',
      [id],
    )
  ).rows[0];
  if (!row) throw new DeadLetterNotFoundError(id);
  let envelope: Envelope;
  try {
    envelope = checkEnvelope(row.envelope);
  } catch (err) {
    throw new DeadLetterUnreplayableError(id, (err as Error).message);
  }
  await transport.sendToConsumer(row.consumer, envelope);
  await db.query('UPDATE dead_letters SET replayed_at = now() WHERE id = $1', [id]);
}
