/**
 * E-mail to operators: an approved order that nobody was assigned reaches, by a real SMTP
 * server process, exactly the operators who asked for e-mail and have the skills to make it.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { client, type Client } from '../api/http.js';
import { eventually, startEmbedded, type EmbeddedPlatform } from '../support/embedded.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

const ADMIN = { authorization: 'Bearer atelier-admin' };
let smtp: TestSmtpServer;
let platform: EmbeddedPlatform;
let api: Client;

before(async () => {
  smtp = await startSmtpServer();
  platform = await startEmbedded({ SMTP_URL: smtp.url, ASSIGN_INTERVAL_MS: '600000' });
  api = client(platform.url);
});
after(async () => {
  await platform?.destroy();
  await smtp?.stop();
});

test('a queued order e-mails the operators who want it and can make it, and nobody else', async () => {
  const operators = {
    'mail-caster': { skills: ['casting', 'polishing'], notifyEmail: true, email: 'caster@example.com' },
    'mail-polisher': { skills: ['polishing'], notifyEmail: true, email: 'polisher@example.com' },
    'quiet-caster': { skills: ['casting', 'polishing'], notifyEmail: false, email: 'quiet@example.com' },
  };
  for (const [id, o] of Object.entries(operators)) {
    const r = await api('PUT', `/api/mes/operators/${id}`, {
      json: { name: id, capacity: 2, ...o },
      headers: ADMIN,
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const placed = await api<{ id: string; number: string }>('POST', '/api/shop/orders', {
    json: {
      kind: 'catalog',
      catalogSku: 'RING-TORUS-585',
      customer: { name: 'Mail Test', email: 'customer@example.com' },
      submit: true,
    },
  });
  assert.equal(placed.status, 201);
  const mails = await eventually(
    async () => {
      const got = await smtp.received();
      return got.length > 0 ? got : undefined;
    },
    15_000,
    'the e-mail',
  );
  // Give a wrong second mail the time to arrive before counting.
  await new Promise((r) => setTimeout(r, 500));
  const all = await smtp.received();
  assert.equal(all.length, 1, JSON.stringify(all.map((m) => m.to)));
  const mail = mails[0]!;
  assert.deepEqual(mail.to, ['caster@example.com']);
  assert.match(mail.subject, new RegExp(placed.body.number));
  assert.match(mail.text, /casting, polishing/);
  assert.match(mail.text, /Deadline: \d{4}-\d{2}-\d{2}/);
});
