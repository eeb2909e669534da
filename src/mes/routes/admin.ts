import type { FastifyRequest } from 'fastify';
import { requireToken } from '../../platform/http/auth.js';
import type { MesDeps } from '../deps.js';

/** The MES's administrator endpoints (operators, assignments, e-mails, archive) all check this. */
export function requireAdmin(d: MesDeps, req: FastifyRequest): void {
  requireToken(req, d.ctx.config.ADMIN_TOKEN, 'administrator');
}
