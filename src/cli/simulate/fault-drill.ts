import type { ApiClient } from './client.js';

/**
 * `simulate --faults`: a drill that breaks things on purpose while orders flow, then checks that
 * every order that did not finish has an open incident in the tracker saying where it stopped.
 *
 * - Stage deadlines are shortened (restored afterwards), so a stuck order is late in seconds.
 * - From a third of the placements until shortly after the last: the MES drops every approval
 *   it receives (a lost message: the tracker's reconciliation must notice); from its first
 *   dropped approval (or the last placement, if none came by then), the CRM fails every price
 *   it receives (retried, then dead-lettered). One after the other, so some orders are approved
 *   and then lost whatever the machine's pace: switched on together, a platform running behind
 *   fails every price before the CRM approves anything, and nothing is there to lose.
 */
export interface FaultDrillOptions {
  /** Base URLs (with their /api/<service> prefix) of the services whose switches are flipped. */
  mes: string;
  crm: string;
  tracker: string;
  adminToken: string;
  /** The shortened stage deadline, in seconds. */
  deadlineSeconds: number;
}

export interface DrillReport {
  faults: string[];
  notFinished: number;
  explained: number;
  unexplained: number;
  unexplainedSamples: string[];
  incidentsByKind: Record<string, number>;
}

interface Deadline {
  status: string;
  channel: string;
  seconds: number | null;
  workingDays: number | null;
}

const FAULTS = [
  { service: 'mes', switch: 'dropEventType', type: 'order.manufacturing_approved.v1' },
  { service: 'crm', switch: 'failEventType', type: 'order.price_calculated.v1' },
] as const;

export class FaultDrill {
  private saved: Deadline[] = [];
  private readonly admin: Record<string, string>;

  constructor(
    private readonly api: ApiClient,
    private readonly o: FaultDrillOptions,
  ) {
    this.admin = { authorization: `Bearer ${o.adminToken}` };
  }

  private async must(method: 'GET' | 'PUT', url: string, body?: unknown): Promise<unknown> {
    const r = await this.api.call<{ message?: string }>(method, url, body, this.admin);
    if (r.status >= 300)
      throw new Error(`fault drill: ${method} ${url} answered ${r.status}: ${r.body?.message ?? ''}`);
    return r.body;
  }

  /** Shortens every stage deadline for the drill (the current ones are kept to restore). */
  async prepare(): Promise<void> {
    this.saved = ((await this.must('GET', `${this.o.tracker}/deadlines`)) as { items: Deadline[] }).items;
    for (const d of this.saved)
      await this.must('PUT', `${this.o.tracker}/deadlines`, {
        status: d.status,
        channel: d.channel,
        seconds: this.o.deadlineSeconds,
      });
  }

  private async setFault(f: (typeof FAULTS)[number], on: boolean): Promise<void> {
    await this.must('PUT', `${f.service === 'mes' ? this.o.mes : this.o.crm}/faults`, {
      [f.switch]: on ? f.type : null,
    });
  }

  /** Messages the MES's consumer has dropped on purpose so far. */
  private async mesDropped(): Promise<number> {
    const health = (await this.must('GET', `${this.o.mes}/health`)) as { consumer?: { dropped?: number } };
    return health.consumer?.dropped ?? 0;
  }

  /**
   * Switches the MES fault on, then the CRM's once the MES has dropped an approval or
   * `placedAll` resolves (the last order placed), whichever comes first. Resolves when both are on.
   */
  async startFaults(placedAll: Promise<void>): Promise<void> {
    const [mes, crm] = FAULTS;
    const before = await this.mesDropped();
    await this.setFault(mes, true);
    let placed = false;
    void placedAll.then(() => (placed = true));
    while (!placed && (await this.mesDropped()) === before) await new Promise((r) => setTimeout(r, 100));
    await this.setFault(crm, true);
  }

  async setFaults(on: boolean): Promise<void> {
    for (const f of FAULTS) await this.setFault(f, on);
  }

  /**
   * Waits (up to `waitMs`) until every order that did not finish has an open incident; ended
   * orders (rejected, cancelled) explain themselves.
   */
  async explain(orders: { id: string; status: string | undefined }[], waitMs: number): Promise<DrillReport> {
    const stuck = orders.filter((o) => o.status !== 'REJECTED' && o.status !== 'CANCELLED');
    const kinds: Record<string, number> = {};
    let unexplained = stuck.map((o) => o.id);
    const end = Date.now() + waitMs;
    do {
      const still: string[] = [];
      for (const id of unexplained) {
        const r = await this.api.call<{ items: { kind: string }[] }>(
          'GET',
          `${this.o.tracker}/incidents?state=open&orderId=${id}`,
        );
        if (r.status === 200 && r.body.items.length > 0)
          for (const i of r.body.items) kinds[i.kind] = (kinds[i.kind] ?? 0) + 1;
        else still.push(id);
      }
      unexplained = still;
      if (unexplained.length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 1000));
    } while (unexplained.length > 0 && Date.now() < end);
    return {
      faults: FAULTS.map((f) => `${f.service} ${f.switch === 'dropEventType' ? 'drops' : 'fails'} ${f.type}`),
      notFinished: orders.length,
      explained: orders.length - unexplained.length,
      unexplained: unexplained.length,
      unexplainedSamples: unexplained.slice(0, 10),
      incidentsByKind: kinds,
    };
  }

  /** Faults off and the deadlines as they were. */
  async restore(): Promise<void> {
    await this.setFaults(false);
    for (const d of this.saved)
      await this.must('PUT', `${this.o.tracker}/deadlines`, {
        status: d.status,
        channel: d.channel,
        ...(d.seconds !== null ? { seconds: d.seconds } : {}),
        ...(d.workingDays !== null ? { workingDays: d.workingDays } : {}),
      });
  }
}
