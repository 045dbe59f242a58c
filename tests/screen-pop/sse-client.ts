import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import request from 'supertest';

/** One Server-Sent Event as EventSource would dispatch it. */
export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

export interface SseConnection {
  status: number;
  headers: IncomingHttpHeaders;
  /** Comment lines received (heartbeats), without the leading colon. */
  comments: string[];
  /** The `retry:` the server asked for, if any. */
  retryMs: number | undefined;
  /** The next event of this type not taken yet; rejects if the stream ends first. */
  next(type: string): Promise<SseEvent>;
  /** Every event received so far, taken or not. */
  received(): SseEvent[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/**
 * Reads an SSE endpoint with supertest as it streams (no buffering), parsing frames the way
 * EventSource does: `id:`, `event:`, `data:` and `retry:` fields, comments, a blank line ending each event.
 */
export function openSse(server: Parameters<typeof request>[0], path: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const taken = new Set<SseEvent>();
    const waiters: { type: string; resolve: (e: SseEvent) => void; reject: (err: Error) => void }[] = [];
    let finished = false;
    let markEnded!: () => void;
    const ended = new Promise<void>((r) => (markEnded = r));
    let opened = false;

    const deliver = (e: SseEvent) => {
      events.push(e);
      const w = waiters.findIndex((x) => x.type === e.event);
      if (w >= 0) {
        taken.add(e);
        waiters.splice(w, 1)[0]!.resolve(e);
      }
    };
    const finish = () => {
      if (finished) return;
      finished = true;
      for (const w of waiters.splice(0)) w.reject(new Error(`the stream ended before a "${w.type}" event`));
      markEnded();
    };

    const req = request(server)
      .get(path)
      .set({ Accept: 'text/event-stream', ...headers })
      .buffer(false)
      .parse((raw, done) => {
        const res = raw as unknown as IncomingMessage;
        res.setEncoding('utf8');
        let buf = '';
        let last: { id?: string; event?: string; data: string[] } = { data: [] };
        const conn: SseConnection = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          comments: [],
          retryMs: undefined,
          next(type) {
            const ready = events.find((e) => e.event === type && !taken.has(e));
            if (ready) {
              taken.add(ready);
              return Promise.resolve(ready);
            }
            if (finished) return Promise.reject(new Error(`the stream ended before a "${type}" event`));
            return new Promise((res2, rej) => waiters.push({ type, resolve: res2, reject: rej }));
          },
          received: () => [...events],
          ended,
          close() {
            req.abort();
            finish();
          },
        };
        opened = true;
        resolve(conn);
        res.on('data', (chunk: string) => {
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).replace(/\r$/, '');
            buf = buf.slice(nl + 1);
            if (line === '') {
              if (last.data.length) deliver({ id: last.id, event: last.event ?? 'message', data: last.data.join('\n') });
              last = { data: [] };
            } else if (line.startsWith(':')) conn.comments.push(line.slice(1).trim());
            else {
              const colon = line.indexOf(':');
              const name = colon < 0 ? line : line.slice(0, colon);
              const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
              if (name === 'data') last.data.push(value);
              else if (name === 'event') last.event = value;
              else if (name === 'id') last.id = value;
              else if (name === 'retry') conn.retryMs = Number(value);
            }
          }
        });
        res.on('end', () => {
          finish();
          done(null, null);
        });
        res.on('close', finish);
        // Closing the client aborts the response; that is how a desktop goes away, not a failure.
        res.on('error', finish);
      });
    req.on('error', finish);
    req.end((err, response) => {
      // superagent re-emits the response's errors on its Response; an abort is how a desktop leaves.
      (response as unknown as NodeJS.EventEmitter | undefined)?.on('error', finish);
      if (err && !opened) reject(err);
    });
  });
}

export function json<T>(e: SseEvent): T {
  return JSON.parse(e.data) as T;
}
