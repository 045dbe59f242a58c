import type { Redis } from 'ioredis';
import type { ScreenPop } from '../../core/screen-pop/screen-pop.js';
import { STREAM_START, type Positions, type StreamId } from '../../core/screen-pop/stream-cursor.js';

/** Entries handed out per queue by one read; a desktop catching up gets the rest on the next. */
const READ_COUNT = 100;

/**
 * Screen pops in Redis: one capped stream per queue (`<prefix>screen-pop:<queue>`).
 *
 * A stream rather than pub/sub because a desktop that drops (Wi-Fi, a proxy's idle timeout, a
 * deploy) must still get the call that rang meanwhile: it reconnects with Last-Event-ID and reads
 * on from there. Pub/sub would lose it. Any instance can serve any agent, since every instance
 * reads the same streams.
 */
export class RedisScreenPopStreams {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly maxLenPerQueue: number,
  ) {}

  keyOf(queue: string): string {
    return `${this.prefix}screen-pop:${queue}`;
  }

  /** Appends a pop to its queue's stream; returns its stream id. */
  async publish(pop: ScreenPop): Promise<StreamId> {
    const id = await this.redis.xadd(this.keyOf(pop.queue), 'MAXLEN', '~', this.maxLenPerQueue, '*', 'pop', JSON.stringify(pop));
    return id!;
  }

  /** The id of each queue's newest entry (STREAM_START for an empty stream): reading on from here gets only what comes next. */
  async latest(queues: readonly string[]): Promise<Positions> {
    const pipeline = this.redis.pipeline();
    for (const q of queues) pipeline.xrevrange(this.keyOf(q), '+', '-', 'COUNT', 1);
    const results = (await pipeline.exec()) ?? [];
    const positions: Positions = new Map();
    queues.forEach((q, i) => {
      const [err, entries] = results[i] ?? [new Error('no reply'), null];
      if (err) throw err;
      const newest = (entries as [string, string[]][])[0];
      positions.set(q, newest ? newest[0] : STREAM_START);
    });
    return positions;
  }

  /**
   * A reader on a connection of its own: XREAD BLOCK holds its connection, so it cannot share
   * the service's client. No command timeout (the block is the wait) and no reconnecting: when
   * the connection drops, the desktop's EventSource reconnects and resumes instead.
   */
  openReader(): ScreenPopReader {
    const conn = this.redis.duplicate({
      lazyConnect: true,
      enableOfflineQueue: true,
      commandTimeout: undefined,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      // One blocking read at a time: nothing to batch.
      enableAutoPipelining: false,
      // Names the desktops' connections in CLIENT LIST.
      connectionName: `${this.prefix}screen-pop-reader`,
    });
    return new ScreenPopReader(conn, (q) => this.keyOf(q));
  }
}

export class ScreenPopReader {
  private closed = false;

  constructor(
    private readonly conn: Redis,
    private readonly keyOf: (queue: string) => string,
  ) {
    // Errors surface as rejected reads; without a listener ioredis would also print them.
    conn.on('error', () => undefined);
  }

  /**
   * Entries after `positions`, waiting up to `blockMs` for one to arrive; [] when none did. An
   * entry that is not a readable pop comes with `pop: null`, so the reader still moves past it.
   */
  async read(positions: Positions, blockMs: number): Promise<StreamedEntry[]> {
    const queues = [...positions.keys()];
    const byKey = new Map(queues.map((q) => [this.keyOf(q), q]));
    const reply = (await this.conn.xread('COUNT', READ_COUNT, 'BLOCK', blockMs, 'STREAMS', ...byKey.keys(), ...queues.map((q) => positions.get(q)!))) as
      | [string, [string, string[]][]][]
      | null;
    const entries: StreamedEntry[] = [];
    for (const [key, items] of reply ?? []) {
      const queue = byKey.get(key)!;
      for (const [id, fields] of items) entries.push({ queue, id, pop: popOf(fields) });
    }
    return entries;
  }

  /** Ends the connection; a read blocked on it rejects. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.conn.disconnect();
  }
}

export interface StreamedEntry {
  queue: string;
  id: StreamId;
  pop: ScreenPop | null;
}

function popOf(fields: string[]): ScreenPop | null {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] !== 'pop') continue;
    try {
      const pop = JSON.parse(fields[i + 1]!) as ScreenPop;
      return typeof pop === 'object' && pop !== null && typeof pop.callSid === 'string' ? pop : null;
    } catch {
      return null;
    }
  }
  return null;
}
