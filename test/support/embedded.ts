import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHost, type Host } from '../../src/cli/host.js';
import { SERVICES } from '../../src/cli/services.js';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';

export interface EmbeddedPlatform extends Host {
  dataDir: string;
  /** Stops the platform and deletes its data folder. */
  destroy(): Promise<void>;
}

/**
 * The whole platform in this process, as `atelier up` runs it: PGlite databases and the
 * embedded broker in a fresh temporary folder, on a free port.
 */
export async function startEmbedded(
  env: Record<string, string> = {},
  dataDir?: string,
): Promise<EmbeddedPlatform> {
  const dir = dataDir ?? (await freshDataDir());
  return startIn(dir, env, dataDir !== undefined);
}

/**
 * A new data folder with every embedded database already created and migrated, copied from a
 * template made once per set of migrations. PGlite takes 3-4 s to create a database (its initdb
 * runs in WASM on one thread) and the platform has seven: copying them takes a fraction of a
 * second, which saves minutes across the suite. The template is made by starting the platform
 * in an empty folder, so creating and migrating from nothing is still what it holds; a test
 * that must start from nothing passes its own folder.
 */
async function freshDataDir(): Promise<string> {
  const template = await templateDir();
  const dir = mkdtempSync(join(tmpdir(), 'atelier-test-'));
  cpSync(template, dir, { recursive: true });
  return dir;
}

let template: Promise<string> | undefined;
function templateDir(): Promise<string> {
  template ??= (async () => {
    const dir = join(tmpdir(), `atelier-embedded-template-${migrationsHash()}`);
    if (existsSync(dir)) return dir;
    const building = mkdtempSync(join(tmpdir(), 'atelier-template-building-'));
    const platform = await startIn(building, {}, true);
    await platform.stop();
    try {
      renameSync(building, dir); // atomic: another run never sees half a template
    } catch {
      rmSync(building, { recursive: true, force: true }); // another run made it first
    }
    return dir;
  })();
  return template;
}

/** Every SQL migration the platform ships (and PGlite's version): a change makes a new template. */
function migrationsHash(): string {
  const hash = createHash('sha256');
  const root = fileURLToPath(new URL('../../src/', import.meta.url));
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.sql')) hash.update(p).update(readFileSync(p));
    }
  };
  walk(root);
  hash.update(
    readFileSync(new URL('../../../node_modules/@electric-sql/pglite/package.json', import.meta.url)),
  );
  return hash.digest('hex').slice(0, 16);
}

async function startIn(
  dir: string,
  env: Record<string, string>,
  keepDir: boolean,
): Promise<EmbeddedPlatform> {
  const fullEnv = {
    ...process.env,
    AMQP_URL: '',
    DATABASE_URL: '',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    RELAY_POLL_MS: '100',
    MESSAGING_RETRY_DELAYS_MS: '50,100,200',
    ...env,
    DATA_DIR: dir,
  };
  const config = loadConfig(fullEnv);
  const host = await startHost({
    defs: Object.values(SERVICES),
    config,
    logger: createLogger(config.LOG_LEVEL),
    mode: 'embedded',
    web: true,
    seed: true,
    env: fullEnv,
  });
  return {
    ...host,
    dataDir: dir,
    async destroy() {
      await host.stop();
      if (!keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value (not undefined) or the time runs out. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`,
  );
}
