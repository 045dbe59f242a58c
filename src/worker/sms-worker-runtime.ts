import { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Clock } from '../core/time/clock.js';
import { contactPolicyFileIn, ContactPolicySource } from '../core/sms/contact-policy-file.js';
import { formatIssue } from '../core/config/config-error.js';
import { SmsDispatcher, type SendCheckpoint } from '../core/sms/sms-dispatcher.js';
import { maskPhone } from '../core/customers/customer-directory.js';
import type { SmsSender } from '../core/sms/sms-sender.js';
import { RedisContactLedger } from '../infra/sms/redis-contact-ledger.js';
import { RedisSmsStats } from '../infra/sms/redis-sms-stats.js';
import { createSmsWorker, type SmsJobResult } from '../infra/sms/sms-processor.js';
import { smsKeyPrefixes, statusCallbackUrl } from '../infra/sms/sms-queue.js';
import type { SmsWorkerEnv } from './sms-worker-env.js';
import { TemplatesSource } from '../infra/sms/templates-source.js';
import { TwilioSmsSender } from '../infra/sms/twilio-sms-sender.js';
import { createTwilioClient } from '../infra/twilio/twilio-client.js';
import type { SmsJob } from '../core/sms/sms-job.js';

export interface SmsWorkerRuntime {
  worker: Worker<SmsJob, SmsJobResult>;
  ledger: RedisContactLedger;
  stats: RedisSmsStats;
  /** Stops taking jobs, lets running ones finish (unless Redis is unreachable), closes Redis. */
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

/** SMS_WORKER_CRASH_AT: die like `kill -9` when the n-th message of this process reaches the point. */
function crashHook(crashAt: SmsWorkerEnv['crashAt'], log: Logger): ((point: SendCheckpoint) => void) | undefined {
  if (!crashAt) return undefined;
  log.warn(
    { setting: `SMS_WORKER_CRASH_AT=${crashAt.point}:${crashAt.nth}` },
    `CRASH TEST HOOK ON: this worker kills itself (SIGKILL) when its message ${crashAt.nth} reaches '${crashAt.point}'. For crash tests only; never set it in production.`,
  );
  let seen = 0;
  return (point) => {
    if (point !== crashAt.point || ++seen !== crashAt.nth) return;
    log.warn({ point, nth: seen }, 'SMS_WORKER_CRASH_AT: killing this worker');
    process.kill(process.pid, 'SIGKILL');
  };
}

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
    wallClock,
    statusCallbackUrl: (job) => statusCallbackUrl(env.publicBaseUrl, job),
    ...(env.crashAt ? { checkpoint: crashHook(env.crashAt, log)! } : {}),
  });
  const lockDurationMs = deps.lockDurationMs ?? env.lockMs ?? undefined;
  const stalledIntervalMs = deps.stalledIntervalMs ?? (env.lockMs !== null ? Math.round(env.lockMs / 2) : undefined);
  const worker = createSmsWorker({
    connection: { url: env.redis.url },
    prefix: prefixes.bull,
    dispatcher,
    clock,
    ratePerSec: env.ratePerSec,
    concurrency: env.concurrency,
    ...(lockDurationMs !== undefined ? { lockDurationMs } : {}),
    ...(stalledIntervalMs !== undefined ? { stalledIntervalMs } : {}),
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
      // While Redis is out of reach a graceful close would wait for it forever. A send cut short
      // there leaves its claim without a SID, which the next worker reconciles (docs/sms.md).
      await worker.close(!redisUp);
      redis.disconnect();
    },
  };
}
