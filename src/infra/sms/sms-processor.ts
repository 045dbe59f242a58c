import { DelayedError, UnrecoverableError, Worker, type ConnectionOptions, type Job, type Processor } from 'bullmq';
import type { Clock } from '../../core/time/clock.js';
import type { DispatchResult, SmsDispatcher } from '../../core/sms/sms-dispatcher.js';
import { SMS_JOB_FORMAT, type SmsJob } from '../../core/sms/sms-job.js';
import { limiterFor, SMS_QUEUE_NAME } from './sms-queue.js';

/** What a finished job keeps as its return value (visible in the completed set). */
export type SmsJobResult = Exclude<DispatchResult, { kind: 'deferred' }>;

/** Retry only what may go better next time: a named error says so; anything unexpected (Redis, a bug) is retried. */
function isRetryable(err: unknown): boolean {
  const r = (err as { retryable?: unknown })?.retryable;
  return typeof r === 'boolean' ? r : true;
}

function codeOf(err: unknown): string {
  const c = (err as { code?: unknown })?.code;
  return typeof c === 'string' ? c : 'SMS_SEND_FAILED';
}

/**
 * A job taken over from dead workers this many times is settled without another send (a
 * message that kills its worker must not kill them all). BullMQ's own limit is set far above,
 * so that it never fails a job the dispatcher has not accounted for.
 */
export const MAX_WORKER_DEATHS = 5;

export interface SmsProcessorHooks {
  /** Told about every failed attempt (for logs). */
  onAttemptFailed?(job: Job<SmsJob>, err: unknown, final: boolean): void;
}

/**
 * The BullMQ side of SmsDispatcher: a deferred message goes back to the delayed set until the
 * quiet hours end; a permanent failure becomes UnrecoverableError (no retry; the job stays in
 * the failed set with the error code in its reason); anything else is thrown for the queue's
 * backoff to retry. A message's failure is counted once, when no attempt is left.
 */
export function createSmsProcessor(dispatcher: SmsDispatcher, clock: Clock, hooks: SmsProcessorHooks = {}): Processor<SmsJob, SmsJobResult> {
  return async (job, token) => {
    if ((job.data?.format as number | undefined) !== SMS_JOB_FORMAT) throw new UnrecoverableError(`SMS_JOB_FORMAT: job format ${String(job.data?.format)}, expected ${SMS_JOB_FORMAT}`);
    let result: DispatchResult;
    const deaths = job.stalledCounter ?? 0;
    try {
      result = deaths >= MAX_WORKER_DEATHS ? await dispatcher.settleAfterDeaths(job.data, deaths) : await dispatcher.dispatch(job.data);
    } catch (err) {
      const permanent = !isRetryable(err);
      const final = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      hooks.onAttemptFailed?.(job, err, final);
      if (final) await dispatcher.recordFailure(job.data, err).catch(() => undefined);
      if (permanent) throw new UnrecoverableError(`${codeOf(err)}: ${(err as Error).message}`);
      throw err;
    }
    if (result.kind === 'deferred') {
      // The queue's delays run on the wall clock; the policy's time may be another clock (tests).
      await job.moveToDelayed(Date.now() + Math.max(0, result.untilMs - clock.now()), token);
      throw new DelayedError();
    }
    return result;
  };
}

export interface SmsWorkerOptions {
  connection: ConnectionOptions;
  /** BullMQ key prefix (smsKeyPrefixes(REDIS_KEY_PREFIX).bull). */
  prefix: string;
  queueName?: string;
  dispatcher: SmsDispatcher;
  clock: Clock;
  /** Messages per second for this sender, enforced by the queue's limiter across all workers. */
  ratePerSec: number;
  concurrency?: number;
  /** How long a job's lock lasts before another worker may take it over (default 30 s). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  autorun?: boolean;
  hooks?: SmsProcessorHooks;
  onError?(err: Error): void;
}

/** A BullMQ worker sending the SMS queue's messages. */
export function createSmsWorker(o: SmsWorkerOptions): Worker<SmsJob, SmsJobResult> {
  const worker = new Worker<SmsJob, SmsJobResult>(o.queueName ?? SMS_QUEUE_NAME, createSmsProcessor(o.dispatcher, o.clock, o.hooks), {
    connection: o.connection,
    prefix: o.prefix,
    concurrency: o.concurrency ?? 5,
    limiter: limiterFor(o.ratePerSec),
    maxStalledCount: 1000,
    ...(o.lockDurationMs !== undefined ? { lockDuration: o.lockDurationMs } : {}),
    ...(o.stalledIntervalMs !== undefined ? { stalledInterval: o.stalledIntervalMs } : {}),
    autorun: o.autorun ?? true,
  });
  // Without a listener an 'error' event (Redis gone) would end the process.
  worker.on('error', (err) => o.onError?.(err));
  return worker;
}
