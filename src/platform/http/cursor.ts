import { isStorableDateTime } from '../validation.js';
import { BadCursorError } from './errors.js';

/** Keyset pagination: the cursor is the (created_at, id) of the last row, opaque to clients. */
export interface Cursor {
  at: string;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.at, c.id])).toString('base64url');
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeCursor(s: string | undefined): Cursor | undefined {
  if (!s) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    const [at, id] = Array.isArray(parsed) ? (parsed as unknown[]) : [];
    // The stores cast these to timestamptz and uuid: anything else must fail here (400), not in SQL (500).
    if (
      typeof at === 'string' &&
      typeof id === 'string' &&
      ISO_TIME.test(at) &&
      // A real calendar date (Date.parse takes 2026-02-30 as March 2), a year from 0001 and an
      // offset within ±15:59: the same check as every date-time a schema takes.
      isStorableDateTime(at) &&
      !Number.isNaN(Date.parse(at)) &&
      UUID.test(id)
    )
      return { at, id };
  } catch {
    // fall through to the typed error
  }
  throw new BadCursorError();
}

/** Builds `{ items, nextCursor }` from a page fetched with limit + 1 rows. */
export function page<T>(
  rows: T[],
  limit: number,
  key: (row: T) => Cursor,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}
