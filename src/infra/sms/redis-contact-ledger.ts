import type { Redis } from 'ioredis';
import type { ClassPolicy, ContactCap, ContactState, SmsClass, SuppressReason } from '../../core/sms/contact-policy.js';
import type { ContactLedger, LedgerMessage, LedgerVerdict, MarkSentResult, MessageClaim, OptOutSource } from '../../core/sms/contact-ledger.js';

/** How long a message key and the send history are kept when no cap needs longer: 8 days. */
export const DEFAULT_RETENTION_MS = 8 * 86_400_000;

/**
 * Check and count in one script, so the check and the count are atomic at send time.
 * KEYS: message key, template sends (zset), class sends (zset), opt-out flag.
 * ARGV: now, member, opt-out suppresses (1/0), template max (-1: no cap), template window,
 *       class max, class window, retention, wall-clock time of the claim.
 * A cap counts the sends whose time is inside the window ending now (score > now - window).
 */
const CHECK_AND_RECORD = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 'duplicate' end
if ARGV[3] == '1' and redis.call('EXISTS', KEYS[4]) == 1 then return 'opted-out' end
local now = tonumber(ARGV[1])
local retention = tonumber(ARGV[8])
local function over(key, max, window)
  if max < 0 then return false end
  return redis.call('ZCOUNT', key, '(' .. (now - window), '+inf') >= max
end
if over(KEYS[2], tonumber(ARGV[4]), tonumber(ARGV[5])) then return 'template-cap' end
if over(KEYS[3], tonumber(ARGV[6]), tonumber(ARGV[7])) then return 'overall-cap' end
for i = 2, 3 do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - retention)
  redis.call('ZADD', KEYS[i], now, ARGV[2])
  redis.call('PEXPIRE', KEYS[i], retention)
end
redis.call('SET', KEYS[1], 'reserved:' .. ARGV[9], 'PX', retention)
return 'recorded'
`;

const RELEASE = `
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('DEL', KEYS[1])
return 1
`;

/**
 * Record the carrier's message as this key's, unless another key holds it. KEYS: claim, the
 * customer's carrier SIDs (zset by time), the unknown-outcome marker. ARGV: sid, now, retention.
 * Returns -1 when the SID is taken, else 1 when the marker was there (a resend), 0 when not.
 */
const MARK_SENT = `
if redis.call('ZSCORE', KEYS[2], ARGV[1]) then return -1 end
local now = tonumber(ARGV[2])
local retention = tonumber(ARGV[3])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then ttl = retention end
redis.call('SET', KEYS[1], 'sent:' .. ARGV[1], 'PX', ttl)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - retention)
redis.call('ZADD', KEYS[2], now, ARGV[1])
redis.call('PEXPIRE', KEYS[2], retention)
return redis.call('DEL', KEYS[3])
`;

type LedgerClient = Redis & {
  smsCheckAndRecord(claim: string, t: string, c: string, optOut: string, ...args: string[]): Promise<string>;
  smsRelease(claim: string, t: string, c: string, member: string): Promise<number>;
  smsMarkSent(claim: string, sids: string, unknown: string, sid: string, now: string, retention: string): Promise<number>;
};

/**
 * The contact ledger in Redis. Every key of one customer shares a hash tag (`{+86…}`), so the
 * script's keys sit in one slot. Sends are sorted sets scored by time, trimmed to the retention
 * and expiring with it; opt-outs never expire.
 */
export class RedisContactLedger implements ContactLedger {
  private readonly redis: LedgerClient;

  /**
   * @param prefix key prefix, e.g. `ivr-sim:sms:` (tests use one of their own)
   * @param retentionMs how long history is kept; at least the longest cap window
   */
  constructor(
    redis: Redis,
    readonly prefix: string,
    private readonly retentionMs = DEFAULT_RETENTION_MS,
  ) {
    if (!('smsCheckAndRecord' in redis)) redis.defineCommand('smsCheckAndRecord', { numberOfKeys: 4, lua: CHECK_AND_RECORD });
    if (!('smsRelease' in redis)) redis.defineCommand('smsRelease', { numberOfKeys: 3, lua: RELEASE });
    if (!('smsMarkSent' in redis)) redis.defineCommand('smsMarkSent', { numberOfKeys: 3, lua: MARK_SENT });
    this.redis = redis as LedgerClient;
  }

  private customer(phone: string): string {
    return `${this.prefix}c:{${phone}}:`;
  }

  keys(msg: Pick<LedgerMessage, 'key' | 'phone' | 'template' | 'class'>): [claim: string, template: string, cls: string, optOut: string] {
    const c = this.customer(msg.phone);
    return [`${c}m:${msg.key}`, `${c}t:${msg.template}`, `${c}k:${msg.class}`, `${c}optout`];
  }

  /** The set of opted-out numbers (for counting them in stats). */
  get optOutSetKey(): string {
    return `${this.prefix}optouts`;
  }

  async stateOf(phone: string, template: string, cls: SmsClass, policy: ClassPolicy, nowMs: number): Promise<ContactState> {
    const [, t, k, o] = this.keys({ key: '', phone, template, class: cls });
    const count = (key: string, cap: ContactCap | null) => (cap ? this.redis.zcount(key, `(${nowMs - cap.windowMs}`, '+inf') : Promise.resolve(0));
    const [optedOut, sentOfTemplate, sentOfClass] = await Promise.all([this.redis.exists(o), count(t, policy.perTemplate), count(k, policy.overall)]);
    return { optedOut: optedOut === 1, sentOfTemplate, sentOfClass };
  }

  async checkAndRecord(msg: LedgerMessage, policy: ClassPolicy): Promise<LedgerVerdict> {
    const [claim, t, k, o] = this.keys(msg);
    const longest = Math.max(this.retentionMs, policy.perTemplate?.windowMs ?? 0, policy.overall?.windowMs ?? 0);
    const r = await this.redis.smsCheckAndRecord(
      claim,
      t,
      k,
      o,
      String(msg.atMs),
      msg.key,
      policy.whenOptedOut === 'suppress' ? '1' : '0',
      String(policy.perTemplate?.max ?? -1),
      String(policy.perTemplate?.windowMs ?? 0),
      String(policy.overall?.max ?? -1),
      String(policy.overall?.windowMs ?? 0),
      String(longest),
      String(msg.claimedAtMs ?? Date.now()),
    );
    if (r === 'recorded') return { kind: 'recorded' };
    if (r === 'duplicate') return { kind: 'duplicate' };
    return { kind: 'suppressed', reason: r as SuppressReason };
  }

  async isRecorded(msg: Pick<LedgerMessage, 'key' | 'phone' | 'template' | 'class'>): Promise<boolean> {
    return (await this.redis.exists(this.keys(msg)[0])) === 1;
  }

  /** The carrier SIDs recorded for a customer, and the marker of a resend after an unknown outcome. */
  private sendKeys(msg: Pick<LedgerMessage, 'key' | 'phone'>): [sids: string, unknown: string] {
    const c = this.customer(msg.phone);
    return [`${c}sids`, `${c}u:${msg.key}`];
  }

  async markSent(msg: LedgerMessage, sid: string): Promise<MarkSentResult> {
    const [sids, unknown] = this.sendKeys(msg);
    const r = await this.redis.smsMarkSent(this.keys(msg)[0], sids, unknown, sid, String(Date.now()), String(this.retentionMs));
    return r < 0 ? { kind: 'sid-taken' } : { kind: 'marked', afterUnknownOutcome: r === 1 };
  }

  async release(msg: LedgerMessage): Promise<void> {
    const [claim, t, k] = this.keys(msg);
    await this.redis.smsRelease(claim, t, k, msg.key);
  }

  async releaseUnknown(msg: LedgerMessage): Promise<void> {
    const [claim, t, k] = this.keys(msg);
    // The marker first: a crash between the two leaves a marker and a claim, which the next attempt reconciles again.
    await this.redis.set(this.sendKeys(msg)[1], '1', 'PX', this.retentionMs);
    await this.redis.smsRelease(claim, t, k, msg.key);
  }

  async optOut(phone: string, atMs: number, source: OptOutSource): Promise<void> {
    await this.redis.multi().set(`${this.customer(phone)}optout`, JSON.stringify({ atMs, source })).sadd(this.optOutSetKey, phone).exec();
  }

  async optIn(phone: string): Promise<void> {
    await this.redis.multi().del(`${this.customer(phone)}optout`).srem(this.optOutSetKey, phone).exec();
  }

  async isOptedOut(phone: string): Promise<boolean> {
    return (await this.redis.exists(`${this.customer(phone)}optout`)) === 1;
  }

  /** What the ledger holds about one message key: `reserved:<wall ms>` (plain `reserved` from older versions), or `sent:<sid>`. */
  async claimOf(msg: Pick<LedgerMessage, 'key' | 'phone' | 'template' | 'class'>): Promise<MessageClaim | null> {
    const raw = await this.redis.get(this.keys(msg)[0]);
    if (raw === null) return null;
    if (raw.startsWith('sent:')) return { state: 'sent', sid: raw.slice(5) };
    const since = Number(raw.slice('reserved:'.length));
    return { state: 'reserved', sinceMs: raw.startsWith('reserved:') && Number.isFinite(since) ? since : null };
  }
}
