import type { JobsOptions, Queue, RateLimiterOptions } from 'bullmq';

/** The BullMQ queue decided messages wait in. Deployments are told apart by REDIS_KEY_PREFIX. */
export const SMS_QUEUE_NAME = 'sms';

/** Where the SMS keys live under a deployment's key prefix (REDIS_KEY_PREFIX, e.g. `ivr-sim:`). */
export function smsKeyPrefixes(keyPrefix: string): { bull: string; sms: string } {
  return { bull: `${keyPrefix}bull`, sms: `${keyPrefix}sms:` };
}

/**
 * How each message job is run: up to 6 attempts with exponential backoff (2 s, 4 s, 8 s, 16 s,
 * 32 s) for retryable failures; completed jobs are kept a week (their ids keep a re-sent webhook
 * from queueing the message again), failed ones stay as dead letters with their error.
 */
export const DEFAULT_SMS_JOB_OPTIONS: JobsOptions = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 7 * 86_400, count: 100_000 },
  removeOnFail: { count: 100_000 },
};

/**
 * The queue limiter for a sender's rate: whole numbers as N per second, fractions as one message
 * per 1/rate seconds (0.5 → one every 2 s). The limit holds across all workers of the queue.
 */
export function limiterFor(ratePerSec: number): RateLimiterOptions {
  if (!(ratePerSec > 0) || !Number.isFinite(ratePerSec)) throw new RangeError(`SMS rate must be a positive number, not ${ratePerSec}`);
  return Number.isInteger(ratePerSec) ? { max: ratePerSec, duration: 1000 } : { max: 1, duration: Math.round(1000 / ratePerSec) };
}

/** Where Twilio reports a message's delivery: PUBLIC_BASE_URL/sms/status, naming the message. */
export function statusCallbackUrl(publicBaseUrl: string, job: { key: string; template: string }): string {
  const q = new URLSearchParams({ template: job.template, key: job.key });
  return `${publicBaseUrl.replace(/\/+$/, '')}/sms/status?${q.toString()}`;
}

/** Jobs not finished yet: waiting, delayed (quiet hours, backoff), or being sent. */
export async function pendingSmsJobs(queue: Queue): Promise<number> {
  const c = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized', 'waiting-children');
  return Object.values(c).reduce((a, b) => a + b, 0);
}
