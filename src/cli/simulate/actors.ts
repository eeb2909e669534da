import { isForward, type OrderStatus } from '../../contracts/order-status.js';
import type { ApiClient, OrderBody } from './client.js';

/** Base URLs of each API; each read takes the next instance in turn when there are several. */
export interface Urls {
  readonly shop: string;
  readonly partner: string;
  readonly crm: string;
  readonly mes: string;
}

export function roundRobin(lists: Record<keyof Urls, string[]>): Urls {
  const next = (k: keyof Urls) => {
    let i = 0;
    return () => lists[k][i++ % lists[k].length] as string;
  };
  const shop = next('shop');
  const partner = next('partner');
  const crm = next('crm');
  const mes = next('mes');
  return {
    get shop() {
      return shop();
    },
    get partner() {
      return partner();
    },
    get crm() {
      return crm();
    },
    get mes() {
      return mes();
    },
  };
}

const operatorId = (i: number) => `sim-operator-${i}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Plays the people after the customer: a seller, K operators and the carrier, until told to stop. */
export class Staff {
  private running = true;
  private readonly shipped: string[] = [];
  private target: OrderStatus = 'CLOSED';
  private delivering = true;
  closedByCarrier = new Set<string>();
  approvals = 0;
  claims = 0;
  errors = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly urls: Urls,
    private readonly carrierToken: string,
  ) {}

  /** Registers the simulated operators in the MES (every skill, room for many orders). */
  async hire(operators: number, adminToken: string): Promise<void> {
    for (let i = 1; i <= operators; i++) {
      const r = await this.api.call<{ message?: string }>(
        'PUT',
        `${this.urls.mes}/operators/${operatorId(i)}`,
        {
          name: `Simulated operator ${i}`,
          skills: ['casting', 'stone_setting', 'engraving', 'polishing'],
          capacity: 100,
        },
        { authorization: `Bearer ${adminToken}` },
      );
      if (r.status !== 200 && r.status !== 201)
        throw new Error(
          `Registering operator ${operatorId(i)} failed (${r.status}): ${r.body.message ?? ''}`,
        );
    }
  }

  /**
   * Starts the people an order needs to reach the simulation's target, and no others. Operators
   * advance an order no further than the target, and hand parcels on only to a carrier.
   */
  start(roles: {
    seller: boolean;
    carrier: boolean;
    operators: number;
    target: OrderStatus;
  }): Promise<void>[] {
    this.target = roles.target;
    this.delivering = roles.carrier;
    return [
      ...(roles.seller ? [this.keepGoing(() => this.seller())] : []),
      ...(roles.carrier ? [this.keepGoing(() => this.carrier())] : []),
      ...Array.from({ length: roles.operators }, (_, i) =>
        this.keepGoing(() => this.operator(operatorId(i + 1))),
      ),
    ];
  }

  /** A person keeps working through a failed request (a reset connection, a non-JSON body). */
  private async keepGoing(work: () => Promise<void>): Promise<void> {
    while (this.running) {
      try {
        await work();
      } catch {
        this.errors++;
        await sleep(200);
      }
    }
  }

  stop(): void {
    this.running = false;
  }

  private async seller(): Promise<void> {
    while (this.running) {
      const r = await this.api.call<{ items: OrderBody[] }>(
        'GET',
        `${this.urls.crm}/orders?awaitingApproval=true&limit=100`,
      );
      const items = r.status === 200 ? r.body.items : [];
      await Promise.all(
        items.map(async (o) => {
          const a = await this.api.call('POST', `${this.urls.crm}/orders/${o.id}/approve`, {
            seller: 'sim-seller',
          });
          if (a.status === 200) this.approvals++;
        }),
      );
      if (items.length === 0) await sleep(150);
    }
  }

  private async operator(name: string): Promise<void> {
    while (this.running) {
      const c = await this.api.call<OrderBody>('POST', `${this.urls.mes}/queue/claim-next`, {
        operator: name,
      });
      if (c.status !== 200) {
        await sleep(100);
        continue;
      }
      this.claims++;
      let o = c.body;
      for (
        let stage = 0;
        stage < 3 && this.running && isForward(o.status as OrderStatus, this.target);
        stage++
      ) {
        const a = await this.api.call<OrderBody>('POST', `${this.urls.mes}/orders/${o.id}/advance`, {
          operator: name,
        });
        if (a.status !== 200) break;
        o = a.body;
      }
      if (this.delivering && o.status === 'SHIPPED' && o.trackingNumber) this.shipped.push(o.trackingNumber);
    }
  }

  /** Confirms deliveries; the CRM may learn of a shipment a moment after the MES, so it retries. */
  private async carrier(): Promise<void> {
    const auth = { authorization: `Bearer ${this.carrierToken}` };
    while (this.running) {
      const batch = this.shipped.splice(0, 64);
      if (batch.length === 0) {
        await sleep(100);
        continue;
      }
      const retry: string[] = [];
      await Promise.all(
        batch.map(async (trackingNumber) => {
          // A failed call keeps the parcel in the carrier's hands: it is confirmed on a later round.
          const r = await this.api
            .call<OrderBody>('POST', `${this.urls.crm}/carrier/deliveries`, { trackingNumber }, auth)
            .catch(() => undefined);
          if (r?.status === 200) this.closedByCarrier.add(r.body.id);
          else retry.push(trackingNumber);
        }),
      );
      if (retry.length > 0) {
        this.shipped.push(...retry);
        await sleep(100);
      }
    }
  }
}
