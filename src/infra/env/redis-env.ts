import type { EnvReader } from './env-reader.js';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_REDIS_KEY_PREFIX = 'ivr-sim:';
/** The trace stream's name under REDIS_KEY_PREFIX. */
export const DEFAULT_TRACE_STREAM = 'trace';

/**
 * What is wrong with a TRACE_STREAM that still names the whole key (`ivr-sim:trace`), as it did
 * before it became a name under REDIS_KEY_PREFIX; null when it is a plain name. Taken as a name,
 * such a setting would record into `<prefix><prefix>trace`, away from the calls recorded before.
 */
export function traceStreamProblem(name: string, keyPrefix: string): string | null {
  if (keyPrefix === '' || !name.startsWith(keyPrefix)) return null;
  return `TRACE_STREAM=${name}: now the stream's name under REDIS_KEY_PREFIX (${keyPrefix}), not the whole key; set TRACE_STREAM=${name.slice(keyPrefix.length) || DEFAULT_TRACE_STREAM}`;
}

/** REDIS_URL and REDIS_KEY_PREFIX, read the same way by the service and the SMS worker. */
export function readRedisEnv(read: EnvReader): { url: string; keyPrefix: string } {
  const url = read.str('REDIS_URL') ?? DEFAULT_REDIS_URL;
  if (!/^rediss?:\/\/./.test(url)) read.problems.push('REDIS_URL: expected redis://host:port or rediss://host:port');
  return { url, keyPrefix: read.str('REDIS_KEY_PREFIX') ?? DEFAULT_REDIS_KEY_PREFIX };
}
