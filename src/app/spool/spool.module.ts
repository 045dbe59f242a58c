import { Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { join } from 'node:path';
import type { AppEnv } from '../config/app-env.js';
import type { AppLogger } from '../../infra/logging/logger.js';
import { APP_ENV, LOGGER, REDIS } from '../tokens.js';
import { FileSpool } from './file-spool.js';
import { OutageSpool, type SpoolItem } from './outage-spool.js';

export const OUTAGE_SPOOL = Symbol('OUTAGE_SPOOL');

/** Drains what earlier runs left once every handler is registered; closes the file on shutdown. */
@Injectable()
class SpoolLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(OUTAGE_SPOOL) private readonly spool: OutageSpool) {}
  onApplicationBootstrap(): void {
    this.spool.start();
  }
  async onApplicationShutdown(): Promise<void> {
    await this.spool.close();
  }
}

/** This instance's outage spool, `<SPOOL_DIR>/<SPOOL_NAME>.jsonl`, shared by the voice and SMS modules. */
@Module({
  providers: [
    {
      provide: OUTAGE_SPOOL,
      inject: [APP_ENV, LOGGER, REDIS],
      useFactory: async (env: AppEnv, log: AppLogger, redis: Redis) => {
        const file = await FileSpool.open<SpoolItem>(join(env.spool.dir, `${env.spool.name}.jsonl`));
        return new OutageSpool(file, log, env.spool.retryMs, redis);
      },
    },
    SpoolLifecycle,
  ],
  exports: [OUTAGE_SPOOL],
})
export class SpoolModule {}
