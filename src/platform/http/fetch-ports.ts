/**
 * Ports the Fetch standard blocks ("bad ports"): Node's fetch (undici), and every browser,
 * refuses to connect to them with a bare "fetch failed". A service given one can never be
 * reached by the health check, `simulate` or the other services, so a cluster skips them. The
 * list is the standard's (https://fetch.spec.whatwg.org/#bad-port); no package exports it.
 */
const BLOCKED = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104,
  109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515,
  526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
  3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

export function isFetchBlockedPort(port: number): boolean {
  return BLOCKED.has(port);
}

/** `count` ports from `from` upwards, in order, leaving out the blocked ones. */
export function usablePorts(from: number, count: number): number[] {
  const ports: number[] = [];
  for (let p = from; ports.length < count; p++) if (!isFetchBlockedPort(p)) ports.push(p);
  return ports;
}
