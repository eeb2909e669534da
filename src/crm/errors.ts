import createError from '@fastify/error';

export const NotAwaitingApprovalError = createError<'ORDER_NOT_AWAITING_APPROVAL', 409, [string, string]>(
  'ORDER_NOT_AWAITING_APPROVAL',
  'Order %s is not waiting for a seller (it is %s): only priced orders that no rule approved can be approved or rejected by hand.',
  409,
);

export const UnknownShipmentError = createError<'SHIPMENT_UNKNOWN', 404, [string]>(
  'SHIPMENT_UNKNOWN',
  'No shipped order has tracking number %s. Check the number; if the parcel left minutes ago, retry shortly.',
  404,
);
