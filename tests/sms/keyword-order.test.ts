import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisKeywordLedger } from '../../src/app/sms/redis-keyword-ledger.js';
import { RedisContactLedger } from '../../src/infra/sms/redis-contact-ledger.js';
import { redisScope, type RedisScope } from './redis-fixtures.js';

describe('STOP and START: the newest one received wins, whatever order they reach Redis in', () => {
  let scope: RedisScope;
  let ledger: RedisContactLedger;
  let keywords: RedisKeywordLedger;
  beforeAll(() => {
    scope = redisScope('keyword-order');
    ledger = new RedisContactLedger(scope.redis, scope.prefix);
    keywords = new RedisKeywordLedger(scope.redis, ledger);
  });
  afterAll(() => scope.cleanup());

  it('does not let a STOP held back in a spool undo a later START, nor the other way round', async () => {
    const phone = '+8613800000101';
    expect(await keywords.apply({ phone, action: 'opt-in', atMs: 2_000 })).toBe('applied');
    expect(await keywords.apply({ phone, action: 'opt-out', atMs: 1_000 })).toBe('stale');
    expect(await ledger.isOptedOut(phone)).toBe(false);

    const other = '+8613800000102';
    expect(await keywords.apply({ phone: other, action: 'opt-out', atMs: 2_000 })).toBe('applied');
    expect(await keywords.apply({ phone: other, action: 'opt-in', atMs: 1_000 })).toBe('stale');
    expect(await ledger.isOptedOut(other)).toBe(true);
    expect(await scope.redis.sismember(ledger.optOutSetKey, other)).toBe(1);
  });

  it('applies keywords of the same time in the order they come, and a second application changes nothing', async () => {
    const phone = '+8613800000103';
    const stop = { phone, action: 'opt-out' as const, atMs: 5_000 };
    const start = { phone, action: 'opt-in' as const, atMs: 6_000 };
    for (const ev of [stop, start]) await keywords.apply(ev);
    // Drained again after a crash, before the spool recorded its progress.
    for (const ev of [stop, start]) await keywords.apply(ev);
    expect(await ledger.isOptedOut(phone)).toBe(false);
    expect(await keywords.apply({ phone, action: 'opt-out', atMs: 6_000 })).toBe('applied');
    expect(await ledger.isOptedOut(phone)).toBe(true);
  });

  it('counts a carrier opt-out (Twilio error 21610) as the newest word until a later START', async () => {
    const phone = '+8613800000104';
    await ledger.optOut(phone, 3_000, 'carrier');
    expect(await keywords.apply({ phone, action: 'opt-in', atMs: 2_500 })).toBe('stale');
    expect(await ledger.isOptedOut(phone)).toBe(true);
    expect(await keywords.apply({ phone, action: 'opt-in', atMs: 3_500 })).toBe('applied');
    expect(await ledger.isOptedOut(phone)).toBe(false);
  });
});
