import type { Redis } from 'ioredis';
import type { CallStateStore, Versioned } from '../../core/telephony/call-state-store.js';
import { CallStateUnavailableError } from '../../core/telephony/live-call-errors.js';
import type { LiveCallState } from '../../core/telephony/live-call-state.js';

/**
 * Compare-and-set in one round trip: the hash holds the version (`v`) and the state JSON (`s`);
 * the write happens only if the stored version is the one the writer read (0: no call yet).
 */
const COMPARE_AND_SET = `
local current = redis.call('HGET', KEYS[1], 'v')
if (current == false and ARGV[1] == '0') or current == ARGV[1] then
  redis.call('HSET', KEYS[1], 'v', ARGV[2], 's', ARGV[3])
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
  return 1
end
return 0
`;

type CasClient = Redis & {
  ivrCallStateCas(key: string, expected: string, next: string, json: string, ttlSec: string): Promise<number>;
};

/** Live call state in Redis: one hash per CallSid under `prefix`, expiring `ttlSec` after its last write. */
export class RedisCallStateStore implements CallStateStore {
  private readonly redis: CasClient;

  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    if (!('ivrCallStateCas' in redis)) redis.defineCommand('ivrCallStateCas', { numberOfKeys: 1, lua: COMPARE_AND_SET });
    this.redis = redis as CasClient;
  }

  key(callSid: string): string {
    return `${this.prefix}call:${callSid}`;
  }

  async get(callSid: string): Promise<Versioned<LiveCallState> | null> {
    const [v, s] = await this.guard(() => this.redis.hmget(this.key(callSid), 'v', 's'));
    if (v === null || v === undefined || s === null || s === undefined) return null;
    return { version: Number(v), value: JSON.parse(s) as LiveCallState };
  }

  async compareAndSet(callSid: string, expectedVersion: number, state: LiveCallState, ttlSec: number): Promise<boolean> {
    const done = await this.guard(() =>
      this.redis.ivrCallStateCas(this.key(callSid), String(expectedVersion), String(expectedVersion + 1), JSON.stringify(state), String(ttlSec)),
    );
    return done === 1;
  }

  private async guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw new CallStateUnavailableError(`call state store: ${(err as Error).message}`, { cause: err });
    }
  }
}
