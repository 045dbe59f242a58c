import { join } from 'node:path';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { PACKAGE_ROOT } from '../core/config/package-root.js';
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
import { APP_ENV, CLI_SCRIPT, CLOCK, LOGGER } from './tokens.js';

export interface AppOptions {
  env: AppEnv;
  logger: AppLogger;
  /** Wall clock by default; tests pass a ManualClock. */
  clock?: Clock;
  /** The ivr-sim command line the flow editor's comparisons run in; `bin/ivr-sim.js` (the build in dist/) by default. */
  cliScript?: string;
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
        { provide: CLI_SCRIPT, useValue: opts.cliScript ?? join(PACKAGE_ROOT, 'bin', 'ivr-sim.js') },
      ],
      exports: [APP_ENV, LOGGER, CLOCK, CLI_SCRIPT],
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
