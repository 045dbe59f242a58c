import 'reflect-metadata';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadAppEnv, type AppEnv } from '../../src/app/config/app-env.js';
import { LiveConfigModule } from '../../src/app/config/live-config.module.js';
import { GlobalExceptionFilter } from '../../src/app/errors/global-exception.filter.js';
import { createLogger, NestPinoLogger, type AppLogger } from '../../src/app/logging/logger.js';
import { requestTiming } from '../../src/app/logging/request-timing.js';
import { RedisModule } from '../../src/app/redis/redis.module.js';
import { SmsModule } from '../../src/app/sms/sms.module.js';
import { SmsService } from '../../src/app/sms/sms.service.js';
import { TelephonyModule } from '../../src/app/telephony/telephony.module.js';
import { APP_ENV, CALL_STATE_STORE, CLOCK, LOGGER } from '../../src/app/tokens.js';
import type { CallStateStore } from '../../src/core/live/call-state-store.js';
import { ManualClock, type Clock } from '../../src/core/live/clock.js';
import type { Harness, LogLine } from '../app/harness.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_BASE_URL } from '../helpers/twilio.js';
import { REDIS_URL } from './redis-fixtures.js';

@Global()
@Module({})
class TestContextModule {
  static forRoot(env: AppEnv, logger: AppLogger, clock: Clock): DynamicModule {
    return {
      module: TestContextModule,
      providers: [
        { provide: APP_ENV, useValue: env },
        { provide: LOGGER, useValue: logger },
        { provide: CLOCK, useValue: clock },
      ],
      exports: [APP_ENV, LOGGER, CLOCK],
    };
  }
}

/** The voice service's modules plus SmsModule: what AppModule is once SmsModule is added to its imports. */
@Module({})
class VoiceWithSmsModule {
  static forRoot(env: AppEnv, logger: AppLogger, clock: Clock): DynamicModule {
    return {
      module: VoiceWithSmsModule,
      imports: [TestContextModule.forRoot(env, logger, clock), RedisModule, LiveConfigModule, TelephonyModule, SmsModule],
      providers: [{ provide: APP_FILTER, useClass: GlobalExceptionFilter }],
    };
  }
}

export interface SmsAppHarness extends Harness {
  sms: SmsService;
}

/**
 * The voice service with the SMS module, on a real Redis under a key prefix of its own and a
 * manual clock (08:30 UTC, 16:30 in Shanghai); `close` removes every key under the prefix.
 */
export async function startSmsApp(suite: string, env: Record<string, string> = {}): Promise<SmsAppHarness> {
  const prefix = `test:sms-app:${suite}:${randomUUID().slice(0, 8)}:`;
  const appEnv = loadAppEnv({
    PUBLIC_BASE_URL: TEST_BASE_URL,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    TRACE_STREAM: `${prefix}trace`,
    CONFIG_WATCH: 'off',
    ...env,
  });
  const logs: LogLine[] = [];
  const logger = createLogger('info', { write: (s: string) => void logs.push(JSON.parse(s) as LogLine) });
  const clock = new ManualClock(Date.UTC(2025, 5, 2, 8, 30, 0));
  const app = await NestFactory.create(VoiceWithSmsModule.forRoot(appEnv, logger, clock), { logger: new NestPinoLogger(logger) });
  app.use(requestTiming);
  await app.init();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  return {
    app,
    server: app.getHttpServer(),
    env: appEnv,
    clock,
    logs,
    store: app.get<CallStateStore>(CALL_STATE_STORE),
    sms: app.get(SmsService),
    redis,
    prefix,
    async close() {
      await app.close();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      await redis.quit();
    },
  };
}
