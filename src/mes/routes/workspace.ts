import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errors } from '../../contracts/api.js';
import type { MesDeps } from '../deps.js';
import { WorkspaceQuery, type WorkspaceFilter } from '../workspace/filter.js';
import { listWorkspace, statusCounts } from '../workspace/query.js';
import { WorkspaceCounts, WorkspacePage } from '../workspace/schemas.js';
import { toWorkspaceOrder } from '../workspace/view.js';

const REPLICA_LAG_ALLOWANCE_MS = 5000;

/** `status=A,B` and `status=A&status=B` both mean two statuses. */
function splitCommas(query: unknown): void {
  const q = query as Record<string, unknown>;
  const s = q.status;
  if (typeof s === 'string') q.status = s.split(',').filter(Boolean);
  else if (Array.isArray(s)) q.status = s.flatMap((v) => String(v).split(',')).filter(Boolean);
}

/** The operator workspace: filtered pages, counts, and the live stream of changes. */
export function workspaceRoutes(d: MesDeps) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    /** A page and the feed position it is at least as new as. */
    const readPage = async (query: WorkspaceFilter) => {
      // Read before the page, so the page is at least that new and the stream misses nothing;
      // a replica may lag, so from a replica the stream starts a few seconds further back.
      const watermark = d.feed.watermarkBefore(d.readDb === d.db ? 0 : REPLICA_LAG_ALLOWANCE_MS);
      const res = await listWorkspace(d.readDb, query);
      const now = Date.now();
      return {
        items: res.items.map((row) => toWorkspaceOrder(row, now)),
        nextCursor: res.nextCursor,
        watermark,
      };
    };

    r.get(
      '/workspace/orders',
      {
        preValidation: async (req) => splitCommas(req.query),
        schema: {
          tags: ['workspace'],
          summary:
            'Production orders by status, channel, partner, operator, deadline, dates or search; cursor pages',
          description:
            'Active orders unless scope says otherwise. Sorted newest first, oldest first or by deadline; each page is an index range scan (no OFFSET). Open GET /workspace/stream with Last-Event-ID = watermark to get every change after this page.',
          querystring: WorkspaceQuery,
          response: { 200: WorkspacePage, ...errors(400) },
        },
      },
      async (req, reply) => {
        const q = req.query;
        // The default list (active orders, newest first, first page) is the one every workspace
        // opens with: cached, with the feed position it was read at.
        const isDefault =
          d.cache &&
          Object.keys(q).every((k) => k === 'limit' || k === 'scope' || k === 'sort') &&
          (q.limit ?? 50) === 50 &&
          (q.scope ?? 'active') === 'active' &&
          (q.sort ?? 'newest') === 'newest';
        if (isDefault && d.cache) {
          const { value, source } = await d.cache.read('first-page', () => readPage(q));
          void reply.header('x-cache', source === 'cache' ? 'hit' : 'miss');
          return value;
        }
        return readPage(q);
      },
    );

    r.get(
      '/workspace/counts',
      {
        schema: {
          tags: ['workspace'],
          summary: 'Orders per status and in the queue (kept in the same transaction as each change)',
          response: { 200: WorkspaceCounts },
        },
      },
      async () => {
        if (!d.cache) return { ...(await statusCounts(d.readDb)), source: 'database' as const };
        const { value, source } = await d.cache.read('counts', () => statusCounts(d.readDb));
        return { ...value, source };
      },
    );

    r.get(
      '/workspace/stream',
      {
        schema: {
          tags: ['workspace'],
          summary: 'Live changes (text/event-stream): new and changed orders, within a second',
          description:
            'Events `added` and `changed` carry {id, kind, status, previousStatus, operator, previousOperator, at, order}. A client that reconnects sends Last-Event-ID (EventSource does) or ?lastEventId= and gets what it missed; `reset` means it was too far behind and should reload its list.',
          querystring: Type.Object({ lastEventId: Type.Optional(Type.Integer({ minimum: 0 })) }),
          produces: ['text/event-stream'],
          response: { ...errors(400) },
        },
      },
      async (req, reply) => {
        const header = req.headers['last-event-id'];
        const fromHeader = typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : undefined;
        await d.streams.serve(req, reply, fromHeader ?? req.query.lastEventId);
      },
    );
  };
}
