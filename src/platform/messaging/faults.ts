/**
 * Fault injection for tests and drills, per process: an administrator flips these through
 * `PUT /api/<service>/faults` to watch the tracker notice (see the README). All off by default.
 */
export interface Faults {
  /** The consumer fails every message of this type: retried, then dead-lettered. */
  failEventType: string | null;
  /** The consumer acknowledges every message of this type without handling it: a lost message. */
  dropEventType: string | null;
  /** Every message of this type is handled twice, as a broker redelivering it would. */
  duplicateEventType: string | null;
  /** Messages of this type take `slowMs` longer (before their transaction: nothing is held). */
  slowEventType: string | null;
  slowMs: number;
  /** The relay cannot reach the broker: publishing fails and events wait in the outbox. */
  brokerUnreachable: boolean;
}

export function noFaults(): Faults {
  return {
    failEventType: null,
    dropEventType: null,
    duplicateEventType: null,
    slowEventType: null,
    slowMs: 0,
    brokerUnreachable: false,
  };
}

export class InjectedFaultError extends Error {
  override readonly name = 'InjectedFaultError';
}
