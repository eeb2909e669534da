/** One Ajv instance for the whole platform: message payloads, configuration and anything else. */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export const ajv = addFormats(new Ajv({ allErrors: true, strict: false }), [
  'uuid',
  'date-time',
  'email',
  'uri',
]);

const cache = new WeakMap<TSchema, ValidateFunction>();

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
