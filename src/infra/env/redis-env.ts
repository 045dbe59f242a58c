import type { EnvReader } from './env-reader.js';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_REDIS_KEY_PREFIX = 'ivr-sim:';
/** The trace stream's name under REDIS_KEY_PREFIX. */
export const DEFAULT_TRACE_STREAM = 'trace';

/** REDIS_URL and REDIS_KEY_PREFIX, read the same way by the service and the SMS worker. */
export function readRedisEnv(read: EnvReader): { url: string; keyPrefix: string } {
  const url = read.str('REDIS_URL') ?? DEFAULT_REDIS_URL;
  if (!/^rediss?:\/\/./.test(url)) read.problems.push('REDIS_URL: expected redis://host:port or rediss://host:port');
  return { url, keyPrefix: read.str('REDIS_KEY_PREFIX') ?? DEFAULT_REDIS_KEY_PREFIX };
}
