import type { Redis } from 'ioredis';
import type { TraceSink } from '../../core/telephony/call-recording.js';
import type { TraceLine } from '../../core/trace/trace-line.js';

/**
 * One line per CallSid: the tombstone and the entry are written in one script, so a repeated
 * callback, a replayed request or a spooled line drained twice adds nothing. The entry goes
 * first: a script that fails half-way keeps what it wrote, and a tombstone without its line
 * would lose the call.
 * KEYS: tombstone, stream. ARGV: tombstone TTL (s), MAXLEN, line JSON.
 */
const APPEND_ONCE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'line', ARGV[3])
redis.call('SET', KEYS[1], '1', 'EX', tonumber(ARGV[1]))
return 1
`;

type OnceClient = Redis & {
  ivrTraceAppendOnce(tombstone: string, stream: string, ttlSec: string, maxLen: string, json: string): Promise<number>;
};

export interface TraceTombstones {
  /** Tombstones are `<prefix>done:<CallSid>`. */
  keyPrefix: string;
  /** How long a recorded CallSid is remembered; a replay after that counts as a new call. */
  ttlSec: number;
}

/**
 * Recorded calls as a Redis stream: one entry per call, field `line` = the trace line's JSON,
 * capped at about `maxLen` entries (MAXLEN ~ trims whole nodes, which is cheap). Each recorded
 * CallSid leaves a tombstone for `tombstones.ttlSec` (the stream itself may be trimmed).
 */
export class RedisTraceStream implements TraceSink {
  private readonly redis: OnceClient;

  constructor(
    redis: Redis,
    readonly key: string,
    private readonly maxLen: number,
    private readonly tombstones: TraceTombstones = { keyPrefix: `${key}:`, ttlSec: 86_400 },
  ) {
    if (!('ivrTraceAppendOnce' in redis)) redis.defineCommand('ivrTraceAppendOnce', { numberOfKeys: 2, lua: APPEND_ONCE });
    this.redis = redis as OnceClient;
  }

  tombstoneKey(callSid: string): string {
    return `${this.tombstones.keyPrefix}done:${callSid}`;
  }

  async append(line: TraceLine): Promise<boolean> {
    const added = await this.redis.ivrTraceAppendOnce(this.tombstoneKey(line.callId), this.key, String(this.tombstones.ttlSec), String(this.maxLen), JSON.stringify(line));
    return added === 1;
  }

  async isRecorded(callSid: string): Promise<boolean> {
    return (await this.redis.exists(this.tombstoneKey(callSid))) === 1;
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
