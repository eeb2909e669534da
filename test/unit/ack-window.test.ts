import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AckWindow, type AckChannel } from '../../src/platform/messaging/ack-window.js';

/** The frames a channel would send, as `ack 3+` (multiple), `ack 5`, `nack 2`. */
function recorder(refuse = false) {
  const frames: string[] = [];
  const ch: AckChannel<number> = {
    ack(tag, allUpTo) {
      if (refuse) throw new Error('Channel closed');
      frames.push(`ack ${tag}${allUpTo ? '+' : ''}`);
    },
    nack(tag) {
      frames.push(`nack ${tag}`);
    },
  };
  return { ch, frames };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

test('a batch settled in one turn goes out as one multiple ack', async () => {
  const { ch, frames } = recorder();
  const w = new AckWindow(ch, () => undefined);
  const s = [1, 2, 3, 4].map((tag) => w.add(tag));
  for (const x of s) x.ack();
  assert.deepEqual(frames, []); // nothing sent within the turn
  await turn();
  assert.deepEqual(frames, ['ack 4+']);
});

test('a delivery still in flight never gets acked by a multiple ack; those behind it go alone', async () => {
  const { ch, frames } = recorder();
  const w = new AckWindow(ch, () => undefined);
  const [a, b, c, d] = [1, 2, 3, 4].map((tag) => w.add(tag));
  a!.ack();
  c!.ack();
  d!.ack();
  await turn();
  assert.deepEqual(frames, ['ack 1+', 'ack 3', 'ack 4']);
  b!.ack();
  await turn();
  assert.deepEqual(frames.slice(3), ['ack 2+']);
});

test('a nack goes at once and the multiple ack passes over it', async () => {
  const { ch, frames } = recorder();
  const w = new AckWindow(ch, () => undefined);
  const [a, b, c] = [1, 2, 3].map((tag) => w.add(tag));
  b!.nack(true);
  assert.deepEqual(frames, ['nack 2']);
  a!.ack();
  c!.ack();
  await turn();
  assert.deepEqual(frames, ['nack 2', 'ack 3+']);
});

test('after the channel closed nothing is sent; a refused ack is reported, not thrown', async () => {
  const closed = recorder();
  const w = new AckWindow(closed.ch, () => undefined);
  const a = w.add(1);
  w.close();
  a.ack();
  await turn();
  assert.deepEqual(closed.frames, []);

  const refusing = recorder(true);
  const errors: unknown[] = [];
  const w2 = new AckWindow(refusing.ch, (err) => errors.push(err));
  w2.add(1).ack();
  await turn();
  assert.equal(errors.length, 1);
});
