/**
 * Fault injection for tests and drills, per process: an administrator flips these through
 * `PUT /api/<service>/faults` to watch the tracker notice (see the README). All off by default.
 */
export interface Faults {
  /** The consumer fails every message of this type: retried, then dead-lettered. */
  failEventType: string | null;
  /** The consumer acknowledges every message of this type without handling it: a lost message. */
  dropEventType: string | null;
}

export function noFaults(): Faults {
  return { failEventType: null, dropEventType: null };
}

export class InjectedFaultError extends Error {
  override readonly name = 'InjectedFaultError';
}
