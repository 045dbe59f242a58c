import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { formatIssue } from '../../core/config/config-error.js';
import type { Clock } from '../../core/time/clock.js';
import { contactPolicyFileIn, ContactPolicySource } from '../../core/sms/contact-policy-file.js';
import type { SmsJob } from '../../core/sms/sms-job.js';
import { SmsPlanner } from '../../core/sms/sms-planner.js';
import { RedisContactLedger } from '../../infra/sms/redis-contact-ledger.js';
import { RedisSmsStats } from '../../infra/sms/redis-sms-stats.js';
import { SmsProducer } from '../../infra/sms/sms-producer.js';
import { smsKeyPrefixes, SMS_QUEUE_NAME } from '../../infra/sms/sms-queue.js';
import type { AppEnv } from '../config/app-env.js';
import type { AppLogger } from '../../infra/logging/logger.js';
import { OUTAGE_SPOOL, SpoolModule } from '../spool/spool.module.js';
import type { OutageSpool } from '../spool/outage-spool.js';
import { TwilioSignatureGuard } from '../telephony/twilio-signature.guard.js';
import { APP_ENV, CLOCK, LOGGER, REDIS } from '../tokens.js';
import { SmsController } from './sms.controller.js';
import { SmsQueueConnection } from './sms-queue-connection.js';
import { SmsService } from './sms.service.js';
import { KeywordOptOuts } from './keyword-opt-outs.js';
import { RedisKeywordLedger } from './redis-keyword-ledger.js';
import { SMS_KEYWORDS, SMS_LEDGER, SMS_POLICY, SMS_PRODUCER, SMS_STATS } from './sms-tokens.js';

const SMS_QUEUE_ERRORS = Symbol('SMS_QUEUE_ERRORS');
const SMS_QUEUE_CONNECTION = Symbol('SMS_QUEUE_CONNECTION');

/** Logs the queue's connection errors: the first of an outage, then again after the queue added a job. */
function watchQueueErrors(queue: Queue<SmsJob>, log: AppLogger): true {
  let quiet = false;
  queue.on('error', (err: Error) => {
    if (!quiet) log.error({ err: err.message }, 'SMS queue: redis unreachable; call SMS are not queued until it is back');
    quiet = true;
  });
  queue.on('waiting', () => (quiet = false));
  return true;
}

/**
 * Triggered SMS in the voice service: the `sms` BullMQ queue (jobs are sent by `npm run worker`),
 * the contact policy from RULES_DIR/contact-policy.json (a bad file stops start-up; a bad edit
 * later is refused), the ledger and counters in the service's Redis, and the /sms webhooks.
 * Keys live under REDIS_KEY_PREFIX, as the worker expects them.
 */
@Global()
@Module({
  imports: [
    SpoolModule,
    BullModule.registerQueueAsync({
      name: SMS_QUEUE_NAME,
      inject: [APP_ENV, SMS_QUEUE_CONNECTION],
      // A connection of the service's own, closed for good on shutdown even while Redis is down.
      useFactory: (env: AppEnv, conn: SmsQueueConnection) => ({ connection: conn.client, prefix: smsKeyPrefixes(env.redis.keyPrefix).bull }),
      // Next to the queue, so the listener is on before the first connection error can arrive
      // (an 'error' event nobody listens to would end the process).
      extraProviders: [
        { provide: SMS_QUEUE_CONNECTION, inject: [APP_ENV], useFactory: (env: AppEnv) => new SmsQueueConnection(env.redis.url) },
        { provide: SMS_QUEUE_ERRORS, inject: [getQueueToken(SMS_QUEUE_NAME), LOGGER], useFactory: watchQueueErrors },
      ],
    }),
  ],
  controllers: [SmsController],
  providers: [
    {
      provide: SMS_POLICY,
      inject: [APP_ENV, LOGGER],
      useFactory: (env: AppEnv, log: AppLogger) =>
        new ContactPolicySource(contactPolicyFileIn(env.configPaths.rulesDir), (err) => {
          for (const issue of err.issues) log.error({ issue: formatIssue(issue) }, 'contact policy edit rejected; the last good policy stays in use');
        }),
    },
    { provide: SMS_LEDGER, inject: [REDIS, APP_ENV], useFactory: (redis: Redis, env: AppEnv) => new RedisContactLedger(redis, smsKeyPrefixes(env.redis.keyPrefix).sms) },
    {
      provide: SMS_KEYWORDS,
      inject: [REDIS, SMS_LEDGER, OUTAGE_SPOOL, LOGGER],
      useFactory: (redis: Redis, ledger: RedisContactLedger, spool: OutageSpool, log: AppLogger) => new KeywordOptOuts(new RedisKeywordLedger(redis, ledger), spool, log),
    },
    { provide: SMS_STATS, inject: [REDIS, APP_ENV], useFactory: (redis: Redis, env: AppEnv) => new RedisSmsStats(redis, smsKeyPrefixes(env.redis.keyPrefix).sms) },
    {
      provide: SMS_PRODUCER,
      inject: [getQueueToken(SMS_QUEUE_NAME), SMS_POLICY, SMS_LEDGER, SMS_STATS, CLOCK],
      useFactory: (queue: Queue<SmsJob>, policy: ContactPolicySource, ledger: RedisContactLedger, stats: RedisSmsStats, clock: Clock) =>
        new SmsProducer(queue, new SmsPlanner({ policy: () => policy.current(), ledger, stats, clock }), clock),
    },
    SmsService,
    TwilioSignatureGuard,
  ],
  exports: [SmsService],
})
export class SmsModule {}
