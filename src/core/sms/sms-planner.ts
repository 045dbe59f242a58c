import { maskPhone } from '../customers/customer-directory.js';
import type { Decision } from '../decision/decision.js';
import type { Clock } from '../time/clock.js';
import type { CustomerProfile } from '../profile/customer-profile.js';
import { decideContact, isTextableNumber, type ContactPolicy, type ContactVerdict } from './contact-policy.js';
import type { ContactLedger } from './contact-ledger.js';
import { smsJobsOf, type SmsJob } from './sms-job.js';
import type { SmsStatsRecorder } from './sms-stats.js';

/** A decided message and what the policy says about it at decision time. */
export interface PlannedSms {
  job: SmsJob;
  verdict: ContactVerdict;
}

export interface SmsPlannerDeps {
  /** The current policy (re-read when its file changes). */
  policy(): ContactPolicy;
  ledger: ContactLedger;
  stats: SmsStatsRecorder;
  clock: Clock;
}

/**
 * The decision-time half of the contact policy: when a call is decided, each requested message
 * is checked against the customer's counters and the quiet hours. Messages the policy drops
 * now are never queued; deferred ones wait for the end of the quiet hours; the send-time check
 * (SmsDispatcher) has the last word either way.
 */
export class SmsPlanner {
  constructor(private readonly deps: SmsPlannerDeps) {}

  async plan(callSid: string, phone: string, decision: Decision, profile: CustomerProfile | undefined): Promise<PlannedSms[]> {
    const now = this.deps.clock.now();
    const policy = this.deps.policy();
    const out: PlannedSms[] = [];
    for (const job of smsJobsOf(callSid, phone, decision, profile, now)) {
      if (!isTextableNumber(job.phone)) {
        out.push({ job, verdict: { action: 'suppress', reason: 'no-number' } });
        continue;
      }
      const cls = policy.classes[job.class];
      const state = await this.deps.ledger.stateOf(job.phone, job.template, job.class, cls, now);
      out.push({ job, verdict: decideContact(policy, job.class, state, now, job.timeZone) });
    }
    return out;
  }

  /**
   * Counts the messages as decided, once each, before they are queued: from here every one must
   * end sent, suppressed or failed, or still be in the queue (SmsAccounting).
   */
  async recordDecided(planned: readonly PlannedSms[]): Promise<void> {
    const now = this.deps.clock.now();
    await Promise.all(planned.map(({ job }) => this.deps.stats.record({ kind: 'decided', template: job.template, messageKey: job.key, atMs: now })));
  }

  /** Counts the messages the decision-time check dropped or deferred (once per message). */
  async record(planned: readonly PlannedSms[]): Promise<void> {
    const now = this.deps.clock.now();
    for (const { job, verdict } of planned) {
      if (verdict.action === 'suppress') {
        await this.deps.stats.record({ kind: 'suppressed', template: job.template, messageKey: job.key, atMs: now, reason: verdict.reason, phone: maskPhone(job.phone) });
      } else if (verdict.action === 'defer') {
        await this.deps.stats.record({ kind: 'deferred', template: job.template, messageKey: job.key, atMs: now, untilMs: verdict.untilMs, phone: maskPhone(job.phone) });
      }
    }
  }
}
