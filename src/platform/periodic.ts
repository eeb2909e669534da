import type { Logger } from 'pino';

/**
 * Runs `work` every `intervalMs` (counted from the end of the previous run, so runs never
 * overlap) until the returned stop is called, which waits for a run in flight. A failing run is
 * logged as `what failed` and the next one comes on time.
 */
export function runEvery(
  intervalMs: number,
  work: () => Promise<unknown>,
  logger: Logger,
  what: string,
): () => Promise<void> {
  let running = true;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();
  const tick = () => {
    inFlight = work()
      .catch((err: unknown) => logger.warn({ err }, `${what} failed; trying again`))
      .finally(() => {
        if (running) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return async () => {
    running = false;
    clearTimeout(timer);
    await inFlight;
  };
}
