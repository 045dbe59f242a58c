import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { deleteKeysUnder } from '../helpers/redis-keys.js';

export const REDIS_URL = 'redis://127.0.0.1:6379';

/** A Redis client and a key prefix of the test's own; `cleanup` removes every key under it. */
export interface RedisScope {
  redis: Redis;
  prefix: string;
  cleanup(): Promise<void>;
}

export function redisScope(suite: string): RedisScope {
  const prefix = `test:sms:${suite}:${randomUUID().slice(0, 8)}:`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  return {
    redis,
    prefix,
    async cleanup() {
      await deleteKeysUnder(redis, prefix);
      await redis.quit();
    },
  };
}
