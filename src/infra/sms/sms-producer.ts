import type { JobsOptions, Queue } from 'bullmq';
import type { Decision } from '../../core/decision/decision.js';
import type { Clock } from '../../core/time/clock.js';
import type { CustomerProfile } from '../../core/profile/customer-profile.js';
import type { SuppressReason } from '../../core/sms/contact-policy.js';
import type { SmsJob } from '../../core/sms/sms-job.js';
import type { SmsPlanner } from '../../core/sms/sms-planner.js';
import { DEFAULT_SMS_JOB_OPTIONS, pendingSmsJobs } from './sms-queue.js';

/** What happened to one of a call's messages when it was decided. */
export interface EnqueuedSms {
  template: string;
  /** The job id. */
  key: string;
  action: 'queued' | 'deferred' | 'suppressed';
  reason?: SuppressReason;
  /** Deferred until (epoch ms). */
  untilMs?: number;
}

/**
 * Turns a decided call's SMS into queue jobs: the policy's decision-time verdict drops or
 * defers them (a deferred job is a delayed job until the quiet hours end), and the job id
 * (CallSid + template) makes a repeated hand-off queue nothing new.
 */
export class SmsProducer {
  constructor(
    private readonly queue: Queue<SmsJob>,
    private readonly planner: SmsPlanner,
    private readonly clock: Clock,
    private readonly jobOptions: JobsOptions = DEFAULT_SMS_JOB_OPTIONS,
  ) {}

  async enqueueForCall(callSid: string, phone: string, decision: Decision, profile: CustomerProfile | undefined): Promise<EnqueuedSms[]> {
    if (decision.sms.length === 0) return [];
    const planned = await this.planner.plan(callSid, phone, decision, profile);
    const now = this.clock.now();
    const jobs = planned
      .filter((p) => p.verdict.action !== 'suppress')
      .map((p) => ({
        name: p.job.template,
        data: p.job,
        opts: { ...this.jobOptions, jobId: p.job.key, delay: p.verdict.action === 'defer' ? Math.max(0, p.verdict.untilMs - now) : 0 },
      }));
    await this.planner.recordDecided(planned);
    if (jobs.length) await this.queue.addBulk(jobs);
    await this.planner.record(planned);
    return planned.map(({ job, verdict }) => {
      const out: EnqueuedSms = { template: job.template, key: job.key, action: verdict.action === 'send' ? 'queued' : verdict.action === 'defer' ? 'deferred' : 'suppressed' };
      if (verdict.action === 'suppress') out.reason = verdict.reason;
      if (verdict.action === 'defer') out.untilMs = verdict.untilMs;
      return out;
    });
  }

  /** Messages queued and not finished yet (for the accounting in the stats). */
  pendingJobs(): Promise<number> {
    return pendingSmsJobs(this.queue);
  }
}
