/** A cluster never puts a service on a port fetch refuses: nothing could reach it there. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFetchBlockedPort, usablePorts } from '../../src/platform/http/fetch-ports.js';

test('Node fetch refuses the ports the list blocks (before any connection is tried)', async () => {
  for (const port of [5060, 5061, 6000, 10080]) {
    assert.ok(isFetchBlockedPort(port), `${port} is on the list`);
    const err = await fetch(`http://127.0.0.1:${port}/health`).then(
      () => undefined,
      (e: unknown) => e as Error & { cause?: Error },
    );
    assert.equal(err?.cause?.message, 'bad port', `fetch to ${port}`);
  }
});

test('ports handed out skip the blocked ones and keep their order', () => {
  assert.deepEqual(usablePorts(5057, 6), [5057, 5058, 5059, 5062, 5063, 5064]);
  assert.deepEqual(usablePorts(4700, 3), [4700, 4701, 4702]);
  assert.equal(isFetchBlockedPort(5059), false);
});
