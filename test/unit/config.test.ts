import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, VARIABLES, databaseUrlFor, loadConfig } from '../../src/platform/config.js';

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    assert.equal(err.code, 'CONFIG_INVALID');
    assert.equal(err.name, 'ConfigError');
    return err;
  }
  assert.fail(`loadConfig(${JSON.stringify(env)}) should have failed`);
}

/** The "- NAME=..." problem lines of a configuration error. */
function problemLines(err: Error): string[] {
  return err.message
    .split('\n')
    .filter((l) => l.startsWith('  - '))
    .map((l) => l.slice(4));
}

test('defaults apply to an empty environment', () => {
  const c = loadConfig({});
  assert.equal(c.HOST, '127.0.0.1');
  assert.equal(c.PORT, 3000);
  assert.equal(c.DATA_DIR, './data');
  assert.equal(c.DATABASE_POOL_SIZE, 10);
  assert.equal(c.STORAGE, 'disk');
  assert.equal(c.S3_BUCKET, 'atelier-models');
  assert.equal(c.MODEL_MAX_BYTES, 64 * 1024 * 1024);
  assert.equal(c.CURRENCY, 'EUR');
  assert.equal(c.CRM_AUTO_APPROVE_CATALOG, true);
  assert.equal(c.CRM_AUTO_APPROVE_LIMIT_MINOR, 150000);
  assert.equal(c.MESSAGING_MAX_ATTEMPTS, 5);
  assert.deepEqual(c.MESSAGING_RETRY_DELAYS_MS, [250, 1000, 5000, 15000]);
  assert.equal(c.LOG_LEVEL, 'info');
  assert.equal(c.ADMIN_TOKEN, 'atelier-admin');
  // No default: absent.
  assert.equal(c.DATABASE_URL, undefined);
  assert.equal(c.AMQP_URL, undefined);
  assert.equal(c.STORAGE_DIR, undefined);
  assert.equal('AMQP_URL' in c, false);
});

test('an empty string counts as unset', () => {
  const c = loadConfig({ PORT: '', LOG_LEVEL: '', AMQP_URL: '' });
  assert.equal(c.PORT, 3000);
  assert.equal(c.LOG_LEVEL, 'info');
  assert.equal(c.AMQP_URL, undefined);
});

test('values are parsed to their types', () => {
  const c = loadConfig({
    PORT: '8080',
    CRM_AUTO_APPROVE_CATALOG: 'false',
    CRM_AUTO_APPROVE_LIMIT_MINOR: '0',
    LOG_LEVEL: 'debug',
    STORAGE: 's3',
    AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/atelier_shop',
  });
  assert.equal(c.PORT, 8080);
  assert.equal(c.CRM_AUTO_APPROVE_CATALOG, false);
  assert.equal(c.CRM_AUTO_APPROVE_LIMIT_MINOR, 0);
  assert.equal(c.LOG_LEVEL, 'debug');
  assert.equal(c.STORAGE, 's3');
  assert.equal(c.AMQP_URL, 'amqp://guest:guest@127.0.0.1:5672');
  assert.equal(c.DATABASE_URL, 'postgres://postgres@127.0.0.1:5432/atelier_shop');
});

test('booleans accept true/false/1/0 in any case', () => {
  assert.equal(loadConfig({ CRM_AUTO_APPROVE_CATALOG: 'TRUE' }).CRM_AUTO_APPROVE_CATALOG, true);
  assert.equal(loadConfig({ CRM_AUTO_APPROVE_CATALOG: '1' }).CRM_AUTO_APPROVE_CATALOG, true);
  assert.equal(loadConfig({ CRM_AUTO_APPROVE_CATALOG: 'False' }).CRM_AUTO_APPROVE_CATALOG, false);
  assert.equal(loadConfig({ CRM_AUTO_APPROVE_CATALOG: '0' }).CRM_AUTO_APPROVE_CATALOG, false);
  const err = configError({ CRM_AUTO_APPROVE_CATALOG: 'yes' });
  assert.match(err.message, /CRM_AUTO_APPROVE_CATALOG="yes" is invalid: expected true or false/);
});

test('PORT=abc fails naming PORT and a port number', () => {
  const err = configError({ PORT: 'abc' });
  const lines = problemLines(err);
  assert.equal(lines.length, 1);
  assert.match(lines[0] as string, /^PORT="abc" is invalid: expected a port number from 0 to 65535\./);
  assert.ok(err.message.startsWith('Configuration error:'));
});

test('integers: fractions and exponents are not whole numbers; minimums are enforced', () => {
  assert.match(configError({ DATABASE_POOL_SIZE: '8.5' }).message, /DATABASE_POOL_SIZE="8.5".*whole number/);
  assert.match(configError({ DATABASE_POOL_SIZE: '1e3' }).message, /DATABASE_POOL_SIZE="1e3".*whole number/);
  assert.match(configError({ DATABASE_POOL_SIZE: '0' }).message, /DATABASE_POOL_SIZE="0".*>= 1/);
  assert.match(configError({ MODEL_MAX_BYTES: '83' }).message, /MODEL_MAX_BYTES="83".*>= 84/);
  assert.equal(loadConfig({ MODEL_MAX_BYTES: '84' }).MODEL_MAX_BYTES, 84);
});

test('PORT: 0 to 65535, and never a port fetch clients refuse to reach', () => {
  assert.equal(loadConfig({ PORT: '0' }).PORT, 0);
  assert.equal(loadConfig({ PORT: '65535' }).PORT, 65535);
  for (const bad of ['80.5', '1e3', '-1', '65536'])
    assert.match(configError({ PORT: bad }).message, /port number from 0 to 65535/, bad);
  // 5060 (SIP) is on the Fetch standard's list: a service there could be reached by no browser,
  // no `simulate` and no other service.
  assert.match(
    configError({ PORT: '5060' }).message,
    /PORT="5060" is invalid: expected a port fetch clients may connect to \(5060 is one of the Fetch standard's bad ports\)/,
  );
  assert.equal(loadConfig({ PORT: '5059' }).PORT, 5059);
});

test('several bad variables are all listed in one error', () => {
  const err = configError({
    PORT: 'abc',
    LOG_LEVEL: 'loud',
    AMQP_URL: 'not a url',
    MESSAGING_RETRY_DELAYS_MS: '1,x',
    HOST: '0.0.0.0',
  });
  const lines = problemLines(err);
  assert.equal(lines.length, 4, err.message);
  for (const name of ['PORT', 'LOG_LEVEL', 'AMQP_URL', 'MESSAGING_RETRY_DELAYS_MS']) {
    assert.equal(lines.filter((l) => l.startsWith(`${name}=`)).length, 1, `${name} listed once`);
  }
  assert.ok(!err.message.includes('HOST='), 'a good variable is not listed');
});

test('secret values never appear in an error', () => {
  // Every secret is a free-form string, so it cannot fail by itself; check it is not echoed
  // when something else fails, and that all secrets really are of a kind that cannot fail.
  for (const [name, spec] of Object.entries(VARIABLES)) {
    if ('secret' in spec && spec.secret)
      assert.equal(spec.kind, 'string', `${name} is a secret of kind string`);
  }
  const err = configError({
    PORT: 'abc',
    ADMIN_TOKEN: 'tok-s3cr3t-admin',
    CARRIER_TOKEN: 'tok-s3cr3t-carrier',
    S3_SECRET_ACCESS_KEY: 'tok-s3cr3t-s3',
  });
  assert.ok(!err.message.includes('s3cr3t'), err.message);
});

test('AMQP_URL that is not a URL fails naming AMQP_URL', () => {
  const err = configError({ AMQP_URL: 'not a url' });
  assert.match(err.message, /AMQP_URL="not a url" is invalid: expected a URL/);
});

test('LOG_LEVEL=loud fails listing the allowed values', () => {
  const err = configError({ LOG_LEVEL: 'loud' });
  assert.match(err.message, /LOG_LEVEL="loud" is invalid/);
  for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
    assert.ok(err.message.includes(level), `${level} listed`);
  }
  assert.ok(err.message.includes('one of fatal, error, warn, info, debug, trace, silent'), err.message);
  // Case matters: pino levels are lower case.
  assert.match(configError({ LOG_LEVEL: 'INFO' }).message, /LOG_LEVEL="INFO"/);
});

test('MESSAGING_RETRY_DELAYS_MS parses a comma-separated list of whole numbers', () => {
  assert.deepEqual(
    loadConfig({ MESSAGING_RETRY_DELAYS_MS: '100,200,300' }).MESSAGING_RETRY_DELAYS_MS,
    [100, 200, 300],
  );
  assert.deepEqual(loadConfig({ MESSAGING_RETRY_DELAYS_MS: ' 5 , 10 ' }).MESSAGING_RETRY_DELAYS_MS, [5, 10]);
  assert.deepEqual(loadConfig({ MESSAGING_RETRY_DELAYS_MS: '42' }).MESSAGING_RETRY_DELAYS_MS, [42]);
  assert.deepEqual(loadConfig({ MESSAGING_RETRY_DELAYS_MS: '0' }).MESSAGING_RETRY_DELAYS_MS, [0]);
  for (const bad of ['100,,200', '100,', 'a,b', '-5', '1.5', '100;200']) {
    const err = configError({ MESSAGING_RETRY_DELAYS_MS: bad });
    assert.match(
      err.message,
      /MESSAGING_RETRY_DELAYS_MS=.* is invalid: expected comma-separated whole numbers/,
      bad,
    );
  }
});

test('databaseUrlFor prefers the per-service variable over DATABASE_URL', () => {
  const env = {
    DATABASE_URL: 'postgres://db/common',
    PARTNER_API_DATABASE_URL: 'postgres://db/partner',
    SHOP_DATABASE_URL: 'postgres://db/shop',
  };
  assert.equal(databaseUrlFor('partner-api', env), 'postgres://db/partner');
  assert.equal(databaseUrlFor('shop', env), 'postgres://db/shop');
  assert.equal(databaseUrlFor('crm', env), 'postgres://db/common');
  assert.equal(
    databaseUrlFor('partner-api', { DATABASE_URL: 'postgres://db/common' }),
    'postgres://db/common',
  );
  assert.equal(
    databaseUrlFor('partner-api', { DATABASE_URL: 'postgres://db/common', PARTNER_API_DATABASE_URL: '' }),
    'postgres://db/common',
  );
  assert.equal(databaseUrlFor('partner-api', {}), undefined);
  assert.equal(databaseUrlFor('partner-api', { DATABASE_URL: '' }), undefined);
});

test('databaseUrlFor rejects a per-service URL that is not a URL, naming it', () => {
  assert.throws(
    () => databaseUrlFor('partner-api', { PARTNER_API_DATABASE_URL: 'db at localhost' }),
    (err: unknown) => err instanceof ConfigError && /^PARTNER_API_DATABASE_URL=/.test(err.message),
  );
});
