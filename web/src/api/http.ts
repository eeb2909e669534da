/** Minimal HTTP client: JSON requests, the API's error body turned into ApiError, and an upload with progress. */

export class ApiError extends Error {
  readonly status: number;
  readonly code: string | undefined;

  constructor(message: string, status: number, code?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** The text to show a person for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  return 'Something went wrong.';
}

export function isAbortError(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

function toApiError(status: number, statusText: string, bodyText: string): ApiError {
  try {
    const body: unknown = JSON.parse(bodyText);
    if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string') {
      const code = 'code' in body && typeof body.code === 'string' ? body.code : undefined;
      return new ApiError(body.message, status, code);
    }
  } catch {
    // Not JSON (a proxy error page, for instance): fall through to the status line.
  }
  return new ApiError(`Request failed: ${status} ${statusText}`.trim(), status);
}

function parseJson<T>(text: string, status: number): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError('The server sent an answer that is not JSON.', status);
  }
}

/** Builds `path?a=1&b=2`, leaving out empty parameters. */
export function withQuery(
  path: string,
  params: Record<string, string | number | boolean | undefined>,
): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

async function request<T>(
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  body?: unknown,
  signal?: AbortSignal,
  headers: Record<string, string> = {},
): Promise<T> {
  const init: RequestInit = {
    method,
    headers: { Accept: 'application/json', ...headers },
    signal: signal ?? null,
  };
  if (method !== 'GET') {
    init.headers = { Accept: 'application/json', 'Content-Type': 'application/json', ...headers };
    // Always send a JSON object: Fastify rejects an empty body declared as JSON.
    init.body = JSON.stringify(body ?? {});
  }
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw new ApiError('Could not reach the server. Check the connection and try again.', 0);
  }
  const text = await response.text();
  if (!response.ok) throw toApiError(response.status, response.statusText, text);
  return parseJson<T>(text, response.status);
}

export function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return request<T>('GET', url, undefined, signal);
}

/** The raw bytes at `url` (a model file, for instance). */
export async function getBytes(url: string, signal?: AbortSignal): Promise<ArrayBuffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: signal ?? null });
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw new ApiError('Could not reach the server. Check the connection and try again.', 0);
  }
  if (!response.ok) throw toApiError(response.status, response.statusText, await response.text());
  return response.arrayBuffer();
}

/** `headers` carry, for instance, an administrator's `Authorization: Bearer …`. */
export function postJson<T>(url: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
  return request<T>('POST', url, body, undefined, headers);
}

export function putJson<T>(url: string, body: unknown, headers?: Record<string, string>): Promise<T> {
  return request<T>('PUT', url, body, undefined, headers);
}

/**
 * Sends raw bytes with XMLHttpRequest (fetch cannot report upload progress).
 * `onProgress` receives a fraction between 0 and 1.
 */
export function sendBinary<T>(
  method: 'PUT' | 'POST',
  url: string,
  data: Blob,
  onProgress: (fraction: number) => void,
  headers: Record<string, string> = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('Accept', 'application/json');
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(toApiError(xhr.status, xhr.statusText, xhr.responseText));
        return;
      }
      onProgress(1);
      try {
        resolve(parseJson<T>(xhr.responseText, xhr.status));
      } catch (err) {
        reject(err);
      }
    };
    xhr.onerror = () => reject(new ApiError('The upload failed: could not reach the server.', 0));
    xhr.onabort = () => reject(new ApiError('The upload was interrupted.', 0));
    xhr.send(data);
  });
}

export function putBinary<T>(url: string, data: Blob, onProgress: (fraction: number) => void): Promise<T> {
  return sendBinary<T>('PUT', url, data, onProgress);
}
