import type { Writable } from 'node:stream';

/** Sockets already coalescing (a pool hands the same connection out many times). */
const coalescing = new WeakSet<Writable>();

/**
 * Makes every write a socket receives in one tick leave in a single system call.
 *
 * node-postgres writes each statement to its socket as it is issued (corked only around that
 * statement's own Parse/Bind/Execute/Sync), and amqplib writes each frame of a publish or an ack
 * on its own (a publish is three). On a pipelined connection a batch's handlers issue dozens of
 * statements in one tick, and each became its own write: CPU profiles at saturation put 20–30%
 * of every service's CPU in `writev`/`write` on loopback. Neither library can be told to batch
 * its writes, so it is done here, on their socket: the first write of a tick corks it and the
 * next tick uncorks it, so a tick's writes go out together with no delay beyond the tick.
 * Writable.cork nests, so the libraries' own cork/uncork pairs keep working inside ours.
 */
export function coalesceWrites(socket: Writable | undefined): void {
  if (!socket || coalescing.has(socket) || typeof socket.cork !== 'function') return;
  coalescing.add(socket);
  const write = socket.write;
  let held = false;
  const release = () => {
    held = false;
    socket.uncork();
  };
  socket.write = function (this: Writable, ...args: Parameters<Writable['write']>) {
    if (!held && !socket.destroyed) {
      held = true;
      socket.cork();
      process.nextTick(release);
    }
    return write.apply(this, args);
  } as Writable['write'];
}

/**
 * coalesceWrites on a client library's socket: node-postgres's Client and amqplib's connection
 * both keep it at `connection.stream` (neither library's types say so, but both have since
 * their first releases). Anything else is left as it is.
 */
export function coalesceConnectionWrites(client: object): void {
  coalesceWrites((client as { connection?: { stream?: Writable } }).connection?.stream);
}
