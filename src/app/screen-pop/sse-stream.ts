import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { HttpReply } from '../http-types.js';

/**
 * Server-Sent Events on the response underneath a reply: `id:`, `event:` and `data:` lines,
 * comments for heartbeats. Data is one line of JSON (JSON.stringify never emits a raw newline).
 */
/** What a stream needs of the reply: the response underneath, and a way to take it over. */
export interface SseReply {
  raw: ServerResponse;
  hijack: HttpReply['hijack'] | (() => void);
}

export class SseStream {
  private readonly res: ServerResponse;

  constructor(private readonly reply: SseReply) {
    this.res = reply.raw;
  }

  /** From here on the stream writes the response itself; until then an error is answered as any other. */
  open(retryMs: number): void {
    this.reply.hijack();
    this.res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // nginx and similar proxies would otherwise buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    this.res.socket?.setNoDelay(true);
    void this.write(`retry: ${retryMs}\n\n`);
  }

  event(type: string, id: string | null, data: unknown): Promise<void> {
    return this.write(`${id !== null ? `id: ${id}\n` : ''}event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  comment(text: string): Promise<void> {
    return this.write(`: ${text}\n\n`);
  }

  end(): void {
    if (!this.res.writableEnded) this.res.end();
  }

  /** Waits for a slow reader to drain rather than buffering without bound. */
  private async write(chunk: string): Promise<void> {
    if (this.res.writableEnded || this.res.destroyed) return;
    if (!this.res.write(chunk)) await Promise.race([once(this.res, 'drain'), once(this.res, 'close')]);
  }
}
