import type { Logger } from 'pino';

/** How long a start-up step may take before the process says what it is waiting for. */
export const SLOW_STEP_MS = 10_000;

/**
 * Awaits `work`, and while it has not settled, logs a warning every `everyMs` naming the step
 * and how long it has waited. A service that hangs while starting (a broker slow to declare its
 * queues, a migration waiting on a lock) otherwise shows only a health check that never answers.
 */
export async function reportIfSlow<T>(
  logger: Logger,
  step: string,
  work: Promise<T>,
  everyMs = SLOW_STEP_MS,
): Promise<T> {
  const started = Date.now();
  const timer = setInterval(
    () =>
      logger.warn(
        { step, waitedMs: Date.now() - started },
        `still ${step} after ${Math.round((Date.now() - started) / 1000)} s`,
      ),
    everyMs,
  );
  timer.unref();
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
