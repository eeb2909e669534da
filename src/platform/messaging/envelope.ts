import createError from '@fastify/error';
import { v7 as uuidv7 } from 'uuid';
import { Envelope } from '../../contracts/envelope.js';
import { EVENTS, isEventType, type EventPayload, type EventType } from '../../contracts/events.js';
import { describeErrors, validatorFor } from '../validation.js';

export const InvalidMessageError = createError<'MESSAGE_INVALID', 422, [string]>(
  'MESSAGE_INVALID',
  'Message does not match its contract: %s',
  422,
);

export interface NewEvent<T extends EventType = EventType> {
  type: T;
  orderId: string;
  payload: EventPayload<T>;
  traceparent?: string;
}

/** Checks an envelope and its payload against the contracts; throws InvalidMessageError. */
export function checkEnvelope(value: unknown): Envelope {
  const envOk = validatorFor(Envelope);
  if (!envOk(value)) throw new InvalidMessageError(describeErrors(envOk.errors, 'envelope'));
  const env = value as Envelope;
  if (!isEventType(env.type)) throw new InvalidMessageError(`unknown event type ${env.type}`);
  checkPayload(env.type, env.payload);
  return env;
}

export function checkPayload(type: EventType, payload: unknown): void {
  const v = validatorFor(EVENTS[type].schema);
  if (!v(payload)) throw new InvalidMessageError(`${type}: ${describeErrors(v.errors, 'payload')}`);
}

export function newMessageId(): string {
  return uuidv7();
}
