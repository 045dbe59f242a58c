import { Redis } from '../queue/commonjs-packages.js';
import { NamedError } from '../../core/errors/named-error.js';

/** Redis could not be reached: no run was queued, nothing written. */
export class RedisUnreachableError extends NamedError {
  readonly code = 'REDIS_UNREACHABLE';
  override readonly exitCode = 1;
  constructor(
    readonly url: string,
    detail: string,
  ) {
    super(`cannot reach Redis at ${url} (--redis-url): ${detail}`);
    this.name = 'RedisUnreachableError';
  }
}

/** A connection BullMQ can use (no per-command retry limit), checked with a PING within `timeoutMs`. */
export async function connectRedis(url: string, shown: string, timeoutMs = 5_000): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null, connectTimeout: timeoutMs, retryStrategy: () => null });
  let cause: Error | undefined;
  redis.on('error', (err: Error) => (cause ??= err)); // reported through the failed connect below
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs).unref()),
    ]);
  } catch (err) {
    redis.disconnect();
    throw new RedisUnreachableError(shown, (cause ?? (err as Error)).message);
  }
  // Once up, reconnect as usual should the connection drop.
  redis.options.retryStrategy = (times: number) => Math.min(times * 200, 2_000);
  return redis;
}
