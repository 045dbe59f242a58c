import { Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { CallStateStore } from '../../core/telephony/call-state-store.js';
import { talkSecFromBehaviour, type TraceSink } from '../../core/telephony/call-recording.js';
import type { Clock } from '../../core/time/clock.js';
import type { ConfigVersions } from '../../core/telephony/config-versions.js';
import { LiveCallCoordinator } from '../../core/telephony/live-call-coordinator.js';
import { loadCallerBehaviour } from '../../core/trace/caller-behaviour.js';
import type { AppEnv } from '../config/app-env.js';
import { CallRecorder } from '../recording/call-recorder.js';
import { RedisTraceStream } from '../../infra/recording/redis-trace-stream.js';
import { SpoolModule } from '../spool/spool.module.js';
import { APP_ENV, CALL_STATE_STORE, CLOCK, CONFIG_VERSIONS, LIVE_CALLS, REDIS, TRACE_SINK } from '../tokens.js';
import { RedisCallStateStore } from './redis-call-state-store.js';
import { TwilioSignatureGuard } from './twilio-signature.guard.js';
import { TwimlRenderer } from './twiml-renderer.js';
import { VoiceController } from './voice.controller.js';
import { VoiceService } from './voice.service.js';
import { VoiceUrls } from './voice-urls.js';
import { WebhookLogInterceptor } from './webhook-log.interceptor.js';

@Module({
  imports: [SpoolModule],
  controllers: [VoiceController],
  providers: [
    { provide: VoiceUrls, inject: [APP_ENV], useFactory: (env: AppEnv) => new VoiceUrls(env.publicBaseUrl) },
    {
      provide: TwimlRenderer,
      inject: [APP_ENV, VoiceUrls],
      useFactory: (env: AppEnv, urls: VoiceUrls) =>
        new TwimlRenderer({ urls, workflowSid: env.twilio.workflowSid, taskTimeoutSec: env.twilio.taskTimeoutSec, holdMusicUrl: env.twilio.holdMusicUrl }),
    },
    { provide: CALL_STATE_STORE, inject: [REDIS, APP_ENV], useFactory: (redis: Redis, env: AppEnv) => new RedisCallStateStore(redis, env.redis.keyPrefix) },
    {
      provide: TRACE_SINK,
      inject: [REDIS, APP_ENV],
      useFactory: (redis: Redis, env: AppEnv) =>
        new RedisTraceStream(redis, env.traceStream.key, env.traceStream.maxLen, { keyPrefix: env.redis.keyPrefix, ttlSec: env.callTombstoneTtlSec }),
    },
    {
      provide: LIVE_CALLS,
      inject: [CONFIG_VERSIONS, CALL_STATE_STORE, TRACE_SINK, CLOCK, APP_ENV],
      useFactory: (configs: ConfigVersions, store: CallStateStore, sink: TraceSink, clock: Clock, env: AppEnv) =>
        new LiveCallCoordinator({
          configs,
          store,
          sink,
          clock,
          ttlSec: env.callStateTtlSec,
          assumedTalkSec: talkSecFromBehaviour(loadCallerBehaviour(env.callerBehaviourFile)),
        }),
    },
    CallRecorder,
    VoiceService,
    TwilioSignatureGuard,
    WebhookLogInterceptor,
  ],
  exports: [TwimlRenderer, LIVE_CALLS, CALL_STATE_STORE, TRACE_SINK],
})
export class TelephonyModule {}
