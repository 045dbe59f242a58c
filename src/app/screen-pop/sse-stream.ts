import { once } from 'node:events';
import type { ServerResponse } from 'node:http';

/**
 * Server-Sent Events on a raw response: `id:`, `event:` and `data:` lines, comments for
 * heartbeats. Data is one line of JSON (JSON.stringify never emits a raw newline).
 */
export class SseStream {
  constructor(private readonly res: ServerResponse) {}

  open(retryMs: number): void {
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
