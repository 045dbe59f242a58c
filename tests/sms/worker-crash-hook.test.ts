import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/infra/logging/logger.js';
import { loadSmsWorkerEnv } from '../../src/worker/sms-worker-env.js';
import { startSmsWorkerRuntime, type SmsWorkerRuntime } from '../../src/worker/sms-worker-runtime.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_BASE_URL } from '../helpers/twilio.js';
import { REDIS_URL, redisScope, type RedisScope } from './redis-fixtures.js';

let scope: RedisScope | undefined;
let runtime: SmsWorkerRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  await scope?.cleanup();
  runtime = scope = undefined;
});

/** Starts the worker's runtime from an environment as `npm run worker` reads it; returns what it logged at start-up. */
function startWith(extra: Record<string, string>): Array<{ level: number; msg: string; setting?: string }> {
  scope = redisScope('crash-hook');
  const lines: Array<{ level: number; msg: string; setting?: string }> = [];
  const env = loadSmsWorkerEnv({
    REDIS_URL,
    REDIS_KEY_PREFIX: scope.prefix,
    TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    TWILIO_SMS_FROM: '+8610086',
    PUBLIC_BASE_URL: TEST_BASE_URL,
    SMS_RATE_PER_SEC: '5',
    ...extra,
  });
  runtime = startSmsWorkerRuntime(env, { logger: createLogger('info', { write: (s: string) => void lines.push(JSON.parse(s)) }) });
  return lines;
}

describe('SMS_WORKER_CRASH_AT, the crash tests\' hook', () => {
  it('is off unless set, and says nothing then', () => {
    const lines = startWith({});
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
  });

  it('when set, is announced as a warning at start-up, naming the setting', () => {
    const lines = startWith({ SMS_WORKER_CRASH_AT: 'answered:3' });
    expect(lines.filter((l) => l.level >= 40)).toEqual([
      expect.objectContaining({ level: 40, setting: 'SMS_WORKER_CRASH_AT=answered:3', msg: expect.stringMatching(/kills itself .*message 3 .*answered.*crash tests only/i) }),
    ]);
  });
});
