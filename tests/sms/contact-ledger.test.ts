import { afterEach, describe, expect, it } from 'vitest';
import type { ClassPolicy } from '../../src/core/sms/contact-policy.js';
import type { ContactLedger, LedgerMessage } from '../../src/core/sms/contact-ledger.js';
import { MemoryContactLedger } from '../../src/core/sms/memory-contact-ledger.js';
import { RedisContactLedger } from '../../src/infra/sms/redis-contact-ledger.js';
import { redisScope, type RedisScope } from './redis-fixtures.js';
import { callSid, messageSid } from '../helpers/twilio.js';

const HOUR = 3_600_000;
const marketing: ClassPolicy = { perTemplate: { max: 1, windowMs: 24 * HOUR }, overall: { max: 3, windowMs: 168 * HOUR }, duringQuietHours: 'defer', whenOptedOut: 'suppress' };
const service: ClassPolicy = { perTemplate: { max: 1, windowMs: 24 * HOUR }, overall: null, duringQuietHours: 'send', whenOptedOut: 'send' };
const PHONE = '+8613800000001';
const T0 = Date.UTC(2025, 5, 2, 4);
let n = 0;
const msg = (template: string, atMs: number, cls: 'service' | 'marketing' = 'marketing', phone = PHONE): LedgerMessage => ({ key: `${callSid(++n)}.${template}`, phone, template, class: cls, atMs });

let scope: RedisScope | undefined;
afterEach(async () => {
  await scope?.cleanup();
  scope = undefined;
});

const ledgers: [string, () => ContactLedger][] = [
  ['in memory', () => new MemoryContactLedger()],
  [
    'in Redis',
    () => {
      scope = redisScope('ledger');
      return new RedisContactLedger(scope.redis, scope.prefix);
    },
  ],
];

describe.each(ledgers)('the contact ledger %s', (_name, make) => {
  it('allows one text per template a day: the second within 24 h is refused, one at 24 h goes', async () => {
    const l = make();
    expect(await l.checkAndRecord(msg('addon-offer', T0), marketing)).toEqual({ kind: 'recorded' });
    expect(await l.checkAndRecord(msg('addon-offer', T0 + 23 * HOUR), marketing)).toEqual({ kind: 'suppressed', reason: 'template-cap' });
    expect(await l.checkAndRecord(msg('addon-offer', T0 + 24 * HOUR), marketing)).toEqual({ kind: 'recorded' });
  });

  it('allows three marketing texts in seven days across templates; the fourth is refused until the first ages out', async () => {
    const l = make();
    for (const [i, t] of ['addon-offer', '5g-upgrade-offer', 'roaming-offer'].entries()) {
      expect(await l.checkAndRecord(msg(t, T0 + i * HOUR), marketing)).toEqual({ kind: 'recorded' });
    }
    expect(await l.checkAndRecord(msg('family-offer', T0 + 3 * HOUR), marketing)).toEqual({ kind: 'suppressed', reason: 'overall-cap' });
    expect(await l.stateOf(PHONE, 'family-offer', 'marketing', marketing, T0 + 3 * HOUR)).toEqual({ optedOut: false, sentOfTemplate: 0, sentOfClass: 3 });
    expect(await l.checkAndRecord(msg('family-offer', T0 + 168 * HOUR), marketing)).toEqual({ kind: 'recorded' });
  });

  it('counts per customer: another number has its own caps', async () => {
    const l = make();
    expect(await l.checkAndRecord(msg('addon-offer', T0), marketing)).toEqual({ kind: 'recorded' });
    expect(await l.checkAndRecord(msg('addon-offer', T0, 'marketing', '+8613800000002'), marketing)).toEqual({ kind: 'recorded' });
  });

  it('service texts do not use up the marketing allowance', async () => {
    const l = make();
    await l.checkAndRecord(msg('bill-summary', T0, 'service'), service);
    await l.checkAndRecord(msg('outage-follow-up', T0, 'service'), service);
    expect(await l.stateOf(PHONE, 'addon-offer', 'marketing', marketing, T0)).toEqual({ optedOut: false, sentOfTemplate: 0, sentOfClass: 0 });
  });

  it('an opted-out number gets no marketing but still gets service texts; opting in again restores marketing', async () => {
    const l = make();
    await l.optOut(PHONE, T0, 'keyword');
    expect(await l.isOptedOut(PHONE)).toBe(true);
    expect(await l.checkAndRecord(msg('addon-offer', T0), marketing)).toEqual({ kind: 'suppressed', reason: 'opted-out' });
    expect(await l.checkAndRecord(msg('bill-summary', T0, 'service'), service)).toEqual({ kind: 'recorded' });
    await l.optIn(PHONE);
    expect(await l.checkAndRecord(msg('addon-offer', T0), marketing)).toEqual({ kind: 'recorded' });
  });

  it('a message is recorded once: the same key again is a duplicate, not a second send', async () => {
    const l = make();
    const m = msg('addon-offer', T0);
    expect(await l.checkAndRecord(m, marketing)).toEqual({ kind: 'recorded' });
    await l.markSent(m, messageSid(1));
    expect(await l.checkAndRecord({ ...m, atMs: T0 + 48 * HOUR }, marketing)).toEqual({ kind: 'duplicate' });
  });

  it('a claim remembers when the send started; Twilio\'s message SID belongs to one message only', async () => {
    const l = make();
    const a = msg('bill-summary', T0, 'service');
    const b = msg('bill-summary', T0, 'service', '+8613800000002');
    await l.checkAndRecord({ ...a, claimedAtMs: T0 + 5 }, service);
    expect(await l.claimOf(a)).toEqual({ state: 'reserved', sinceMs: T0 + 5 });
    expect(await l.markSent(a, 'SM00a1')).toEqual({ kind: 'marked', afterUnknownOutcome: false });
    expect(await l.claimOf(a)).toEqual({ state: 'sent', sid: 'SM00a1' });
    await l.checkAndRecord(b, service);
    // The SID set is per customer: the same SID for another customer's message is a different message.
    expect(await l.markSent(b, 'SM00a1')).toEqual({ kind: 'marked', afterUnknownOutcome: false });
    const a2 = msg('outage-follow-up', T0, 'service');
    await l.checkAndRecord(a2, service);
    expect(await l.markSent(a2, 'SM00a1')).toEqual({ kind: 'sid-taken' });
    expect(await l.claimOf(a2)).toMatchObject({ state: 'reserved' });
  });

  it('an unknown outcome not found at Twilio: the place is given back and the next send is marked as a resend', async () => {
    const l = make();
    const m = msg('addon-offer', T0);
    await l.checkAndRecord(m, marketing);
    await l.releaseUnknown(m);
    expect(await l.claimOf(m)).toBeNull();
    expect(await l.stateOf(PHONE, 'addon-offer', 'marketing', marketing, T0)).toMatchObject({ sentOfTemplate: 0 });
    await l.checkAndRecord(m, marketing);
    expect(await l.markSent(m, 'SM00b2')).toEqual({ kind: 'marked', afterUnknownOutcome: true });
  });

  it('a failed send gives its place back: a retry of the same message may go', async () => {
    const l = make();
    const m = msg('addon-offer', T0);
    await l.checkAndRecord(m, marketing);
    await l.release(m);
    expect(await l.stateOf(PHONE, 'addon-offer', 'marketing', marketing, T0)).toEqual({ optedOut: false, sentOfTemplate: 0, sentOfClass: 0 });
    expect(await l.checkAndRecord({ ...m, atMs: T0 + 1000 }, marketing)).toEqual({ kind: 'recorded' });
  });
});

describe('the Redis ledger under concurrency', () => {
  it('twenty workers racing for the last places under a cap of three: exactly three win', async () => {
    scope = redisScope('ledger-race');
    const clients = Array.from({ length: 4 }, () => scope!.redis.duplicate());
    const ledgers = clients.map((c) => new RedisContactLedger(c, scope!.prefix));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => ledgers[i % 4]!.checkAndRecord(msg(`offer-${i}`, T0), marketing)));
    expect(results.filter((r) => r.kind === 'recorded')).toHaveLength(3);
    expect(results.filter((r) => r.kind === 'suppressed')).toHaveLength(17);
    for (const c of clients) c.disconnect();
  });

  it('keys carry the prefix and expire: history is not kept for ever', async () => {
    scope = redisScope('ledger-ttl');
    const l = new RedisContactLedger(scope.redis, scope.prefix);
    await l.checkAndRecord(msg('addon-offer', T0), marketing);
    const keys = await scope.redis.keys(`${scope.prefix}*`);
    expect(keys.length).toBe(3);
    for (const k of keys) {
      const ttl = await scope.redis.pttl(k);
      expect(ttl).toBeGreaterThan(167 * HOUR);
      expect(ttl).toBeLessThanOrEqual(8 * 24 * HOUR);
    }
  });
});

describe('the in-memory ledger of a replay (keys not tracked, messages in time order)', () => {
  it('forgets customers with nothing in the longest window, and counts exactly as a ledger that keeps them all', () => {
    const week = 168 * HOUR;
    const forgetting = new MemoryContactLedger({ trackKeys: false, forgetAfterMs: week });
    const keeping = new MemoryContactLedger({ trackKeys: false });
    const verdicts: [string, string][] = [];
    for (let day = 0; day < 30; day++) {
      // A new caller every day, and one who texts every third day and opted out on day 1.
      for (const [phone, template] of [[`+86139000000${String(day).padStart(2, '0')}`, 'addon-offer'], ['+8613800000009', day % 3 === 0 ? 'addon-offer' : 'plan-offer']] as const) {
        const m = msg(template, T0 + day * 24 * HOUR, 'marketing', phone);
        if (day === 1 && phone === '+8613800000009') for (const l of [forgetting, keeping]) l.optOutSync(phone);
        verdicts.push([forgetting.checkAndRecordSync(m, marketing).kind, keeping.checkAndRecordSync(m, marketing).kind]);
      }
    }
    expect(verdicts.every(([a, b]) => a === b)).toBe(true);
    expect(verdicts.some(([a]) => a === 'suppressed')).toBe(true);
    expect(keeping.customerCount).toBe(31);
    // The callers of the last one or two weeks, and the one who opted out.
    expect(forgetting.customerCount).toBeGreaterThanOrEqual(8);
    expect(forgetting.customerCount).toBeLessThanOrEqual(15);
    expect(forgetting.stateOfSync('+8613900000000', 'addon-offer', 'marketing', marketing, T0 + 30 * 24 * HOUR)).toEqual({ optedOut: false, sentOfTemplate: 0, sentOfClass: 0 });
  });
});
