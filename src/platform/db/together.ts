/**
 * Statements sent together instead of one after the other. On a pipelined connection (see
 * pg.ts) every statement goes out as soon as it is issued and the server runs them in the order
 * they were issued, so a later one sees what an earlier one wrote in the same transaction; the
 * caller waits for one round trip instead of one per statement, and the round trip is most of
 * what a short statement costs. Each promise passed in must already have issued all of its
 * statements (one statement, or its own `together`), or a later one could overtake it.
 *
 * Unlike Promise.all it waits for every statement to settle before it fails, so none is still
 * running when the caller's transaction rolls back and its connection goes back to the pool.
 */
export async function together<T extends readonly unknown[]>(
  ...work: { [K in keyof T]: Promise<T[K]> }
): Promise<T> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
