import { Queue, type Job, type JobsOptions } from 'bullmq';
import type { Decision, SmsRequest } from '../../src/core/decision/decision.js';
import { ManualClock } from '../../src/core/time/clock.js';
import type { Language } from '../../src/core/profile/customer-profile.js';
import { loadRules } from '../../src/core/rules/rule-files.js';
import { defaultPaths } from '../../src/core/configuration/configuration.js';
import type { ContactPolicy } from '../../src/core/sms/contact-policy.js';
import { loadContactPolicy } from '../../src/core/sms/contact-policy-file.js';
import { SmsDispatcher } from '../../src/core/sms/sms-dispatcher.js';
import type { SmsJob } from '../../src/core/sms/sms-job.js';
import { SmsPlanner } from '../../src/core/sms/sms-planner.js';
import type { SmsSender } from '../../src/core/sms/sms-sender.js';
import { RedisContactLedger } from '../../src/infra/sms/redis-contact-ledger.js';
import { RedisSmsStats } from '../../src/infra/sms/redis-sms-stats.js';
import { createSmsWorker, type SmsJobResult, type SmsWorkerOptions } from '../../src/infra/sms/sms-processor.js';
import { SmsProducer } from '../../src/infra/sms/sms-producer.js';
import { DEFAULT_SMS_JOB_OPTIONS, SMS_QUEUE_NAME, statusCallbackUrl } from '../../src/infra/sms/sms-queue.js';
import { createTwilioClient } from '../../src/infra/twilio/twilio-client.js';
import { TwilioSmsSender } from '../../src/infra/sms/twilio-sms-sender.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_BASE_URL } from '../helpers/twilio.js';
import type { TwilioRestStandIn } from '../helpers/twilio-rest-stand-in.js';
import { REDIS_URL, redisScope, type RedisScope } from './redis-fixtures.js';

export const SENDER = '+8610086';
export const RULES = loadRules(defaultPaths().rulesDir);

/** Shanghai is UTC+8 all year. */
export const shanghai = (day: number, hh: number, mm = 0) => Date.UTC(2025, 5, day, hh - 8, mm);

/** The SMS part of a decision, as the hand-off rules would make it. */
export function decisionWith(sms: SmsRequest[], language: Language = 'zh-CN', phone = '+8613800000001'): Decision {
  return { callId: 'x', caller: { phone, known: true, language }, sms } as unknown as Decision;
}

export const BILL: SmsRequest = { template: 'bill-summary', class: 'service', vars: { balance: 12.45 }, rule: 'bill-after-balance-check' };
export const DATA: SmsRequest = { template: 'data-usage-summary', class: 'service', vars: { plan: '全球通尊享598', dataUsedPct: 45, dataRemainingGb: 55 }, rule: 'data-usage-after-balance-check' };
export const ADDON_OFFER: SmsRequest = { template: 'addon-offer', class: 'marketing', vars: { dataUsedPct: 93 }, rule: 'addon-offer-for-heavy-users' };
export const UPGRADE_OFFER: SmsRequest = { template: '5g-upgrade-offer', class: 'marketing', vars: {}, rule: '5g-upgrade-offer-after-offers' };

export interface SmsRig {
  scope: RedisScope;
  queue: Queue<SmsJob>;
  clock: ManualClock;
  ledger: RedisContactLedger;
  stats: RedisSmsStats;
  producer: SmsProducer;
  dispatcher: SmsDispatcher;
  bullPrefix: string;
  /** The real twilio client's sender, pointed at the stand-in. */
  twilioSender: TwilioSmsSender;
  /** Starts a worker on the rig's queue (stopped by `close`). */
  startWorker(opts?: Partial<SmsWorkerOptions> & { sender?: SmsSender }): ReturnType<typeof createSmsWorker>;
  /** Waits until the job is in one of `states` (polling; no timing is asserted). */
  settled(key: string, states?: string[]): Promise<Job<SmsJob, SmsJobResult>>;
  /** Stops the workers and the queue and removes every key of the rig (once; later calls do nothing). */
  close(): Promise<void>;
}

export interface RigOptions {
  twilioApi: TwilioRestStandIn;
  policy?: ContactPolicy;
  jobOptions?: JobsOptions;
  nowMs?: number;
}

/**
 * The SMS pipeline on a real Redis with a prefix of its own: producer → BullMQ queue → worker →
 * dispatcher → the real twilio client → the local stand-in. Backoff is shortened to 20 ms so
 * retries run quickly; the policy clock is manual.
 */
export function smsRig(suite: string, o: RigOptions): SmsRig {
  const scope = redisScope(suite);
  const bullPrefix = `${scope.prefix}bull`;
  const clock = new ManualClock(o.nowMs ?? shanghai(3, 12));
  const policy = o.policy ?? loadContactPolicy();
  const ledger = new RedisContactLedger(scope.redis, `${scope.prefix}sms:`);
  const stats = new RedisSmsStats(scope.redis, `${scope.prefix}sms:`);
  const queue = new Queue<SmsJob>(SMS_QUEUE_NAME, { connection: { url: REDIS_URL }, prefix: bullPrefix });
  queue.on('error', () => undefined);
  const jobOptions = o.jobOptions ?? { ...DEFAULT_SMS_JOB_OPTIONS, backoff: { type: 'exponential', delay: 20 } };
  const planner = new SmsPlanner({ policy: () => policy, ledger, stats, clock });
  const producer = new SmsProducer(queue, planner, clock, jobOptions);
  const twilioSender = new TwilioSmsSender(createTwilioClient({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, apiBaseUrl: o.twilioApi.baseUrl, timeoutMs: 2000 }), { from: SENDER });
  const dispatcherWith = (sender: SmsSender) =>
    new SmsDispatcher({
      policy: () => policy,
      templates: () => RULES.templates,
      ledger,
      sender,
      stats,
      clock,
      // The stand-in stamps messages with the real time; the policy runs on the manual clock.
      wallClock: { now: () => Date.now() },
      statusCallbackUrl: (job) => statusCallbackUrl(TEST_BASE_URL, job),
    });
  const dispatcher = dispatcherWith(twilioSender);
  const workers: ReturnType<typeof createSmsWorker>[] = [];
  let closed = false;
  return {
    scope,
    queue,
    clock,
    ledger,
    stats,
    producer,
    dispatcher,
    bullPrefix,
    twilioSender,
    startWorker(opts = {}) {
      const { sender, ...rest } = opts;
      const w = createSmsWorker({
        connection: { url: REDIS_URL },
        prefix: bullPrefix,
        dispatcher: sender ? dispatcherWith(sender) : dispatcher,
        clock,
        ratePerSec: 1000,
        ...rest,
      });
      workers.push(w);
      return w;
    },
    async settled(key, states = ['completed', 'failed']) {
      for (;;) {
        if (states.includes(await queue.getJobState(key))) {
          // Read after the state: a job read before it finished has no return value yet.
          const job = (await queue.getJob(key)) as Job<SmsJob, SmsJobResult> | undefined;
          if (job) return job;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(workers.map((w) => w.close(true)));
      await queue.close();
      await scope.cleanup();
    },
  };
}
