/**
 * A real streaming read replica of the local PostgreSQL server, for the tests of reads that go
 * to a replica: pg_basebackup of the whole server into a temporary folder, started as a hot
 * standby on a free port. Like the other servers (servers.ts), it is required: anything missing
 * fails the test with a message saying what and how to fix it, never a skip.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { PG_ADMIN_URL, requireServer } from './servers.js';

const run = promisify(execFile);

export interface Replica {
  port: number;
  /** URL of a database on the replica (same names as on the primary). */
  url(database: string): string;
  /**
   * Waits until the replica has replayed everything the primary had written when this was
   * called, so a test reads its own writes through the replica deterministically.
   */
  waitForReplay(primaryUrl?: string, timeoutMs?: number): Promise<void>;
  /** Fast shutdown and removal of the folder; safe to call twice. */
  stop(): Promise<void>;
}

/** The line that lets pg_basebackup and the standby stream WAL from this machine. */
const REPLICATION_RULE = 'host replication all 127.0.0.1/32 trust';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** The server's own binaries: pg_basebackup must speak its protocol version. */
async function binDir(major: number): Promise<string> {
  const debian = `/usr/lib/postgresql/${major}/bin`;
  if (existsSync(join(debian, 'pg_basebackup'))) return debian;
  const fromConfig = await run('pg_config', ['--bindir'])
    .then((r) => r.stdout.trim())
    .catch(() => '');
  if (fromConfig && existsSync(join(fromConfig, 'pg_basebackup'))) return fromConfig;
  throw new Error(
    `pg_basebackup for PostgreSQL ${major} was not found (looked in ${debian} and \`pg_config --bindir\`); the read-replica tests need the server's client binaries (Debian: postgresql-${major}).`,
  );
}

/**
 * pg_hba.conf decides who may open a replication connection, and the test machine's server
 * has no such line (its "all" rules do not cover replication). It gets one, with the same trust
 * for 127.0.0.1 as its other lines, added once and kept: later runs find it and change nothing.
 */
async function allowReplication(admin: pg.Client): Promise<void> {
  const hba = (await admin.query<{ hba_file: string }>('SHOW hba_file')).rows[0]?.hba_file ?? '';
  if (!existsSync(hba))
    throw new Error(
      `The read-replica tests need PostgreSQL on this machine: its pg_hba.conf (${hba}) is not here. Add "${REPLICATION_RULE}" to the server's pg_hba.conf by hand.`,
    );
  const text = readFileSync(hba, 'utf8');
  const present = text
    .split('\n')
    .some((l) => l.split('#')[0]?.trim().split(/\s+/).join(' ') === REPLICATION_RULE);
  if (present) return;
  try {
    writeFileSync(
      hba,
      `${text.endsWith('\n') ? text : `${text}\n`}# Added by Atelier's read-replica tests: pg_basebackup and the standby stream WAL over 127.0.0.1.\n${REPLICATION_RULE}\n`,
    );
  } catch (err) {
    throw new Error(
      `Cannot add "${REPLICATION_RULE}" to ${hba} (${(err as Error).message}); add it by hand and run SELECT pg_reload_conf().`,
      { cause: err },
    );
  }
  await admin.query('SELECT pg_reload_conf()');
}

interface PrimaryFacts {
  major: number;
  /** Settings a hot standby needs at least as high as its primary's, or it refuses to start. */
  standbyMinimums: Record<string, string>;
}

async function inspectPrimary(primaryUrl: string): Promise<PrimaryFacts> {
  const admin = new pg.Client({ connectionString: primaryUrl });
  await admin.connect();
  try {
    const settings = Object.fromEntries(
      (
        await admin.query<{ name: string; setting: string }>(
          `SELECT name, setting FROM pg_settings WHERE name IN ('server_version_num', 'wal_level',
             'max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions',
             'max_locks_per_transaction')`,
        )
      ).rows.map((r) => [r.name, r.setting]),
    );
    if (!['replica', 'logical'].includes(settings.wal_level ?? ''))
      throw new Error(
        `PostgreSQL has wal_level=${settings.wal_level}; a streaming replica needs replica or logical (ALTER SYSTEM SET wal_level = replica, then restart the server).`,
      );
    if (Number(settings.max_wal_senders ?? 0) < 1)
      throw new Error(
        'PostgreSQL has max_wal_senders=0; a streaming replica needs at least 1 (ALTER SYSTEM SET max_wal_senders = 10, then restart the server).',
      );
    await allowReplication(admin);
    const { server_version_num, wal_level: _, ...standbyMinimums } = settings;
    return { major: Math.floor(Number(server_version_num) / 10000), standbyMinimums };
  } finally {
    await admin.end();
  }
}

/** The postgres OS account when we are root: PostgreSQL refuses to run as root. */
async function serverAccount(): Promise<{ uid: number; gid: number; prefix: string[] } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
  try {
    return { uid: await id('-u'), gid: await id('-g'), prefix: ['runuser', '-u', 'postgres', '--'] };
  } catch {
    throw new Error('Running as root, the replica must run as the "postgres" OS user, which does not exist.');
  }
}

async function runAs(prefix: string[] | undefined, bin: string, args: string[]): Promise<void> {
  const [cmd, ...rest] = prefix ? [...prefix, bin, ...args] : [bin, ...args];
  try {
    await run(cmd as string, rest, { timeout: 120_000 });
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`${bin.split('/').pop()} failed: ${e.stderr?.trim() || e.message}`, { cause: err });
  }
}

/** Starts a hot standby of the server at primaryUrl (default: the tests' local PostgreSQL). */
export async function startReplica(primaryUrl: string = PG_ADMIN_URL): Promise<Replica> {
  await requireServer('PostgreSQL', primaryUrl);
  const primary = new URL(primaryUrl);
  const facts = await inspectPrimary(primaryUrl);
  const bin = await binDir(facts.major);
  const account = await serverAccount();

  const dir = mkdtempSync(join(tmpdir(), 'atelier-replica-'));
  const data = join(dir, 'data');
  const log = join(dir, 'replica.log');
  if (account) chownSync(dir, account.uid, account.gid);
  chmodSync(dir, 0o700);
  const logTail = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-30).join('\n') : '');
  const pgCtl = (...args: string[]) => runAs(account?.prefix, join(bin, 'pg_ctl'), ['-D', data, ...args]);

  let running = false;
  // If the test process exits without stop() (a crash, process.exit), the standby must not
  // outlive it: 'exit' handlers run synchronously, hence spawnSync.
  const emergencyStop = () => {
    if (!running) return;
    const [cmd, ...rest] = [
      ...(account?.prefix ?? []),
      join(bin, 'pg_ctl'),
      '-D',
      data,
      'stop',
      '-m',
      'immediate',
    ];
    spawnSync(cmd as string, rest, { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', emergencyStop);

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      try {
        if (running) await pgCtl('stop', '-m', 'fast', '-w');
      } finally {
        running = false;
        process.off('exit', emergencyStop);
        rmSync(dir, { recursive: true, force: true });
      }
    })());

  try {
    // -R writes standby.signal and primary_conninfo; -X stream copies the WAL written meanwhile;
    // a fast checkpoint starts the copy at once instead of after a spread checkpoint. No
    // replication slot: one left behind by a killed test would keep WAL on the primary forever.
    await runAs(account?.prefix, join(bin, 'pg_basebackup'), [
      '-h',
      primary.hostname,
      '-p',
      primary.port || '5432',
      '-U',
      decodeURIComponent(primary.username || 'postgres'),
      '-D',
      data,
      '-X',
      'stream',
      '-R',
      '-c',
      'fast',
      '--no-sync',
    ]);
    const port = await freePort();
    // Debian keeps postgresql.conf and pg_hba.conf in /etc, so the copy has neither: the
    // standby gets its own, small and local, with the limits hot standby requires.
    const conf = [
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dir}'`,
      'hot_standby = on',
      // Replica queries are not cancelled by the primary's vacuum while a test reads.
      'hot_standby_feedback = on',
      "shared_buffers = '16MB'",
      'fsync = off',
      'ssl = off',
      ...Object.entries(facts.standbyMinimums).map(([k, v]) => `${k} = ${v}`),
      '',
    ].join('\n');
    const files: [string, string][] = [
      ['postgresql.conf', conf],
      ['pg_hba.conf', 'local all all trust\nhost all all 127.0.0.1/32 trust\n'],
      ['pg_ident.conf', ''],
    ];
    for (const [name, text] of files) {
      writeFileSync(join(data, name), text, { mode: 0o600 });
      if (account) chownSync(join(data, name), account.uid, account.gid);
    }
    await pgCtl('start', '-w', '-t', '60', '-l', log);
    running = true;

    const url = (database: string) => {
      const u = new URL(primaryUrl);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      u.pathname = `/${database}`;
      return u.toString();
    };
    const end = Date.now() + 30_000;
    for (;;) {
      const inRecovery = await queryOne<{ r: boolean }>(
        url('postgres'),
        'SELECT pg_is_in_recovery() AS r',
      ).catch(() => undefined);
      if (inRecovery?.r === true) break;
      if (inRecovery?.r === false)
        throw new Error('The replica started but is not in recovery (not a standby).');
      if (Date.now() > end) throw new Error('The replica did not accept connections within 30 s.');
      await new Promise((r) => setTimeout(r, 100));
    }

    return {
      port,
      url,
      async waitForReplay(fromUrl = primaryUrl, timeoutMs = 30_000) {
        const target = await queryOne<{ lsn: string }>(fromUrl, 'SELECT pg_current_wal_lsn()::text AS lsn');
        const until = Date.now() + timeoutMs;
        for (;;) {
          const r = await queryOne<{ done: boolean; at: string | null }>(
            url('postgres'),
            'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done, pg_last_wal_replay_lsn()::text AS at',
            [target?.lsn],
          );
          if (r?.done) return;
          if (Date.now() > until)
            throw new Error(
              `The replica replayed up to ${r?.at}, not ${target?.lsn}, within ${timeoutMs} ms. Its log:\n${logTail()}`,
            );
          await new Promise((res) => setTimeout(res, 20));
        }
      },
      stop,
    };
  } catch (err) {
    const tail = logTail();
    await stop().catch(() => undefined);
    throw new Error(
      `Could not start the read replica: ${(err as Error).message}${tail ? `\nIts log:\n${tail}` : ''}`,
      { cause: err },
    );
  }
}

async function queryOne<T>(url: string, sql: string, params: unknown[] = []): Promise<T | undefined> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows[0] as T | undefined;
  } finally {
    await c.end();
  }
}
