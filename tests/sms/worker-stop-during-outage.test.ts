import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/infra/logging/logger.js';
import { loadSmsWorkerEnv } from '../../src/worker/sms-worker-env.js';
import { startSmsWorkerRuntime, type SmsWorkerRuntime } from '../../src/worker/sms-worker-runtime.js';
import { RedisLink } from '../app/redis-link.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_BASE_URL } from '../helpers/twilio.js';
import { redisScope, type RedisScope } from './redis-fixtures.js';

let scope: RedisScope | undefined;
let link: RedisLink | undefined;
afterEach(async () => {
  await link?.cut().catch(() => undefined);
  await scope?.cleanup();
  scope = link = undefined;
});

describe('stopping the SMS worker while Redis is unreachable', () => {
  it('stops (SIGTERM, Ctrl-C) instead of waiting for Redis forever', async () => {
    scope = redisScope('worker-stop');
    link = new RedisLink();
    await link.open();
    const msgs: string[] = [];
    const env = loadSmsWorkerEnv({
      REDIS_URL: `redis://127.0.0.1:${link.port}`,
      REDIS_KEY_PREFIX: scope.prefix,
      TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
      TWILIO_SMS_FROM: '+8610086',
      PUBLIC_BASE_URL: TEST_BASE_URL,
      SMS_RATE_PER_SEC: '5',
    });
    const runtime: SmsWorkerRuntime = startSmsWorkerRuntime(env, { logger: createLogger('info', { write: (s: string) => void msgs.push((JSON.parse(s) as { msg: string }).msg) }) });
    await runtime.worker.waitUntilReady();
    await link.cut();
    await vi.waitFor(() => expect(msgs).toContain('redis unreachable: jobs wait until it is back'), { timeout: 5_000 });

    const outcome = await Promise.race([
      runtime.close().then(() => 'closed'),
      new Promise<string>((resolve) => setTimeout(() => resolve('still waiting for Redis after 5 s'), 5_000)),
    ]);
    expect(outcome).toBe('closed');
  }, 20_000);
});
