import { Global, Module } from '@nestjs/common';
import { loadConfiguration } from '../../core/configuration/configuration.js';
import type { Clock } from '../../core/time/clock.js';
import { ConfigVersions } from '../../core/telephony/config-versions.js';
import { APP_ENV, CLOCK, CONFIG_STATUS, CONFIG_VERSIONS } from '../tokens.js';
import type { AppEnv } from './app-env.js';
import { ConfigStatus } from './config-status.js';
import { ConfigWatcher } from './config-watcher.js';

/**
 * Flows, rules and customers for live calls. A configuration that does not load stops the
 * service at start-up (ConfigError lists every problem); later bad edits are only refused.
 */
@Global()
@Module({
  providers: [
    {
      provide: CONFIG_VERSIONS,
      inject: [APP_ENV, CLOCK],
      useFactory: (env: AppEnv, clock: Clock) => new ConfigVersions(loadConfiguration(env.configPaths), env.callStateTtlSec * 1000, clock.now()),
    },
    {
      provide: CONFIG_STATUS,
      inject: [CONFIG_VERSIONS, CLOCK],
      useFactory: (versions: ConfigVersions, clock: Clock) => new ConfigStatus(versions.current.config.version, clock.now()),
    },
    ConfigWatcher,
  ],
  exports: [CONFIG_VERSIONS, CONFIG_STATUS, ConfigWatcher],
})
export class LiveConfigModule {}
