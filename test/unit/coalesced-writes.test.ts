/**
 * A socket's writes of one tick leave in one system call, in order, and later ticks still go
 * out at once. Counted on a real TCP socket, at the stream hooks Node calls per system call.
 */
import assert from 'node:assert/strict';
import { createServer, connect } from 'node:net';
import { once } from 'node:events';
import { test, type TestContext } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { coalesceWrites } from '../../src/platform/coalesced-writes.js';

async function pair(t: TestContext) {
  const received: Buffer[] = [];
  const server = createServer((s) => s.on('data', (d: Buffer) => received.push(d)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  // What reaches the kernel: one call of either hook is one write system call.
  const calls = { write: 0, writev: 0 };
  type Hook = (...a: unknown[]) => unknown;
  const s = socket as unknown as { _write: Hook; _writev: Hook };
  const [w, wv] = [s._write.bind(socket), s._writev.bind(socket)];
  s._write = (...a: unknown[]) => (calls.write++, w(...a));
  s._writev = (...a: unknown[]) => (calls.writev++, wv(...a));
  const bytes = async (n: number) => {
    while (Buffer.concat(received).length < n) await tick();
    return Buffer.concat(received).toString();
  };
  // Closed even when an assertion fails, so a failing test ends instead of holding the run.
  t.after(async () => {
    socket.destroy();
    server.close();
    await once(server, 'close');
  });
  return { socket, calls, bytes };
}

test('without coalescing, each write of a tick is its own system call', async (t) => {
  const { socket, calls, bytes } = await pair(t);
  for (const part of ['a', 'b', 'c', 'd']) socket.write(part);
  assert.equal(await bytes(4), 'abcd');
  assert.ok(calls.write + calls.writev >= 2, `expected several calls, got ${JSON.stringify(calls)}`);
});

test("with coalescing, a tick's writes leave in one system call, in order", async (t) => {
  const { socket, calls, bytes } = await pair(t);
  coalesceWrites(socket);
  coalesceWrites(socket); // a pool reports the same connection again: still one wrapper
  for (const part of ['a', 'b', 'c', 'd']) socket.write(part);
  assert.deepEqual(calls, { write: 0, writev: 0 }, 'nothing is sent before the tick ends');
  assert.equal(await bytes(4), 'abcd');
  assert.deepEqual(calls, { write: 0, writev: 1 });

  // The next tick's writes go out on their own, without waiting for anything else.
  socket.write('e');
  socket.write('f');
  assert.equal(await bytes(6), 'abcdef');
  assert.deepEqual(calls, { write: 0, writev: 2 });

  // A library's own cork/uncork pair inside the tick does not flush early.
  socket.write('g');
  socket.cork();
  socket.write('h');
  socket.uncork();
  socket.write('i');
  assert.equal(calls.writev, 2);
  assert.equal(await bytes(9), 'abcdefghi');
  assert.deepEqual(calls, { write: 0, writev: 3 });
});

test('a socket ended inside a tick still sends what was written', async (t) => {
  const { socket, bytes } = await pair(t);
  coalesceWrites(socket);
  socket.write('x');
  socket.end('y');
  assert.equal(await bytes(2), 'xy');
});
