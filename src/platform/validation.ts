/** One Ajv instance for the whole platform: message payloads, configuration and anything else. */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { Type, type TSchema } from '@sinclair/typebox';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** The UTC offset at the end of a date-time (`+05:30`, `-0800`, `+05`); none for `Z`. */
const OFFSET = /([+-])(\d\d)(?::?(\d\d))?$/;

/**
 * Whether a date-time that already passed the RFC 3339 check is one PostgreSQL can store as
 * timestamptz, checked before it reaches SQL (where it would be a 500): RFC 3339 allows year
 * 0000 and offsets up to ±23:59, PostgreSQL has no year 0 and takes offsets only up to ±15:59.
 * Four digits already keep the year at or below 9999.
 */
function storable(s: string): boolean {
  if (Number(s.slice(0, 4)) < 1) return false;
  const offset = OFFSET.exec(s);
  return !offset || Number(offset[2]) <= 15;
}

type DateTimeFormat = {
  validate: (s: string) => boolean;
  compare?: (a: string, b: string) => number | undefined;
};

/**
 * Narrows an Ajv instance's `date-time` format (the RFC 3339 one ajv-formats registered: the
 * grammar and the calendar) to what PostgreSQL can store. Every date-time a client sends ends
 * up in a timestamptz column or comparison, so the schema check is the one place to refuse what
 * PostgreSQL cannot hold; the HTTP servers' Ajv and the platform's get the same.
 */
export function storableDateTimes(instance: Ajv): Ajv {
  const rfc3339 = instance.formats['date-time'] as DateTimeFormat | undefined;
  if (typeof rfc3339?.validate !== 'function')
    throw new Error("storableDateTimes: register ajv-formats' date-time format on this Ajv first");
  const { validate, compare } = rfc3339;
  return instance.addFormat('date-time', {
    type: 'string',
    validate: (s: string) => validate(s) && storable(s),
    ...(compare ? { compare } : {}),
  });
}

/** A date-time in RFC 3339 that PostgreSQL can store (the cursors' check; see storableDateTimes). */
export function isStorableDateTime(s: string): boolean {
  return validatorFor(STORABLE_DATE_TIME)(s) === true;
}

export const ajv = storableDateTimes(
  addFormats(new Ajv({ allErrors: true, strict: false }), ['uuid', 'date-time', 'email', 'uri']),
);

const cache = new WeakMap<TSchema, ValidateFunction>();
const STORABLE_DATE_TIME = Type.String({ format: 'date-time' });

export function validatorFor(schema: TSchema): ValidateFunction {
  let v = cache.get(schema);
  if (!v) {
    v = ajv.compile(schema);
    cache.set(schema, v);
  }
  return v;
}

/** "payload/customer must have required property 'email'; payload/quantity must be >= 1" */
export function describeErrors(errors: ErrorObject[] | null | undefined, root: string): string {
  return (errors ?? [])
    .map((e) => `${root}${e.instancePath} ${e.message ?? 'is invalid'}`)
    .slice(0, 5)
    .join('; ');
}
