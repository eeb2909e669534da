/** The envelope every message travels in, whatever the transport. */
import { Type, type Static } from '@sinclair/typebox';

export const Envelope = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'UUIDv7: unique and time-ordered' }),
    type: Type.String({
      pattern: '^[a-z_]+(\\.[a-z_]+)+\\.v[0-9]+$',
      description: 'e.g. order.submitted.v1',
    }),
    occurredAt: Type.String({ format: 'date-time' }),
    orderId: Type.String({ format: 'uuid' }),
    source: Type.String({ minLength: 1, description: 'The service that published it' }),
    traceparent: Type.Optional(
      Type.String({ pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$' }),
    ),
    payload: Type.Unknown(),
  },
  { additionalProperties: false },
);
export type Envelope = Static<typeof Envelope>;
