import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AppEnv } from '../config/app-env.js';
import type { AppLogger } from '../../infra/logging/logger.js';
import { APP_ENV, LOGGER, REDIS } from '../tokens.js';
import { connectRedis } from '../../infra/redis/redis-client.js';

@Injectable()
class RedisShutdown implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_ENV, LOGGER],
      useFactory: (env: AppEnv, log: AppLogger) => connectRedis(env.redis.url, env.redis.commandTimeoutMs, log),
    },
    RedisShutdown,
  ],
  exports: [REDIS],
})
export class RedisModule {}
