import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from '../../src/platform/logger.js';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, stream };
}

test('secrets and personal data are redacted wherever the platform logs them', () => {
  const { lines, stream } = capture();
  const log = createLogger('info', {}, stream);
  log.info(
    {
      apiKey: 'key-1',
      partner: { apiKey: 'key-2', token: 'tok-1' },
      email: 'a@example.com',
      customer: { name: 'Ann', email: 'b@example.com', address: '1 Ring Road' },
      order: { customer: { email: 'c@example.com', address: '2 Ring Road' } },
      req: { headers: { authorization: 'Bearer key-3', 'x-api-key': 'key-4', cookie: 'session=s' } },
    },
    'something happened',
  );
  const out = lines.join('');
  for (const secret of [
    'key-1',
    'key-2',
    'key-3',
    'key-4',
    'tok-1',
    'session=s',
    '@example.com',
    'Ring Road',
  ])
    assert.ok(!out.includes(secret), `${secret} in ${out}`);
  const line = JSON.parse(out) as { customer: { name: string; email: string } };
  assert.equal(line.customer.name, 'Ann', 'what is not personal stays readable');
  assert.equal(line.customer.email, '[redacted]');
});

test('outside any trace a log line has no trace fields', () => {
  const { lines, stream } = capture();
  createLogger('info', {}, stream).info('plain');
  const line = JSON.parse(lines.join('')) as Record<string, unknown>;
  assert.equal(line.trace_id, undefined);
  assert.equal(line.msg, 'plain');
});
