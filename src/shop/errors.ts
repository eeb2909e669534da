import createError from '@fastify/error';

export const CatalogItemNotFoundError = createError<'CATALOG_ITEM_NOT_FOUND', 422, [string]>(
  'CATALOG_ITEM_NOT_FOUND',
  'There is no catalog piece %s. GET /api/shop/catalog lists the pieces you can order.',
  422,
);

export const OrderKindMismatchError = createError<'ORDER_KIND_MISMATCH', 409, [string, string, string]>(
  'ORDER_KIND_MISMATCH',
  'Order %s is a %s order: %s',
  409,
);

export const ModelMissingError = createError<'ORDER_MODEL_MISSING', 409, [string]>(
  'ORDER_MODEL_MISSING',
  'Order %s is a custom order and has no 3D model yet: PUT the STL to /api/shop/orders/<id>/model, then submit.',
  409,
);

export { FieldRequiredError } from '../platform/http/errors.js';
