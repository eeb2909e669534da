/**
 * E-mail to operators on the real servers: the MES database on the local PostgreSQL (its own
 * migrations, applied as the service applies them) and a real SMTP server in another process.
 * The outbox sender delivers what a transaction queued, retries what the server defers, sends
 * each e-mail once however many instances run, gives up after its bounded attempts, and logs
 * no address in clear and no password.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { mes } from '../../src/mes/index.js';
import { openPg } from '../../src/platform/db/pg.js';
import type { Db } from '../../src/platform/db/types.js';
import { failedEmails, queueEmail, retryEmail } from '../../src/platform/mail/email-outbox.js';
import { createMailer, type Mailer } from '../../src/platform/mail/mailer.js';
import { EmailOutboxSender, type EmailOutboxSenderOptions } from '../../src/platform/mail/outbox-sender.js';
import { migrateService } from '../../src/platform/service.js';
import { eventually } from '../support/embedded.js';
import { createTestDatabase } from '../support/servers.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

const MAIL_FROM = 'Atelier <atelier@localhost>';
const PASSWORD = 's3cret-smtp-pass';

interface Row {
  id: number;
  attempts: number;
  sent_at: string | null;
  last_error: string | null;
}

describe('e-mail outbox on PostgreSQL and a real SMTP server', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Db;
  const dbs: Db[] = [];
  const servers: TestSmtpServer[] = [];
  const mailers: Mailer[] = [];
  const senders: EmailOutboxSender[] = [];
  /** Every log line of every sender, to check what personal data reaches the logs. */
  const logLines: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        if ((process.env.TEST_LOG_LEVEL ?? 'silent') !== 'silent') process.stderr.write(chunk);
        done();
      },
    }),
  );

  const smtp = async (opts: Parameters<typeof startSmtpServer>[0] = {}) => {
    const s = await startSmtpServer({ user: 'atelier', pass: PASSWORD, ...opts });
    servers.push(s);
    return s;
  };
  /** One MES instance's sender: its own pool (its own commit listeners), mailer and loop. */
  const instance = async (
    server: TestSmtpServer,
    opts: Partial<EmailOutboxSenderOptions> = {},
    timeoutMs = 5000,
  ) => {
    const own = await openPg({ connectionString: database.url, max: 4 });
    dbs.push(own);
    const mailer = createMailer({ SMTP_URL: server.url, MAIL_FROM }, { timeoutMs })!;
    mailers.push(mailer);
    const sender = new EmailOutboxSender({ db: own, mailer, logger, pollMs: 50, ...opts });
    senders.push(sender);
    sender.start();
    return { db: own, sender };
  };
  const row = async (id: number) =>
    (await db.query<Row>('SELECT id, attempts, sent_at, last_error FROM email_outbox WHERE id = $1', [id]))
      .rows[0]!;
  const queue = (on: Db, to: string, subject: string, text = `Body of ${subject}`) =>
    on.tx((q) => queueEmail(q, { to, subject, text }));

  before(async () => {
    database = await createTestDatabase('email');
    db = await openPg({ connectionString: database.url, max: 4 });
    await migrateService(mes, db);
  });
  // Each test's instances stop with it, and its unsent rows go (one test gives up after fewer
  // attempts than the default), or the next test's senders would take them to their server.
  afterEach(async () => {
    for (const s of senders.splice(0)) await s.stop();
    await db.query('DELETE FROM email_outbox WHERE sent_at IS NULL');
  });
  after(async () => {
    for (const m of mailers) m.close();
    for (const d of dbs) await d.close();
    await db?.close();
    await database?.drop();
    for (const s of servers) await s.stop();
  });

  test('no SMTP_URL, no mailer', () => {
    assert.equal(createMailer({ SMTP_URL: undefined, MAIL_FROM }), undefined);
  });

  test('a queued e-mail arrives with its recipient, subject and body, the commit waking the sender', async () => {
    const server = await smtp();
    // A poll far beyond the test's patience: only the commit's wake-up can deliver in time.
    const { db: mesDb } = await instance(server, { pollMs: 600_000 });
    const id = await queue(
      mesDb,
      'operator.one@example.com',
      'New order A-1001 matches your skills',
      'Line 1\nLine 2',
    );
    const [mail] = await eventually(async () => {
      const r = await server.received();
      return r.length > 0 ? r : undefined;
    }, 5000);
    assert.deepEqual(
      // The body comes back with the line end that closes a message's text.
      { ...mail, text: mail!.text.replace(/\n$/, ''), messageId: undefined },
      {
        from: 'atelier@localhost',
        to: ['operator.one@example.com'],
        subject: 'New order A-1001 matches your skills',
        text: 'Line 1\nLine 2',
        user: 'atelier',
        messageId: undefined,
      },
    );
    const r = await eventually(async () => {
      const x = await row(id);
      return x.sent_at ? x : undefined;
    });
    assert.equal(r.attempts, 1);
    assert.equal(r.last_error, null);
    const sentLog = logLines.find((l) => l.includes('"e-mail sent"'));
    assert.ok(sentLog?.includes('"to":"o***@example.com"'), sentLog);
  });

  test('a temporary failure (451) is retried and the e-mail then arrives once', async () => {
    const server = await smtp({ failFirst: 2 });
    const { db: mesDb } = await instance(server, { retryDelaysMs: [100] });
    const id = await queue(mesDb, 'operator.two@example.com', 'Deferred twice');
    const r = await eventually(async () => {
      const x = await row(id);
      return x.sent_at ? x : undefined;
    });
    assert.equal(r.attempts, 3);
    assert.match(r.last_error ?? '', /451 4\.3\.0 Temporary failure/, 'the SMTP reply is kept for a person');
    assert.deepEqual(
      (await server.refused()).map((x) => [x.stage, x.code]),
      [
        ['DATA', 451],
        ['DATA', 451],
      ],
    );
    await new Promise((res) => setTimeout(res, 300));
    const received = await server.received();
    assert.deepEqual(
      received.map((m) => m.subject),
      ['Deferred twice'],
    );
    assert.ok(logLines.some((l) => l.includes('will retry') && l.includes('"to":"o***@example.com"')));
  });

  test('two senders running at once deliver each e-mail exactly once', async () => {
    // A slow server keeps claimed rows in flight while the other sender looks for work, and 30
    // rows in batches of 4 leave one sender idle at the end while the other still sends.
    const server = await smtp({ delayMs: 30 });
    const a = await instance(server, { batchSize: 4, pollMs: 20 });
    const b = await instance(server, { batchSize: 4, pollMs: 20 });
    const subjects = Array.from({ length: 30 }, (_, i) => `Order B-${2000 + i}`);
    // Queued from a third connection, so neither sender is woken by the commit: both find the
    // rows by polling, at the same time.
    const ids = await db.tx(async (q) => {
      const out: number[] = [];
      for (const [i, s] of subjects.entries())
        out.push(await queueEmail(q, { to: `op${i}@example.com`, subject: s, text: s }));
      return out;
    });
    await eventually(
      async () => {
        const r = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM email_outbox WHERE id = ANY($1) AND sent_at IS NULL',
          [ids],
        );
        return r.rows[0]!.n === 0 ? true : undefined;
      },
      30_000,
      'every e-mail marked sent',
    );
    const received = await server.received();
    assert.equal(received.length, 30);
    assert.deepEqual(received.map((m) => m.subject).sort(), [...subjects].sort(), 'each e-mail exactly once');
    for (const m of received) assert.equal(m.to[0], `op${subjects.indexOf(m.subject)}@example.com`);
    assert.equal(a.sender.sent + b.sender.sent, 30);
    assert.ok(
      a.sender.sent > 0 && b.sender.sent > 0,
      `both shared the work: ${a.sender.sent}/${b.sender.sent}`,
    );
    const attempts = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM email_outbox WHERE id = ANY($1) AND attempts <> 1',
      [ids],
    );
    assert.equal(attempts.rows[0]!.n, 0, 'no e-mail was claimed twice');
  });

  test('a batch that outlasts its lease: the rows taken over are sent once, by their new owner', async () => {
    // Each send takes over 300 ms (the server's 100 ms greeting delay and 200 ms before its
    // answer), so a batch of 10 outlasts the 2.5 s lease of its claim.
    const server = await smtp({ delayMs: 200 });
    const subjects = Array.from({ length: 10 }, (_, i) => `L-${i}`);
    const ids = await db.tx(async (q) => {
      const out: number[] = [];
      for (const s of subjects)
        out.push(await queueEmail(q, { to: 'op.lease@example.com', subject: s, text: s }));
      return out;
    });
    const a = await instance(server, { batchSize: 10, leaseMs: 2500 }, 2000);
    await eventually(async () => ((await server.started()) > 0 ? true : undefined));
    const b = await instance(server, { batchSize: 10, leaseMs: 2500, pollMs: 20 }, 2000);
    await eventually(async () => {
      const r = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM email_outbox WHERE id = ANY($1) AND sent_at IS NULL',
        [ids],
      );
      return r.rows[0]!.n === 0 ? true : undefined;
    });
    await new Promise((res) => setTimeout(res, 500));
    assert.deepEqual((await server.received()).map((m) => m.subject).sort(), subjects, 'each exactly once');
    const rows = await Promise.all(ids.map(row));
    assert.ok(
      rows.some((r) => r.attempts === 2),
      `the second instance took rows over: attempts ${rows.map((r) => r.attempts).join(',')}`,
    );
    assert.ok(a.sender.sent > 0 && b.sender.sent > 0, `${a.sender.sent}/${b.sender.sent}`);
  });

  test('a permanently refused e-mail stops after the bounded attempts and is left for staff', async () => {
    const server = await smtp({ rejectRecipients: '^nobody@' });
    const { db: mesDb } = await instance(server, { maxAttempts: 3, retryDelaysMs: [50] });
    const id = await queue(mesDb, 'nobody@example.com', 'Never arrives');
    const failed = await eventually(async () => {
      const f = (await failedEmails(db, { maxAttempts: 3 })).find((x) => x.id === id);
      return f?.lastError ? f : undefined;
    });
    assert.equal(failed.attempts, 3);
    assert.equal(failed.recipient, 'nobody@example.com');
    assert.match(failed.lastError ?? '', /550 5\.1\.1 <nobody@example\.com>: Recipient address rejected/);
    await new Promise((res) => setTimeout(res, 400));
    assert.equal((await server.refused()).length, 3, 'no attempt after the last');
    assert.equal((await row(id)).sent_at, null);
    const gaveUp = logLines.find((l) => l.includes('left for staff'));
    assert.ok(
      gaveUp?.includes('<n***@example.com>'),
      `the reply is logged with the address masked: ${gaveUp}`,
    );

    // Staff retry it (say, after fixing the mailbox): a fresh set of attempts.
    assert.equal(await retryEmail(db, id, { maxAttempts: 3 }), true);
    assert.equal(await retryEmail(db, id, { maxAttempts: 3 }), false, 'only a failed e-mail is retried');
    await eventually(async () => ((await server.refused()).length === 6 ? true : undefined));
  });

  test('a server that does not answer in time: the send is abandoned and the error says so', async () => {
    const server = await smtp({ delayMs: 3000 });
    const { db: mesDb } = await instance(server, { maxAttempts: 1, leaseMs: 5000 }, 1000);
    const id = await queue(mesDb, 'op.slow@example.com', 'Slow');
    const failed = await eventually(async () =>
      (await failedEmails(db, { maxAttempts: 1 })).find((x) => x.id === id && x.lastError),
    );
    assert.equal(
      failed.lastError,
      `No answer from smtp://127.0.0.1:${server.port} within 1000 ms; sending abandoned`,
      'the server named without its credentials',
    );
  });

  test('stop() finishes the send in flight and hands the rest of its batch back', async () => {
    const server = await smtp({ delayMs: 400 });
    const { db: mesDb, sender } = await instance(server);
    const ids = await mesDb.tx(async (q) => [
      await queueEmail(q, { to: 'op.x@example.com', subject: 'First', text: '1' }),
      await queueEmail(q, { to: 'op.y@example.com', subject: 'Second', text: '2' }),
      await queueEmail(q, { to: 'op.z@example.com', subject: 'Third', text: '3' }),
    ]);
    await eventually(async () => ((await server.started()) > 0 ? true : undefined));
    await sender.stop();
    assert.deepEqual(
      (await server.received()).map((m) => m.subject),
      ['First'],
    );
    const rows = await Promise.all(ids.map(row));
    assert.ok(rows[0]!.sent_at);
    assert.deepEqual(
      rows.slice(1).map((r) => [r.attempts, r.sent_at]),
      [
        [0, null],
        [0, null],
      ],
    );
    const due = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM email_outbox WHERE id = ANY($1) AND next_attempt_at <= now()',
      [ids.slice(1)],
    );
    assert.equal(due.rows[0]!.n, 2, 'due again at once for another instance');
  });

  test('the logs name no recipient in clear and never the SMTP password', () => {
    assert.ok(logLines.length > 10);
    const all = logLines.join('');
    assert.doesNotMatch(all, /[a-z0-9.]{2,}@example\.com/, 'no address in clear');
    assert.ok(!all.includes(PASSWORD));
    assert.ok(all.includes('***@example.com'));
  });
});
