/**
 * DATABASE_URL is one database: a command that runs several services refuses it rather than put
 * every service's tables in it, and names the variables to set instead.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { checkSharedDatabaseUrl } from '../../src/platform/runtime.js';

const URL_ = 'postgres://postgres@127.0.0.1:5432/atelier_one';

test('one service may use DATABASE_URL', () => {
  assert.doesNotThrow(() => checkSharedDatabaseUrl(['shop'], { DATABASE_URL: URL_ }));
});

test('several services with their own URLs may leave DATABASE_URL set', () => {
  assert.doesNotThrow(() =>
    checkSharedDatabaseUrl(['shop', 'crm'], {
      DATABASE_URL: URL_,
      SHOP_DATABASE_URL: `${URL_}_shop`,
      CRM_DATABASE_URL: `${URL_}_crm`,
    }),
  );
  assert.doesNotThrow(() => checkSharedDatabaseUrl(['shop', 'crm'], {}));
});

test('several services falling back to DATABASE_URL are refused, naming the variables to set', () => {
  assert.throws(
    () =>
      checkSharedDatabaseUrl(['shop', 'partner-api', 'crm'], {
        DATABASE_URL: URL_,
        CRM_DATABASE_URL: `${URL_}_crm`,
      }),
    (err: Error) =>
      /runs 3 services/.test(err.message) &&
      /Set SHOP_DATABASE_URL, PARTNER_API_DATABASE_URL \(one database each\)/.test(err.message) &&
      !/Set .*CRM_DATABASE_URL/.test(err.message),
  );
});

test('`atelier migrate` of every service stops before touching the database', async () => {
  const bin = fileURLToPath(new URL('../../../bin/atelier.js', import.meta.url));
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, 'migrate'],
      // An address nothing listens on: reaching the database would fail differently, and later.
      { env: { ...process.env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/atelier_nowhere' } },
      (_err, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
    );
  });
  assert.equal(code, 1);
  assert.match(stderr, /DATABASE_URL is one database and this command runs 6 services/);
});

test('`atelier migrate` names an unknown service first, and one service named twice is one', async () => {
  const bin = fileURLToPath(new URL('../../../bin/atelier.js', import.meta.url));
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [bin, 'migrate', ...args],
        { env: { ...process.env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/atelier_nowhere' } },
        (_err, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
      );
    });
  const typo = await run(['shop', 'shpo']);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /Unknown service "shpo"/);
  // One service, so DATABASE_URL is allowed: it gets as far as the (unreachable) database.
  const twice = await run(['shop', 'shop']);
  assert.equal(twice.code, 1);
  assert.doesNotMatch(twice.stderr, /DATABASE_URL is one database/);
});
