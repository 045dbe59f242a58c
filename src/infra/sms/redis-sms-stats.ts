import type { Redis } from 'ioredis';
import {
  accountingOf,
  addToStats,
  emptyLifecycle,
  emptyTemplateStats,
  isLifecycleKind,
  snapshotOf,
  SMS_EVENT_KINDS,
  SMS_FINAL_KINDS,
  type DeadLetter,
  type SmsAccounting,
  type SmsEvent,
  type SmsEventKind,
  type SmsLifecycleKind,
  type SmsStatsRecorder,
  type SmsStatsSnapshot,
  type TemplateStats,
} from '../../core/sms/sms-stats.js';

/**
 * Count an event, then log it. KEYS: the once-marker, the counters hash, the event stream, the
 * message's final-state marker, its decided-marker, the dead-letter hash. ARGV: counter field,
 * marker TTL, stream length, mode, the decided counter field, message key, dead letter (JSON or
 * ''), then the event's fields (none: not logged).
 * Modes: `once` counts once per (message, kind); `final` keeps one final state per message,
 * moving the count from an earlier one (and out of the dead letters), and counts the message
 * as decided if nothing had.
 */
const RECORD = `
local ttl = ARGV[2]
if ARGV[4] == 'final' then
  local prev = redis.call('GET', KEYS[4])
  if prev == ARGV[1] then return 0 end
  if prev then
    redis.call('HINCRBY', KEYS[2], prev, -1)
    redis.call('HDEL', KEYS[6], ARGV[6])
  end
  redis.call('SET', KEYS[4], ARGV[1], 'PX', ttl)
  if redis.call('SET', KEYS[5], '1', 'NX', 'PX', ttl) then redis.call('HINCRBY', KEYS[2], ARGV[5], 1) end
  if ARGV[7] ~= '' then redis.call('HSET', KEYS[6], ARGV[6], ARGV[7]) end
else
  if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ttl) then return 0 end
end
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
if #ARGV > 7 then redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', unpack(ARGV, 8)) end
return 1
`;

type StatsClient = Redis & { smsRecordEvent(seen: string, hash: string, stream: string, final: string, decided: string, dead: string, ...args: string[]): Promise<number> };

/** Extra figures the stats endpoint and command show next to the counts. */
export interface SmsStatsView extends SmsStatsSnapshot {
  /** Numbers on the opt-out list. */
  optedOut: number;
  /** The latest events, newest first. */
  recent: SmsEvent[];
  /** Where every decided message is, and the sends a crash left unknown. */
  accounting: SmsAccounting;
  /** Messages that failed for good, oldest first. */
  deadLetters: DeadLetter[];
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
    if (!('smsRecordEvent' in redis)) redis.defineCommand('smsRecordEvent', { numberOfKeys: 6, lua: RECORD });
    this.redis = redis as StatsClient;
  }

  get statsKey(): string {
    return `${this.prefix}stats`;
  }

  get eventsKey(): string {
    return `${this.prefix}events`;
  }

  /** The dead-letter list: message key → DeadLetter (JSON). */
  get deadLettersKey(): string {
    return `${this.prefix}dead-letters`;
  }

  async record(e: SmsEvent): Promise<void> {
    const final = !isLifecycleKind(e.kind) && SMS_FINAL_KINDS.includes(e.kind);
    const fields: string[] = [];
    // Every decided message is counted; logging each would drown the events worth reading.
    if (e.kind !== 'decided') {
      fields.push('kind', e.kind, 'template', e.template, 'key', e.messageKey, 'at', String(e.atMs));
      if (e.reason !== undefined) fields.push('reason', e.reason);
      if (e.untilMs !== undefined) fields.push('until', String(e.untilMs));
      if (e.phone !== undefined) fields.push('phone', e.phone);
    }
    let dead = '';
    if (e.kind === 'failed') {
      const letter: DeadLetter = { key: e.messageKey, template: e.template, code: e.reason ?? 'unknown', detail: e.detail ?? '', atMs: e.atMs };
      if (e.phone !== undefined) letter.phone = e.phone;
      dead = JSON.stringify(letter);
    }
    await this.redis.smsRecordEvent(
      `${this.prefix}once:${e.messageKey}:${e.kind}`,
      this.statsKey,
      this.eventsKey,
      `${this.prefix}final:${e.messageKey}`,
      `${this.prefix}once:${e.messageKey}:decided`,
      this.deadLettersKey,
      `${e.template}|${e.kind}|${e.reason ?? ''}`,
      String(this.opts.onceTtlMs ?? 8 * 86_400_000),
      String(this.opts.streamMaxLen ?? 10_000),
      final ? 'final' : 'once',
      `${e.template}|decided|`,
      e.messageKey,
      dead,
      ...fields,
    );
  }

  /** The lifecycle counts over all templates. */
  async lifecycle(): Promise<Record<SmsLifecycleKind, number>> {
    const out = emptyLifecycle();
    for (const [field, value] of Object.entries(await this.redis.hgetall(this.statsKey))) {
      const kind = field.split('|')[1] ?? '';
      if (isLifecycleKind(kind)) out[kind] += Number(value);
    }
    return out;
  }

  async deadLetters(): Promise<DeadLetter[]> {
    const raw = await this.redis.hvals(this.deadLettersKey);
    return raw.map((j) => JSON.parse(j) as DeadLetter).sort((a, b) => a.atMs - b.atMs || (a.key < b.key ? -1 : 1));
  }

  /** Where every decided message is; `pending` counts the queue's unfinished jobs (null: not known). */
  async accounting(pending: number | null): Promise<SmsAccounting> {
    const [snap, life] = await Promise.all([this.snapshot(), this.lifecycle()]);
    return accountingOf(snap.total, life, pending);
  }

  async snapshot(): Promise<SmsStatsSnapshot> {
    const raw = await this.redis.hgetall(this.statsKey);
    const rows = new Map<string, TemplateStats>();
    for (const [field, value] of Object.entries(raw)) {
      const [template, kind, reason] = field.split('|');
      if (!template || !SMS_EVENT_KINDS.includes(kind as SmsEventKind) || Number(value) === 0) continue;
      let row = rows.get(template);
      if (!row) rows.set(template, (row = emptyTemplateStats()));
      addToStats(row, kind as SmsEventKind, reason || undefined, Number(value));
    }
    return snapshotOf(rows);
  }

  /** @param pending the queue's unfinished jobs, for the accounting (null: not known here) */
  async view(optOutSetKey: string, recent = 20, pending: number | null = null): Promise<SmsStatsView> {
    const [snap, life, optedOut, entries, deadLetters] = await Promise.all([
      this.snapshot(),
      this.lifecycle(),
      this.redis.scard(optOutSetKey),
      this.redis.xrevrange(this.eventsKey, '+', '-', 'COUNT', recent),
      this.deadLetters(),
    ]);
    return { ...snap, optedOut, recent: entries.map(([, f]) => eventOf(f)), accounting: accountingOf(snap.total, life, pending), deadLetters };
  }
}

function eventOf(flat: string[]): SmsEvent {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!;
  const e: SmsEvent = { kind: f['kind'] as SmsEventKind | SmsLifecycleKind, template: f['template'] ?? '', messageKey: f['key'] ?? '', atMs: Number(f['at']) };
  if (f['reason'] !== undefined) e.reason = f['reason'];
  if (f['until'] !== undefined) e.untilMs = Number(f['until']);
  if (f['phone'] !== undefined) e.phone = f['phone'];
  return e;
}
