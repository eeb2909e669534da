/** Pricing service, `/api/pricing`: model upload and analysis, its progress, price list, quotes. */
import { getJson, postJson, sendBinary, withQuery } from './http';
import type { ModelInfo, PriceList, ProgressEvent, Quote, StoneChoice, Units } from './types';

const BASE = '/api/pricing';

/** How long an upload waits for the progress stream to open before it starts anyway. */
const OPEN_TIMEOUT_MS = 2000;

export function getPriceList(signal?: AbortSignal): Promise<PriceList> {
  return getJson<PriceList>(`${BASE}/price-list`, signal);
}

/**
 * Uploads a model file for analysis. With a `progressId` the server reports its work on
 * `GET /progress/<progressId>` (open that stream first, see `watchProgress`).
 */
export function uploadModel(
  file: Blob,
  options: { filename: string; units: Units; progressId?: string },
  onProgress: (fraction: number) => void,
): Promise<ModelInfo> {
  const url = withQuery(`${BASE}/models`, { filename: options.filename, units: options.units });
  const headers: Record<string, string> = options.progressId ? { 'X-Progress-Id': options.progressId } : {};
  return sendBinary<ModelInfo>('POST', url, file, onProgress, headers);
}

export function createQuote(input: {
  modelId: string;
  alloy: string;
  quantity: number;
  stones: StoneChoice[];
}): Promise<Quote> {
  return postJson<Quote>(`${BASE}/quotes`, input);
}

export interface ProgressWatch {
  /** The progress id: send it as `X-Progress-Id` with the upload. */
  id: string;
  /** Settles once the stream is open, has failed, or after a short timeout: never rejects. */
  opened: Promise<void>;
  /** Stops listening (idempotent). */
  close(): void;
}

function parseEvent(data: string): ProgressEvent | null {
  try {
    const event: unknown = JSON.parse(data);
    if (typeof event === 'object' && event !== null && 'stage' in event) return event as ProgressEvent;
  } catch {
    // A malformed event is ignored: the upload's own answer still ends the work.
  }
  return null;
}

/**
 * Listens to the server-sent progress of the upload with this id until `done` or `failed`
 * (or until `close`). A broken stream is closed rather than retried: the upload's answer is
 * what counts, the stream only drives the progress bar.
 */
export function watchProgress(progressId: string, onEvent: (event: ProgressEvent) => void): ProgressWatch {
  const source = new EventSource(`${BASE}/progress/${encodeURIComponent(progressId)}`);
  let settle: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    settle = resolve;
  });
  const timer = window.setTimeout(settle, OPEN_TIMEOUT_MS);
  const close = () => {
    window.clearTimeout(timer);
    source.close();
    settle();
  };
  source.onopen = () => settle();
  source.onerror = close;
  source.onmessage = (message: MessageEvent<string>) => {
    const event = parseEvent(message.data);
    if (!event) return;
    onEvent(event);
    if (event.stage === 'done' || event.stage === 'failed') close();
  };
  return { id: progressId, opened, close };
}
