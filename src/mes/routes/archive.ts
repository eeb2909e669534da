import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errors } from '../../contracts/api.js';
import type { MesDeps } from '../deps.js';
import { ArchiveMonthNotFoundError, ArchiveMonthOpenError } from '../errors.js';
import { requireAdmin } from './admin.js';

/** Detaching a month of ended orders: they leave the workspace and stay as a table to dump. */
export function archiveRoutes(d: MesDeps) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    r.post(
      '/archive/:month/detach',
      {
        schema: {
          tags: ['workspace'],
          summary: "Detach one month's archive partition (administrator)",
          description:
            'The partition production_orders_yYYYYmMM stays in the database as a plain table (to dump and drop); its orders leave the lists and the counts.',
          params: Type.Object({
            // PostgreSQL has no year 0: 0000-01 would fail in SQL (a 500), not here.
            month: Type.String({
              pattern: '^(?!0000)\\d{4}-(0[1-9]|1[0-2])$',
              description: 'YYYY-MM, from 0001-01',
            }),
          }),
          response: {
            200: Type.Object({ table: Type.String(), orders: Type.Integer() }),
            ...errors(400, 401, 404, 409),
          },
        },
      },
      async (req) => {
        requireAdmin(d, req);
        const month = req.params.month;
        if (`${month}-01` >= new Date().toISOString().slice(0, 8) + '01')
          throw new ArchiveMonthOpenError(month);
        const table = `production_orders_y${month.slice(0, 4)}m${month.slice(5, 7)}`;
        try {
          const res = await d.db.tx(async (q) => {
            const r = await q.query<{ orders: number }>(
              'SELECT mes_detach_archive_month($1::date) AS orders',
              [`${month}-01`],
            );
            return Number(r.rows[0]?.orders ?? 0);
          });
          return { table, orders: res };
        } catch (err) {
          if ((err as { code?: string }).code === '42P01') throw new ArchiveMonthNotFoundError(month);
          throw err;
        }
      },
    );
  };
}
