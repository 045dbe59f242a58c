import { Global, Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AppEnv } from '../config/app-env.js';
import { APP_ENV, REDIS } from '../tokens.js';
import { AgentEventsController } from './agent-events.controller.js';
import { AgentEventsService } from './agent-events.service.js';
import { AgentPageController } from './agent-page.controller.js';
import { HANDOFF_LISTENER } from './handoff-listener.js';
import { RedisScreenPopStreams } from './redis-screen-pop-streams.js';
import { DEFAULT_SCREEN_POP_SETTINGS, type ScreenPopSettings } from './screen-pop-settings.js';
import { ScreenPopPublisher } from './screen-pop.publisher.js';
import { SCREEN_POP_SETTINGS, SCREEN_POP_STREAMS } from './screen-pop-tokens.js';

/**
 * Agent screen pops: every hand-off is published to its queue's Redis stream, and desktops read
 * them as Server-Sent Events from any instance. Global so the voice webhooks find the
 * HANDOFF_LISTENER without depending on this module.
 */
@Global()
@Module({
  controllers: [AgentEventsController, AgentPageController],
  providers: [
    { provide: SCREEN_POP_SETTINGS, useValue: DEFAULT_SCREEN_POP_SETTINGS },
    {
      provide: SCREEN_POP_STREAMS,
      inject: [REDIS, APP_ENV, SCREEN_POP_SETTINGS],
      useFactory: (redis: Redis, env: AppEnv, settings: ScreenPopSettings) => new RedisScreenPopStreams(redis, env.redis.keyPrefix, settings.maxLenPerQueue),
    },
    ScreenPopPublisher,
    { provide: HANDOFF_LISTENER, useExisting: ScreenPopPublisher },
    AgentEventsService,
  ],
  exports: [HANDOFF_LISTENER],
})
export class ScreenPopModule {}
