import type { Redis } from 'ioredis';
import type { KeywordAction } from '../../core/sms/opt-out-keywords.js';
import type { RedisContactLedger } from '../../infra/sms/redis-contact-ledger.js';

/** A STOP- or START-family text as received, with the time this service received it. */
export interface KeywordEvent {
  /** E.164. */
  phone: string;
  action: KeywordAction;
  atMs: number;
}

/**
 * Applies a keyword unless a later one was applied already: texts held in a spool during an
 * outage, or drained twice after a crash, must not undo a newer STOP or START. The newest time is
 * the later of the last keyword's (kept) and the opt-out's own (a carrier opt-out has one too).
 * KEYS: opt-out flag, opted-out set, last keyword time. ARGV: action, atMs, phone, opt-out JSON.
 */
const APPLY_KEYWORD = `
local at = tonumber(ARGV[2])
local last = tonumber(redis.call('GET', KEYS[3]) or '-1')
local flag = redis.call('GET', KEYS[1])
if flag then
  local ok, v = pcall(cjson.decode, flag)
  if ok and type(v) == 'table' and tonumber(v.atMs) and tonumber(v.atMs) > last then last = tonumber(v.atMs) end
end
if at < last then return 'stale' end
if ARGV[1] == 'opt-out' then
  redis.call('SET', KEYS[1], ARGV[4])
  redis.call('SADD', KEYS[2], ARGV[3])
else
  redis.call('DEL', KEYS[1])
  redis.call('SREM', KEYS[2], ARGV[3])
end
redis.call('SET', KEYS[3], ARGV[2])
return 'applied'
`;

type KeywordClient = Redis & {
  smsApplyKeyword(flag: string, set: string, last: string, action: string, atMs: string, phone: string, json: string): Promise<string>;
};

/** STOP/START on the contact ledger's opt-out keys, newest first wins, in one script. */
export class RedisKeywordLedger {
  private readonly redis: KeywordClient;

  constructor(
    redis: Redis,
    private readonly ledger: RedisContactLedger,
  ) {
    if (!('smsApplyKeyword' in redis)) redis.defineCommand('smsApplyKeyword', { numberOfKeys: 3, lua: APPLY_KEYWORD });
    this.redis = redis as KeywordClient;
  }

  /** `<prefix>c:{<phone>}:keyword`: when the last keyword of this number was received (epoch ms). */
  lastKeywordKey(phone: string): string {
    return `${this.ledger.prefix}c:{${phone}}:keyword`;
  }

  async apply(ev: KeywordEvent): Promise<'applied' | 'stale'> {
    const flag = this.ledger.keys({ key: '', phone: ev.phone, template: '', class: 'marketing' })[3];
    const json = JSON.stringify({ atMs: ev.atMs, source: 'keyword' });
    return (await this.redis.smsApplyKeyword(flag, this.ledger.optOutSetKey, this.lastKeywordKey(ev.phone), ev.action, String(ev.atMs), ev.phone, json)) as 'applied' | 'stale';
  }
}
