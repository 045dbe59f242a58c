import { describe, expect, it } from 'vitest';
import { AppEnvError, loadAppEnv } from '../../src/app/config/app-env.js';
import { envReader } from '../../src/infra/env/env-reader.js';
import { DEFAULT_REDIS_KEY_PREFIX, DEFAULT_REDIS_URL, readRedisEnv } from '../../src/infra/env/redis-env.js';
import { redactUrl } from '../../src/infra/redis/redact-url.js';
import { loadSmsWorkerEnv, SmsWorkerEnvError } from '../../src/worker/sms-worker-env.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../helpers/twilio.js';

const service = { PUBLIC_BASE_URL: 'https://ivr.example.com/', TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID };
const worker = { ...service, TWILIO_SMS_FROM: '+8610086', SMS_RATE_PER_SEC: '10' };

const problemsOf = (load: () => unknown): string[] => {
  try {
    load();
  } catch (err) {
    if (err instanceof AppEnvError || err instanceof SmsWorkerEnvError) return err.problems;
    throw err;
  }
  return [];
};

describe('the environment readers the service and the SMS worker share', () => {
  it('give both processes the same Redis, under the same key prefix, when none is set', () => {
    expect(loadAppEnv(service).redis).toMatchObject({ url: DEFAULT_REDIS_URL, keyPrefix: DEFAULT_REDIS_KEY_PREFIX });
    expect(loadSmsWorkerEnv(worker).redis).toEqual({ url: DEFAULT_REDIS_URL, keyPrefix: DEFAULT_REDIS_KEY_PREFIX });
    const set = { REDIS_URL: 'rediss://cache.example.com:6380', REDIS_KEY_PREFIX: 'hotline:' };
    expect(loadAppEnv({ ...service, ...set }).redis).toMatchObject({ url: set.REDIS_URL, keyPrefix: set.REDIS_KEY_PREFIX });
    expect(loadSmsWorkerEnv({ ...worker, ...set }).redis).toEqual({ url: set.REDIS_URL, keyPrefix: set.REDIS_KEY_PREFIX });
  });

  it('refuse a bad REDIS_URL and LOG_LEVEL in the same words in both processes', () => {
    const bad = { REDIS_URL: 'localhost:6379', LOG_LEVEL: 'loud' };
    const expected = ['REDIS_URL: expected redis://host:port or rediss://host:port', 'LOG_LEVEL=loud: expected one of fatal, error, warn, info, debug, trace, silent'];
    expect(problemsOf(() => loadAppEnv({ ...service, ...bad }))).toEqual(expect.arrayContaining(expected));
    expect(problemsOf(() => loadSmsWorkerEnv({ ...worker, ...bad }))).toEqual(expect.arrayContaining(expected));
  });

  it('collect every problem instead of stopping at the first, each naming the variable and what was expected', () => {
    const read = envReader({ PORT: 'eighty', WATCH: 'maybe', RATE: '-1', NAME: '  ' });
    expect(read.int('PORT', 3000, 1, 65535)).toBe(3000);
    expect(read.onOff('WATCH', true)).toBe(true);
    expect(read.num('RATE', 1, (n) => n > 0, 'a number above 0')).toBe(1);
    expect(read.str('NAME')).toBeUndefined();
    expect(readRedisEnv(read)).toEqual({ url: DEFAULT_REDIS_URL, keyPrefix: DEFAULT_REDIS_KEY_PREFIX });
    expect(read.problems).toEqual(['PORT=eighty: expected a whole number from 1 to 65535', 'WATCH=maybe: expected on or off', 'RATE=-1: expected a number above 0']);
  });

  it('never print a Redis password in logs', () => {
    expect(redactUrl('redis://default:s3cret@cache.example.com:6379/0')).toBe('redis://default:***@cache.example.com:6379/0');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
