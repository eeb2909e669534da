/** A start-up step that hangs says what it is waiting for, and stops saying it once done. */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { reportIfSlow } from '../../src/platform/slow-step.js';

function capture() {
  const lines: { msg: string; step: string; waitedMs: number; level: number }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
      done();
    },
  });
  return { lines, logger: pino({ level: 'warn' }, stream) };
}

test('a slow step is named in a warning while it waits, and no more once it ends', async () => {
  const { lines, logger } = capture();
  // Ten intervals long: at least two warnings even on a busy event loop.
  const value = await reportIfSlow(logger, 'declaring and subscribing to the queue', sleep(200, 'ok'), 20);
  assert.equal(value, 'ok');
  assert.ok(lines.length >= 2, `warned ${lines.length} times`);
  for (const l of lines) {
    assert.equal(l.level, 40);
    assert.equal(l.step, 'declaring and subscribing to the queue');
    assert.match(l.msg, /^still declaring and subscribing to the queue after \d+ s$/);
  }
  assert.ok((lines.at(-1)?.waitedMs ?? 0) > (lines[0]?.waitedMs ?? 0), 'each warning says how long');
  const seen = lines.length;
  await sleep(60);
  assert.equal(lines.length, seen, 'no warning after the step ended');
});

test('a quick step says nothing; a failing one fails as it is', async () => {
  const { lines, logger } = capture();
  await reportIfSlow(logger, 'applying migrations', Promise.resolve(1), 20);
  await assert.rejects(
    reportIfSlow(logger, 'connecting to the broker', Promise.reject(new Error('ECONNREFUSED')), 20),
    /ECONNREFUSED/,
  );
  await sleep(50);
  assert.deepEqual(lines, []);
});
