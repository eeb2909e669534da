import type { Queryable } from '../../platform/db/types.js';
import { decodeCursor, page } from '../../platform/http/cursor.js';
import type { WorkspaceFilter } from './filter.js';
import { ORDER_STATUSES } from '../../contracts/order-status.js';
import { ACTIVE_MONTH, ACTIVE_STATUSES } from './statuses.js';

/** A production order as the workspace lists it (the columns the list and the live feed share). */
export interface WorkspaceRow {
  id: string;
  number: string;
  channel: 'b2c' | 'b2b';
  kind: 'catalog' | 'custom';
  partner_id: string | null;
  customer_name: string | null;
  status: string;
  operator: string | null;
  required_skills: string[];
  alloy: string;
  quantity: number;
  price_minor: string | number | null;
  currency: string | null;
  has_model: boolean;
  due_at: string;
  approved_at: string | null;
  assigned_at: string | null;
  claimed_at: string | null;
  tracking_number: string | null;
  created_at: string;
  updated_at: string;
}

export const WORKSPACE_COLUMNS = `id, number, channel, kind, partner_id, customer_name, status, operator,
  required_skills, alloy, quantity, price_minor, currency, model_key IS NOT NULL AS has_model, due_at,
  approved_at, assigned_at, claimed_at, tracking_number, created_at, updated_at`;

const ORDER_NUMBER = /^[SP]-?\d{1,7}$/i;

/**
 * Builds the workspace's list query from its filters. Every filter is a bound parameter; only
 * constant SQL fragments are joined. The order and the keyset condition follow the sort, so each
 * page is an index range scan (the indexes in 0002_workspace.sql), never OFFSET and never a sort
 * of the whole set. The active scope names the partition key, so PostgreSQL reads only the
 * active partition.
 */
export function workspaceSql(
  f: WorkspaceFilter,
  limit: number,
  columns = WORKSPACE_COLUMNS,
): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const bind = (v: unknown) => `$${values.push(v)}`;
  const where: string[] = [];
  const scope = f.scope ?? 'active';
  if (scope === 'active') where.push(`archive_month = ${ACTIVE_MONTH}`);
  if (scope === 'archive') where.push(`archive_month < ${ACTIVE_MONTH}`);

  // Statuses and channels go into the SQL as literals, not parameters: the service runs named
  // prepared statements, whose cached generic plan would be the same for a status held by half
  // the orders and one held by a handful (and pick the wrong index for one of them). Both are
  // checked against their fixed lists first.
  const statuses = f.status?.filter((s) => ORDER_STATUSES.includes(s));
  if (statuses?.length === 1) where.push(`status = ${literal(statuses[0]!)}`);
  else if (statuses?.length) where.push(`status IN (${statuses.map(literal).join(', ')})`);
  if (f.channel === 'b2c' || f.channel === 'b2b') where.push(`channel = ${literal(f.channel)}`);
  if (f.partner) where.push(`partner_id = ${bind(f.partner)}`);
  if (f.operator === 'none') where.push('operator IS NULL');
  else if (f.operator) where.push(`operator = ${bind(f.operator)}`);
  if (f.overdue) {
    where.push(`due_at < now()`);
    if (scope !== 'active') where.push(`status = ANY(${bind(ACTIVE_STATUSES)}::text[])`);
  }
  if (f.createdFrom) where.push(`created_at >= ${bind(f.createdFrom)}::timestamptz`);
  if (f.createdTo) where.push(`created_at < ${bind(f.createdTo)}::timestamptz`);
  if (f.dueFrom) where.push(`due_at >= ${bind(f.dueFrom)}::timestamptz`);
  if (f.dueTo) where.push(`due_at < ${bind(f.dueTo)}::timestamptz`);
  if (f.q) {
    const q = f.q.trim();
    if (ORDER_NUMBER.test(q)) {
      // "s123" finds S-0000123 exactly, and the numbers that begin S-123.
      const series = q[0]!.toUpperCase();
      const digits = q.replace(/^[SP]-?/i, '');
      where.push(
        `(number = ${bind(`${series}-${digits.padStart(7, '0')}`)} OR number LIKE ${bind(`${series}-${digits}%`)})`,
      );
    } else {
      where.push(`lower(customer_name) LIKE ${bind(`${escapeLike(q.toLowerCase())}%`)}`);
    }
  }

  const sort = f.sort ?? 'newest';
  const cursor = decodeCursor(f.after);
  const key = sortKey(f);
  const dir = sort === 'newest' ? 'DESC' : 'ASC';
  // Only approved orders have an approval time to page by.
  if (sort === 'approval') where.push('approved_at IS NOT NULL');
  if (cursor) {
    where.push(
      `(${key}, id) ${sort === 'newest' ? '<' : '>'} (${bind(cursor.at)}::timestamptz, ${bind(cursor.id)}::uuid)`,
    );
  }
  const text = `SELECT ${columns} FROM production_orders
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${key} ${dir}, id ${dir} LIMIT ${pageRows(limit)}`;
  return { text, values };
}

/**
 * The page size, written into the SQL: a bound LIMIT keeps PostgreSQL from ever using the cached
 * plan of a prepared statement, and planning a page over every monthly partition costs more than
 * reading it (the 10M bench: 3–4 ms against 0.3 ms). It is a checked integer.
 */
function pageRows(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new Error(`bad page size ${limit}`);
  return limit + 1;
}

/** A value from a fixed list of plain words, as an SQL string literal. */
function literal(s: string): string {
  if (!/^[A-Za-z0-9_]+$/.test(s)) throw new Error(`not a plain word: ${s}`);
  return `'${s}'`;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listWorkspace<
  T extends { id: string; created_at: string; due_at: string; approved_at: string | null } = WorkspaceRow,
>(q: Queryable, f: WorkspaceFilter, columns = WORKSPACE_COLUMNS) {
  const limit = f.limit ?? 50;
  const { text, values } = workspaceSql(f, limit, columns);
  const rows = (await q.query<T>(text, values)).rows;
  const key = sortKey(f);
  return page(rows, limit, (r) => ({ at: r[key] as string, id: r.id }));
}

function sortKey(f: WorkspaceFilter): 'due_at' | 'approved_at' | 'created_at' {
  return f.sort === 'deadline' ? 'due_at' : f.sort === 'approval' ? 'approved_at' : 'created_at';
}

/** Orders per status and in the queue, from the counters the trigger keeps (no count(*)). */
export async function statusCounts(
  q: Queryable,
): Promise<{ counts: Record<string, number>; active: number; queue: number }> {
  const rows = await q.query<{ status: string; orders: number }>(
    'SELECT status, orders FROM production_status_counts WHERE orders <> 0',
  );
  const counts: Record<string, number> = {};
  let queue = 0;
  let active = 0;
  for (const r of rows.rows) {
    if (r.status === 'QUEUE') queue = Number(r.orders);
    else {
      counts[r.status] = Number(r.orders);
      if (ACTIVE_STATUSES.includes(r.status as never)) active += Number(r.orders);
    }
  }
  return { counts, active, queue };
}
