import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Clock } from '../core/time/clock.js';
import type { AppEnv } from './config/app-env.js';
import { LiveConfigModule } from './config/live-config.module.js';
import { GlobalExceptionFilter } from './errors/global-exception.filter.js';
import { DesignerModule } from './designer/designer.module.js';
import { HealthModule } from './health/health.module.js';
import { ListenersModule } from './listeners/listeners.module.js';
import type { AppLogger } from '../infra/logging/logger.js';
import { RedisModule } from './redis/redis.module.js';
import { ScreenPopModule } from './screen-pop/screen-pop.module.js';
import { SmsModule } from './sms/sms.module.js';
import { TelephonyModule } from './telephony/telephony.module.js';
import { APP_ENV, CLOCK, LOGGER } from './tokens.js';

export interface AppOptions {
  env: AppEnv;
  logger: AppLogger;
  /** Wall clock by default; tests pass a ManualClock. */
  clock?: Clock;
}

/** The wall clock, behind the core's Clock interface. */
export const systemClock: Clock = { now: () => Date.now() };

@Global()
@Module({})
class AppContextModule {
  static forRoot(opts: AppOptions): DynamicModule {
    return {
      module: AppContextModule,
      providers: [
        { provide: APP_ENV, useValue: opts.env },
        { provide: LOGGER, useValue: opts.logger },
        { provide: CLOCK, useValue: opts.clock ?? systemClock },
      ],
      exports: [APP_ENV, LOGGER, CLOCK],
    };
  }
}

@Module({})
export class AppModule {
  static forRoot(opts: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [AppContextModule.forRoot(opts), RedisModule, LiveConfigModule, ListenersModule, TelephonyModule, HealthModule, ScreenPopModule, DesignerModule, SmsModule],
      providers: [{ provide: APP_FILTER, useClass: GlobalExceptionFilter }],
    };
  }
}
