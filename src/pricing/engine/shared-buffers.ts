/**
 * SharedArrayBuffers kept from one model to the next. Pricing a 1M-triangle binary STL needs
 * 36 MB for the positions the workers write (and 50 MB for its bytes when an upload must be
 * copied into shared memory); fresh each time, every 4 KB page of them is a page fault the
 * kernel answers by zeroing the page, tens of ms of CPU per model on top of the work, and the
 * memory traffic of two pricing processes on one machine then gets in each other's way.
 * Reused, they cost nothing after the first model.
 *
 * A buffer goes back only when nothing reads or writes it any more (every task of its model
 * settled). Idle buffers are dropped after a while, so a quiet service holds no large memory.
 */

/** Sizes round up to this, so one buffer serves models of about the same size. */
const GRAIN = 1 << 20;

export class SharedBufferPool {
  private free: SharedArrayBuffer[] = [];
  private readonly mine = new WeakSet<SharedArrayBuffer>();
  private dropTimer: NodeJS.Timeout | undefined;

  constructor(
    /** Buffers kept at most (a job holds two; one job per thread runs at a time). */
    private readonly maxKept: number,
    private readonly idleMs = 30_000,
  ) {}

  /** A buffer of at least `bytes`: the smallest free one that fits, or a new one. */
  take(bytes: number): SharedArrayBuffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const len = this.free[i]!.byteLength;
      if (len >= bytes && (best < 0 || len < this.free[best]!.byteLength)) best = i;
    }
    if (best >= 0) return this.free.splice(best, 1)[0]!;
    const buffer = new SharedArrayBuffer(Math.ceil(Math.max(bytes, 1) / GRAIN) * GRAIN);
    this.mine.add(buffer);
    return buffer;
  }

  /** Hands a buffer back for the next model; the caller must not touch it any more. */
  give(buffer: SharedArrayBuffer): void {
    if (!this.mine.has(buffer) || this.free.includes(buffer)) return; // not ours, or given twice
    this.free.push(buffer);
    // Over the limit: keep the largest, which serve any model the smaller ones would.
    if (this.free.length > this.maxKept) {
      this.free.sort((a, b) => b.byteLength - a.byteLength);
      this.free.length = this.maxKept;
    }
    clearTimeout(this.dropTimer);
    this.dropTimer = setTimeout(() => (this.free = []), this.idleMs);
    this.dropTimer.unref();
  }

  /** Bytes held for reuse (for tests and the pool's metrics). */
  get keptBytes(): number {
    return this.free.reduce((n, b) => n + b.byteLength, 0);
  }
}
