import type { FastifyReply, FastifyRequest } from 'fastify';
import { openEventStream } from '../../platform/http/sse.js';
import type { FeedEvent, WorkspaceFeed } from './feed.js';

/**
 * Serves the live feed as server-sent events. Each event's id is its feed id, so a browser's
 * EventSource that reconnects sends Last-Event-ID and gets what it missed; a client too far
 * behind (its position was pruned), or ahead of the feed (its data was reset), gets a `reset`
 * event and reloads its list. Open streams end when the server closes (`closeAll`), so a shutdown
 * never waits on them.
 */
export class WorkspaceStreams {
  private readonly open = new Set<() => void>();

  constructor(private readonly feed: WorkspaceFeed) {}

  async serve(req: FastifyRequest, reply: FastifyReply, lastEventId: number | undefined): Promise<void> {
    const { res, stop } = openEventStream(reply);
    let sent = lastEventId ?? this.feed.watermark;
    const send = (events: FeedEvent[]) => {
      let out = '';
      for (const e of events) {
        if (e.id <= sent) continue;
        sent = e.id;
        out += `id: ${e.id}\nevent: ${e.kind}\ndata: ${JSON.stringify(e)}\n\n`;
      }
      if (out) res.write(out);
    };
    // Live events that arrive while the missed ones are read wait here, then follow in order.
    let buffered: FeedEvent[] | undefined = [];
    const unsubscribe = this.feed.subscribe((events) => {
      if (buffered) buffered.push(...events);
      else send(events);
    });
    const end = () => {
      unsubscribe();
      stop();
      this.open.delete(end);
      res.end();
    };
    this.open.add(end);
    req.raw.on('close', end);

    // Another instance may have delivered an id this one has not read yet: catch up once first,
    // so its clients are not sent a needless reset (one that still comes costs only a reload).
    // A failed read only means the check below uses what this instance has: at worst a reset.
    if (lastEventId !== undefined && lastEventId > this.feed.watermark)
      await this.feed.poll().catch(() => undefined);
    // An id the feed never reached (its data was reset since the client saw it) would hold back
    // every event up to that id, forever in practice: the client must reload its list instead.
    const ahead = lastEventId !== undefined && lastEventId > this.feed.watermark;
    if (ahead) sent = this.feed.watermark;
    const reset = () => {
      sent = this.feed.watermark;
      res.write(`id: ${sent}\nevent: reset\ndata: ${JSON.stringify({ watermark: sent })}\n\n`);
    };

    // The id lets a browser that reconnects before any change resume from here.
    res.write(`retry: 1000\nid: ${sent}\nevent: hello\ndata: ${JSON.stringify({ watermark: sent })}\n\n`);
    if (ahead) reset();
    else if (lastEventId !== undefined && lastEventId < this.feed.watermark) {
      const missed = await this.feed.since(lastEventId);
      if (!missed.complete) reset();
      else send(missed.events);
    }
    const waiting = buffered;
    buffered = undefined;
    send(waiting);
  }

  closeAll(): void {
    for (const end of [...this.open]) end();
  }

  get size(): number {
    return this.open.size;
  }
}
