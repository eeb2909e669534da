import { Readable } from 'node:stream';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nulPath } from '../../src/platform/http/nul-guard.js';

test('nulPath names the first string that holds a NUL, however deep', () => {
  assert.equal(nulPath({ a: 'fine', b: { c: ['x', 'y\0'] } }, 'body'), 'body.b.c[1]');
  assert.equal(nulPath('\0', 'body'), 'body');
  assert.equal(nulPath({ ['bad\0key']: 1 }, 'body'), 'body (a key)');
});

test('nulPath passes clean values, numbers, nulls and bytes', () => {
  assert.equal(nulPath({ a: 'fine', n: 1, z: null, list: [true, 'ok'] }, 'body'), undefined);
  assert.equal(nulPath(undefined, 'body'), undefined);
  // A model's raw bytes may hold zeros: they are never stored as text, so they are not walked.
  assert.equal(nulPath(Buffer.from([1, 0, 2]), 'body'), undefined);
  assert.equal(nulPath(Readable.from(['a\0']), 'body'), undefined);
});

test('nulPath walks a query string as Fastify parses it', () => {
  // Fastify's query object has a prototype of its own, with no Object.prototype behind it.
  const query = Object.create(Object.create(null) as object) as Record<string, string>;
  query.q = 'a\0';
  assert.equal(nulPath(query, 'querystring'), 'querystring.q');
});
