/**
 * Helpers for the API tests: a small fetch client and the assertion every rejected request
 * must pass (status, the documented error shape, a named code and a message that helps).
 */
import assert from 'node:assert/strict';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  body: T;
}

export interface Send {
  /** A JSON value (serialized with Content-Type: application/json) or raw bytes/text. */
  json?: unknown;
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
}

export type Client = <T = Record<string, unknown>>(
  method: string,
  path: string,
  send?: Send,
) => Promise<Answer<T>>;

export function client(baseUrl: string): Client {
  return async <T>(method: string, path: string, send: Send = {}) => {
    const headers: Record<string, string> = { ...send.headers };
    let body: string | Uint8Array | undefined = send.raw;
    if (send.json !== undefined) {
      body = JSON.stringify(send.json);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text so a failing assertion shows it
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  };
}

export interface ErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
}

/**
 * Asserts a rejection: `status`, exactly the keys `{ statusCode, code, error, message }`,
 * the named `code`, and a message that contains every string in `mentions` (the offending
 * field, value or what to send instead).
 */
export function assertError(
  res: Answer<unknown>,
  status: number,
  code: string,
  ...mentions: string[]
): ErrorBody {
  const shown = JSON.stringify(res.body);
  assert.equal(res.status, status, `expected HTTP ${status} ${code}, got ${res.status}: ${shown}`);
  assert.ok(res.body && typeof res.body === 'object', `error body is not JSON: ${shown}`);
  const body = res.body as ErrorBody;
  assert.deepEqual(Object.keys(body).sort(), ['code', 'error', 'message', 'statusCode'], shown);
  assert.equal(body.statusCode, status, shown);
  assert.equal(body.code, code, shown);
  assert.equal(typeof body.error, 'string');
  assert.ok(body.error.length > 0, shown);
  assert.equal(typeof body.message, 'string');
  assert.ok(body.message.length >= 20, `message too short to help anyone: ${shown}`);
  for (const m of mentions)
    assert.ok(body.message.includes(m), `message should mention '${m}': ${body.message}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return body;
}

export const CUSTOMER = { name: 'Ada Lovelace', email: 'ada@example.com' };
