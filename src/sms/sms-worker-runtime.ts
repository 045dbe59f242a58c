import { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Clock } from '../core/time/clock.js';
import { contactPolicyFileIn, ContactPolicySource } from '../core/sms/contact-policy-file.js';
import { formatIssue } from '../core/config/config-error.js';
import { SmsDispatcher } from '../core/sms/sms-dispatcher.js';
import { maskPhone } from '../core/customers/customer-directory.js';
import type { SmsSender } from '../core/sms/sms-sender.js';
import { RedisContactLedger } from './redis-contact-ledger.js';
import { RedisSmsStats } from './redis-sms-stats.js';
import { createSmsWorker, type SmsJobResult } from './sms-processor.js';
import { smsKeyPrefixes, statusCallbackUrl } from './sms-queue.js';
import type { SmsWorkerEnv } from './sms-worker-env.js';
import { TemplatesSource } from './templates-source.js';
import { createTwilioClient, TwilioSmsSender } from './twilio-sms-sender.js';
import type { SmsJob } from '../core/sms/sms-job.js';

export interface SmsWorkerRuntime {
  worker: Worker<SmsJob, SmsJobResult>;
  ledger: RedisContactLedger;
  stats: RedisSmsStats;
  /** Stops taking jobs, lets running ones finish, closes Redis. */
  close(): Promise<void>;
}

export interface SmsWorkerDeps {
  logger: Logger;
  /** Wall clock by default; tests pass a ManualClock. */
  clock?: Clock;
  /** Twilio by default (TWILIO_API_BASE_URL may point it at a stand-in). */
  sender?: SmsSender;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

const wallClock: Clock = { now: () => Date.now() };

/**
 * The SMS worker as `npm run worker` runs it: templates and contact policy from RULES_DIR
 * (re-read when edited), the contact ledger and counters in Redis, Twilio as the sender, and a
 * BullMQ worker limited to SMS_RATE_PER_SEC.
 */
export function startSmsWorkerRuntime(env: SmsWorkerEnv, deps: SmsWorkerDeps): SmsWorkerRuntime {
  const log = deps.logger;
  const clock = deps.clock ?? wallClock;
  const prefixes = smsKeyPrefixes(env.redis.keyPrefix);
  const rejected = (what: string) => (err: { issues: Parameters<typeof formatIssue>[0][] }) => {
    for (const issue of err.issues) log.error({ issue: formatIssue(issue) }, `${what} edit rejected; the last good version stays in use`);
  };
  const policy = new ContactPolicySource(contactPolicyFileIn(env.rulesDir), rejected('contact policy'));
  const templates = new TemplatesSource(env.rulesDir, rejected('SMS templates'));
  const redis = new Redis(env.redis.url, { maxRetriesPerRequest: 2, retryStrategy: (times) => Math.min(100 * times, 2000) });
  let redisUp = true;
  redis.on('error', (err: Error) => {
    if (redisUp) log.error({ err: err.message }, 'redis unreachable: jobs wait until it is back');
    redisUp = false;
  });
  redis.on('ready', () => (redisUp = true));
  const ledger = new RedisContactLedger(redis, prefixes.sms);
  const stats = new RedisSmsStats(redis, prefixes.sms);
  const sender =
    deps.sender ??
    new TwilioSmsSender(
      createTwilioClient({ accountSid: env.twilio.accountSid, authToken: env.twilio.authToken, apiBaseUrl: env.twilio.apiBaseUrl, timeoutMs: env.twilio.timeoutMs }),
      env.twilio.origin,
    );
  const dispatcher = new SmsDispatcher({
    policy: () => policy.current(),
    templates: () => templates.current(),
    ledger,
    sender,
    stats,
    clock,
    statusCallbackUrl: (job) => statusCallbackUrl(env.publicBaseUrl, job),
  });
  const worker = createSmsWorker({
    connection: { url: env.redis.url },
    prefix: prefixes.bull,
    dispatcher,
    clock,
    ratePerSec: env.ratePerSec,
    concurrency: env.concurrency,
    ...(deps.lockDurationMs !== undefined ? { lockDurationMs: deps.lockDurationMs } : {}),
    ...(deps.stalledIntervalMs !== undefined ? { stalledIntervalMs: deps.stalledIntervalMs } : {}),
    hooks: {
      onAttemptFailed: (job, err, final) =>
        log[final ? 'error' : 'warn'](
          { job: job.id, template: job.data.template, to: maskPhone(job.data.phone), attempt: job.attemptsMade + 1, code: (err as { code?: unknown }).code, err: (err as Error).message },
          final ? 'SMS failed for good' : 'SMS attempt failed; retrying with backoff',
        ),
    },
    onError: (err) => log.error({ err: err.message }, 'SMS worker error'),
  });
  worker.on('completed', (job, result) => log.info({ job: job.id, template: job.data.template, to: maskPhone(job.data.phone), result: result.kind, ...(result.kind === 'suppressed' ? { reason: result.reason } : {}) }, 'SMS job done'));
  return {
    worker,
    ledger,
    stats,
    async close() {
      await worker.close();
      redis.disconnect();
    },
  };
}
