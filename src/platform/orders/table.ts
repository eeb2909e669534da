import type { Queryable } from '../db/types.js';

/**
 * Reads and writes one service's copy of an order by id. Column names passed to `update` come
 * from the service's own code, never from a request, so building them into the SQL is safe.
 */
export function orderTable<Row>(table: string) {
  return {
    async get(q: Queryable, id: string, forUpdate = false): Promise<Row | undefined> {
      return (
        await q.query<Row>(`SELECT * FROM ${table} WHERE id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`, [id])
      ).rows[0];
    },
    async update(q: Queryable, id: string, fields: Record<string, unknown>): Promise<Row> {
      const cols = Object.keys(fields);
      const r = await q.query<Row>(
        `UPDATE ${table} SET ${cols.map((c, i) => `${c} = $${i + 2}`).join(', ')}, updated_at = now()
         WHERE id = $1 RETURNING *`,
        [id, ...cols.map((c) => fields[c])],
      );
      return r.rows[0] as Row;
    },
  };
}
