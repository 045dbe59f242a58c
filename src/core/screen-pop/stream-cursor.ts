/**
 * Where an agent's desktop is in the screen-pop streams of the queues it serves. Each queue has
 * its own Redis stream, and ids of different streams can tie (two streams written in the same
 * millisecond both get `<ms>-0`), so one stream id cannot say where a desktop is in several
 * streams. The SSE event id is therefore a cursor: the stream id itself for one queue, or
 * `queue=id` pairs joined by commas for several. A reconnecting EventSource sends it back as
 * Last-Event-ID and the desktop catches up on exactly what it missed.
 */

export type StreamId = string;

const STREAM_ID = /^(\d{1,20})-(\d{1,20})$/;
/** Queue ids go into Redis keys and cursors: no separators, no spaces. */
const QUEUE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** The id before every entry of a stream. */
export const STREAM_START: StreamId = '0-0';

export function isStreamId(s: string): boolean {
  return STREAM_ID.test(s);
}

export function isQueueId(s: string): boolean {
  return QUEUE_ID.test(s);
}

/** Orders stream ids as Redis does: by milliseconds, then sequence. */
export function compareStreamIds(a: StreamId, b: StreamId): number {
  const [am, as] = parts(a);
  const [bm, bs] = parts(b);
  return am !== bm ? (am < bm ? -1 : 1) : as === bs ? 0 : as < bs ? -1 : 1;
}

function parts(id: StreamId): [bigint, bigint] {
  const m = STREAM_ID.exec(id);
  if (!m) throw new RangeError(`not a stream id: ${id}`);
  return [BigInt(m[1]!), BigInt(m[2]!)];
}

/** Queue → id of the last entry delivered from its stream. */
export type Positions = Map<string, StreamId>;

export function encodeCursor(queues: readonly string[], positions: ReadonlyMap<string, StreamId>): string {
  if (queues.length === 1) return positions.get(queues[0]!) ?? STREAM_START;
  return queues.map((q) => `${q}=${positions.get(q) ?? STREAM_START}`).join(',');
}

/**
 * The positions a Last-Event-ID stands for, for the queues subscribed now; null when it is not
 * a cursor (start from now). A bare stream id applies to every queue. A queue the cursor does
 * not name (the agent took on a queue) starts at the earliest position the cursor holds, so
 * what was queued there while the desktop was away is delivered too.
 */
export function decodeCursor(text: string | undefined, queues: readonly string[]): Positions | null {
  const t = text?.trim();
  if (!t) return null;
  if (isStreamId(t)) return new Map(queues.map((q) => [q, t]));
  const named = new Map<string, StreamId>();
  for (const pair of t.split(',')) {
    const [q, id, extra] = pair.split('=');
    if (extra !== undefined || !q || !id || !isQueueId(q) || !isStreamId(id)) return null;
    named.set(q, id);
  }
  if (named.size === 0) return null;
  const earliest = [...named.values()].sort(compareStreamIds)[0]!;
  return new Map(queues.map((q) => [q, named.get(q) ?? earliest]));
}

/** Entries read from several streams, in the order they were added (stream id, then queue). */
export function inStreamOrder<E extends { queue: string; id: StreamId }>(entries: readonly E[]): E[] {
  return [...entries].sort((a, b) => compareStreamIds(a.id, b.id) || (a.queue < b.queue ? -1 : a.queue > b.queue ? 1 : 0));
}
