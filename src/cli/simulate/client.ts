import { Agent, request } from 'undici';

/** A small JSON client over undici with keep-alive; a simulation sends tens of thousands of requests. */
export class ApiClient {
  private readonly agent = new Agent({ connections: 64, pipelining: 1, keepAliveTimeout: 30_000 });
  errors = 0;

  async call<T>(
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T }> {
    const isBytes = body instanceof Uint8Array;
    const res = await request(url, {
      method,
      dispatcher: this.agent,
      headers: {
        ...(body === undefined ? {} : { 'content-type': isBytes ? 'model/stl' : 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : isBytes ? body : JSON.stringify(body),
    });
    const text = await res.body.text();
    const parsed = (text ? JSON.parse(text) : undefined) as T;
    if (res.statusCode >= 500) this.errors++;
    return { status: res.statusCode, body: parsed };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

export interface HistoryEntry {
  status: string;
  occurredAt: string;
}

export interface OrderBody {
  id: string;
  number: string;
  status: string;
  trackingNumber?: string | null;
  history?: HistoryEntry[];
  message?: string;
  code?: string;
}
