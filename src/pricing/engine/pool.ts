/**
 * The worker-thread pool (piscina) with the failure rules pricing needs: a task that crashes
 * its worker or runs past the time limit is retried on a fresh worker, a bounded number of
 * times; a problem with the model itself is not retried (it would fail the same way).
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import createError from '@fastify/error';
import { isModelErrorData, type WorkerFault, type WorkerResult, type WorkerTask } from './tasks.js';

export interface PoolOptions {
  /** Worker threads; default: one per core. */
  threads?: number;
  /** A task running longer is aborted (its worker terminated) and retried. */
  taskTimeoutMs: number;
  /** Tries per task, the first included. */
  attempts: number;
  /** Fault injection for tests and drills: every task crashes or hangs. */
  fault?: () => WorkerFault | undefined;
}

/** Args: what failed, tries, last reason. Staff see it on the order: it is not the customer's fault. */
export const PricingWorkFailedError = createError<'PRICING_WORK_FAILED', 503, [string, number, string]>(
  'PRICING_WORK_FAILED',
  'Pricing could not finish %s after %d tries (%s); staff have been told, try again later.',
  503,
);

/** A model error that happened in a worker, rebuilt with its code and status on this side. */
export class WorkerModelError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export class PricingPool {
  private readonly piscina: Piscina;
  readonly threads: number;
  /** Tasks retried after a crash or timeout, for metrics and tests. */
  retries = 0;

  constructor(private readonly o: PoolOptions) {
    this.threads = o.threads ?? Math.max(1, availableParallelism());
    this.piscina = new Piscina({
      filename: new URL('./worker.js', import.meta.url).href,
      minThreads: Math.min(1, this.threads),
      maxThreads: this.threads,
      idleTimeout: 30_000,
      // Large models are the point; keep room above V8's default young generation.
      resourceLimits: { maxOldGenerationSizeMb: 2048 },
    });
  }

  async run<T extends WorkerResult>(
    task: WorkerTask,
    what: string,
  ): Promise<Exclude<T, { modelError: unknown }>> {
    let last = 'unknown error';
    for (let attempt = 1; attempt <= this.o.attempts; attempt++) {
      const fault = this.o.fault?.();
      const signal = AbortSignal.timeout(this.o.taskTimeoutMs);
      try {
        const result = (await this.piscina.run(fault ? { ...task, fault } : task, {
          signal,
        })) as WorkerResult;
        if (isModelErrorData(result)) {
          const e = result.modelError;
          throw new WorkerModelError(e.code, e.statusCode, e.message);
        }
        return result as Exclude<T, { modelError: unknown }>;
      } catch (err) {
        if (err instanceof WorkerModelError) throw err;
        last = signal.aborted
          ? `a worker ran past the ${this.o.taskTimeoutMs} ms limit`
          : `a worker failed: ${(err as Error).message}`;
        if (attempt < this.o.attempts) this.retries++;
      }
    }
    throw new PricingWorkFailedError(what, this.o.attempts, last);
  }

  /** Figures for the worker-pool gauges. */
  stats(): { threads: number; queued: number; utilization: number } {
    return {
      threads: this.piscina.threads.length,
      queued: this.piscina.queueSize,
      utilization: this.piscina.utilization,
    };
  }

  async close(): Promise<void> {
    await this.piscina.destroy();
  }
}
