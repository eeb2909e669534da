/**
 * Reusable typed arrays for a loop that runs again and again on large inputs (the pricing
 * worker checks one model after another). A fresh 10 MB array costs a page fault per 4 KB the
 * first time it is touched (the kernel zeroing the page), and the garbage collector later
 * frees it: for a 1M-triangle model about 40 MB of that, a quarter of the topology check's
 * time, and memory traffic that two pricing processes on one machine then compete for. Arrays
 * from a scratch are views into buffers kept from one call to the next, grown when too small.
 *
 * A view is valid until the next `int32` call with the same name; whatever holds one must not
 * keep it past the computation that asked for it.
 */
export class Scratch {
  private readonly buffers = new Map<string, ArrayBuffer>();

  /** An Int32Array of `length` under `name`; zero-filled when `zeroed`, else with old contents. */
  int32(name: string, length: number, zeroed = false): Int32Array {
    let buf = this.buffers.get(name);
    if (!buf || buf.byteLength < length * 4) {
      // Some room above the request, so a slightly larger model does not allocate again.
      buf = new ArrayBuffer(Math.ceil(length * 1.25) * 4);
      this.buffers.set(name, buf);
      return new Int32Array(buf, 0, length); // a new buffer is zeroed already
    }
    const view = new Int32Array(buf, 0, length);
    if (zeroed) view.fill(0);
    return view;
  }
}
