/**
 * Progress of the work on one model or order, for the people watching it: the engine publishes
 * each stage here and the SSE route streams it. In memory on purpose: progress is worth
 * something only while the work runs, and the final result is in the database. The last event
 * of each id is kept for a minute, so a watcher that connects late still sees where things are.
 */
import type { Progress } from './engine/engine.js';

export type ProgressEvent = Progress | { stage: 'done' } | { stage: 'failed'; message: string };

const KEEP_MS = 60_000;

export class ProgressHub {
  private readonly listeners = new Map<string, Set<(e: ProgressEvent) => void>>();
  private readonly last = new Map<string, { event: ProgressEvent; at: number }>();

  publish(id: string, event: ProgressEvent): void {
    this.last.set(id, { event, at: Date.now() });
    for (const l of this.listeners.get(id) ?? []) l(event);
    if (this.last.size > 10_000) this.prune();
  }

  /** Calls `listener` with the latest event at once (if any), then with each new one. */
  subscribe(id: string, listener: (e: ProgressEvent) => void): () => void {
    const set = this.listeners.get(id) ?? new Set();
    set.add(listener);
    this.listeners.set(id, set);
    const latest = this.last.get(id);
    if (latest && Date.now() - latest.at < KEEP_MS) listener(latest.event);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(id);
    };
  }

  private prune(): void {
    const cutoff = Date.now() - KEEP_MS;
    for (const [id, v] of this.last) if (v.at < cutoff) this.last.delete(id);
  }
}
