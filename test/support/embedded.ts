import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'atelier-test-'));
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
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
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
