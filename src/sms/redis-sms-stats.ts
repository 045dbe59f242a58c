import type { Redis } from 'ioredis';
import { emptyTemplateStats, addToStats, snapshotOf, SMS_EVENT_KINDS, type SmsEvent, type SmsEventKind, type SmsStatsRecorder, type SmsStatsSnapshot, type TemplateStats } from '../core/sms/sms-stats.js';

/**
 * Count once per (message, kind), then log the event. KEYS: the once-marker, the counters hash,
 * the event stream. ARGV: counter field, marker TTL, stream length, then the event's fields.
 */
const RECORD = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', unpack(ARGV, 4))
return 1
`;

type StatsClient = Redis & { smsRecordEvent(seen: string, hash: string, stream: string, ...args: string[]): Promise<number> };

/** Extra figures the stats endpoint and command show next to the counts. */
export interface SmsStatsView extends SmsStatsSnapshot {
  /** Numbers on the opt-out list. */
  optedOut: number;
  /** The latest events, newest first. */
  recent: SmsEvent[];
}

/**
 * SMS outcomes counted in Redis under `prefix` (`<prefix>stats`: a hash of
 * `template|kind|reason` → count) and logged to a capped stream (`<prefix>events`), so every
 * suppression and deferral is kept with its reason. Shared by the worker, the service and
 * `ivr-sim sms-stats`.
 */
export class RedisSmsStats implements SmsStatsRecorder {
  private readonly redis: StatsClient;

  constructor(
    redis: Redis,
    readonly prefix: string,
    private readonly opts: { onceTtlMs?: number; streamMaxLen?: number } = {},
  ) {
    if (!('smsRecordEvent' in redis)) redis.defineCommand('smsRecordEvent', { numberOfKeys: 3, lua: RECORD });
    this.redis = redis as StatsClient;
  }

  get statsKey(): string {
    return `${this.prefix}stats`;
  }

  get eventsKey(): string {
    return `${this.prefix}events`;
  }

  async record(e: SmsEvent): Promise<void> {
    const fields: string[] = ['kind', e.kind, 'template', e.template, 'key', e.messageKey, 'at', String(e.atMs)];
    if (e.reason !== undefined) fields.push('reason', e.reason);
    if (e.untilMs !== undefined) fields.push('until', String(e.untilMs));
    if (e.phone !== undefined) fields.push('phone', e.phone);
    await this.redis.smsRecordEvent(
      `${this.prefix}once:${e.messageKey}:${e.kind}`,
      this.statsKey,
      this.eventsKey,
      `${e.template}|${e.kind}|${e.reason ?? ''}`,
      String(this.opts.onceTtlMs ?? 8 * 86_400_000),
      String(this.opts.streamMaxLen ?? 10_000),
      ...fields,
    );
  }

  async snapshot(): Promise<SmsStatsSnapshot> {
    const raw = await this.redis.hgetall(this.statsKey);
    const rows = new Map<string, TemplateStats>();
    for (const [field, value] of Object.entries(raw)) {
      const [template, kind, reason] = field.split('|');
      if (!template || !SMS_EVENT_KINDS.includes(kind as SmsEventKind)) continue;
      let row = rows.get(template);
      if (!row) rows.set(template, (row = emptyTemplateStats()));
      addToStats(row, kind as SmsEventKind, reason || undefined, Number(value));
    }
    return snapshotOf(rows);
  }

  async view(optOutSetKey: string, recent = 20): Promise<SmsStatsView> {
    const [snap, optedOut, entries] = await Promise.all([this.snapshot(), this.redis.scard(optOutSetKey), this.redis.xrevrange(this.eventsKey, '+', '-', 'COUNT', recent)]);
    return { ...snap, optedOut, recent: entries.map(([, f]) => eventOf(f)) };
  }
}

function eventOf(flat: string[]): SmsEvent {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!;
  const e: SmsEvent = { kind: f['kind'] as SmsEventKind, template: f['template'] ?? '', messageKey: f['key'] ?? '', atMs: Number(f['at']) };
  if (f['reason'] !== undefined) e.reason = f['reason'];
  if (f['until'] !== undefined) e.untilMs = Number(f['until']);
  if (f['phone'] !== undefined) e.phone = f['phone'];
  return e;
}
