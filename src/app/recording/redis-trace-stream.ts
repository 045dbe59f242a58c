import type { Redis } from 'ioredis';
import type { TraceSink } from '../../core/live/call-recording.js';
import type { TraceLine } from '../../core/trace/trace-line.js';

/**
 * Recorded calls as a Redis stream: one entry per call, field `line` = the trace line's JSON,
 * capped at about `maxLen` entries (MAXLEN ~ trims whole nodes, which is cheap).
 */
export class RedisTraceStream implements TraceSink {
  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly maxLen: number,
  ) {}

  async append(line: TraceLine): Promise<void> {
    await this.redis.xadd(this.key, 'MAXLEN', '~', String(this.maxLen), '*', 'line', JSON.stringify(line));
  }

  /** Lines recorded at or after `sinceMs` (the stream entry's time), oldest first, in pages. */
  async *read(sinceMs = 0, pageSize = 1000): AsyncGenerator<TraceLine> {
    let start = `${Math.max(0, Math.floor(sinceMs))}-0`;
    for (;;) {
      const page = await this.redis.xrange(this.key, start, '+', 'COUNT', pageSize);
      for (const [, fields] of page) {
        const i = fields.indexOf('line');
        if (i >= 0 && fields[i + 1] !== undefined) yield JSON.parse(fields[i + 1]!) as TraceLine;
      }
      if (page.length < pageSize) return;
      start = `(${page[page.length - 1]![0]}`;
    }
  }
}
