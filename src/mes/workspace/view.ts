import type { Static } from '@sinclair/typebox';
import type { WorkspaceRow } from './query.js';
import type { WorkspaceOrder } from './schemas.js';
import { ACTIVE_STATUSES } from './statuses.js';

export function toWorkspaceOrder(r: WorkspaceRow, now = Date.now()): Static<typeof WorkspaceOrder> {
  return {
    id: r.id,
    number: r.number,
    channel: r.channel,
    kind: r.kind,
    partnerId: r.partner_id,
    customerName: r.customer_name,
    status: r.status,
    operator: r.operator,
    requiredSkills: r.required_skills,
    alloy: r.alloy,
    quantity: r.quantity,
    priceMinor: r.price_minor === null ? null : Number(r.price_minor),
    currency: r.currency,
    hasModel: r.has_model,
    dueAt: r.due_at,
    overdue: ACTIVE_STATUSES.includes(r.status as never) && Date.parse(r.due_at) < now,
    approvedAt: r.approved_at,
    assignedAt: r.assigned_at,
    claimedAt: r.claimed_at,
    trackingNumber: r.tracking_number,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
