import createError from '@fastify/error';

export const OperatorUnknownError = createError<'OPERATOR_UNKNOWN', 404, [string]>(
  'OPERATOR_UNKNOWN',
  "Operator '%s' is not registered. An administrator adds operators with PUT /api/mes/operators/<id> (name, skills, capacity).",
  404,
);

export const OperatorInactiveError = createError<'OPERATOR_INACTIVE', 409, [string]>(
  'OPERATOR_INACTIVE',
  "Operator '%s' is deactivated; an administrator can activate them again (PUT /api/mes/operators/<id> with active: true).",
  409,
);

export const SkillMissingError = createError<'SKILL_MISSING', 403, [string, string, string]>(
  'SKILL_MISSING',
  'Order %s needs %s; operator %s lacks it. Pick an order that matches your skills, or ask an administrator to add the skill.',
  403,
);

export const AtCapacityError = createError<'OPERATOR_AT_CAPACITY', 409, [string, number, number]>(
  'OPERATOR_AT_CAPACITY',
  'Operator %s already has %d orders on hand (capacity %d): finish or hand over one first, or raise the capacity.',
  409,
);

export const ReleaseInWorkError = createError<'ORDER_IN_WORK', 409, [string, string, string]>(
  'ORDER_IN_WORK',
  'Order %s is already %s by %s and cannot go back to the queue; reassign it to another operator instead.',
  409,
);

export const NotAssignableError = createError<'ORDER_NOT_ASSIGNABLE', 409, [string, string]>(
  'ORDER_NOT_ASSIGNABLE',
  'Order %s is %s: only approved orders and orders in manufacturing, completed or packaging can be assigned.',
  409,
);
