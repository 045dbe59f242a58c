import { maskPhone } from '../customers/customer-directory.js';
import type { Clock } from '../time/clock.js';
import type { SmsTemplate } from '../rules/rule-files.js';
import { decideContact, isTextableNumber, type ContactPolicy, type SuppressReason } from './contact-policy.js';
import type { ContactLedger } from './contact-ledger.js';
import { SmsSendError } from './sms-errors.js';
import { ledgerMessageOf, type SmsJob } from './sms-job.js';
import { renderSms } from './sms-render.js';
import type { SmsSender } from './sms-sender.js';
import type { SmsStatsRecorder } from './sms-stats.js';

export type DispatchResult =
  | { kind: 'sent'; sid: string; status: string }
  | { kind: 'suppressed'; reason: SuppressReason }
  /** Quiet hours: try again at `untilMs` (the policy is checked again then). */
  | { kind: 'deferred'; untilMs: number }
  /** Sent (or being sent) before, by this or another worker: nothing done. */
  | { kind: 'duplicate' };

export interface SmsDispatcherDeps {
  policy(): ContactPolicy;
  templates(): ReadonlyMap<string, SmsTemplate>;
  ledger: ContactLedger;
  sender: SmsSender;
  stats: SmsStatsRecorder;
  clock: Clock;
  /** The status callback URL for a message (PUBLIC_BASE_URL/sms/status?…). */
  statusCallbackUrl(job: SmsJob): string;
}

/**
 * The send-time half of the contact policy, one queued message at a time: render the text
 * (a missing variable fails before anything is counted or sent), check the policy again at the
 * time of sending, take the message's place under the caps atomically, then hand it to the
 * carrier. A failed send gives its place back; Twilio's 21610 puts the number on the opt-out list.
 *
 * At most once: the ledger remembers each message key, so a worker restarted after the carrier
 * took a message (but before the queue heard of it) does not send it again.
 */
export class SmsDispatcher {
  constructor(private readonly deps: SmsDispatcherDeps) {}

  async dispatch(job: SmsJob): Promise<DispatchResult> {
    const d = this.deps;
    const now = d.clock.now();
    const { text } = renderSms(job, d.templates(), job.language);
    const policy = d.policy();
    const event = { template: job.template, messageKey: job.key, phone: maskPhone(job.phone) };
    if (!isTextableNumber(job.phone)) {
      await d.stats.record({ ...event, kind: 'suppressed', atMs: now, reason: 'no-number' });
      return { kind: 'suppressed', reason: 'no-number' };
    }
    const msg = ledgerMessageOf(job, now);
    // Before the policy: a message this worker (or a dead one) already took counts against its own cap.
    if (await d.ledger.isRecorded(msg)) return { kind: 'duplicate' };
    const cls = policy.classes[job.class];
    const verdict = decideContact(policy, job.class, await d.ledger.stateOf(job.phone, job.template, job.class, cls, now), now, job.timeZone);
    if (verdict.action === 'suppress') {
      await d.stats.record({ ...event, kind: 'suppressed', atMs: now, reason: verdict.reason });
      return { kind: 'suppressed', reason: verdict.reason };
    }
    if (verdict.action === 'defer') {
      await d.stats.record({ ...event, kind: 'deferred', atMs: now, untilMs: verdict.untilMs });
      return { kind: 'deferred', untilMs: verdict.untilMs };
    }
    const taken = await d.ledger.checkAndRecord(msg, cls);
    if (taken.kind === 'duplicate') return { kind: 'duplicate' };
    if (taken.kind === 'suppressed') {
      await d.stats.record({ ...event, kind: 'suppressed', atMs: now, reason: taken.reason });
      return { kind: 'suppressed', reason: taken.reason };
    }
    let sent;
    try {
      sent = await d.sender.send({ to: job.phone, body: text, statusCallback: d.statusCallbackUrl(job) });
    } catch (err) {
      await d.ledger.release(msg);
      if (err instanceof SmsSendError && err.kind === 'unsubscribed') await d.ledger.optOut(job.phone, now, 'carrier');
      throw err;
    }
    await d.ledger.markSent(msg, sent.sid);
    await d.stats.record({ ...event, kind: 'sent', atMs: now });
    return { kind: 'sent', sid: sent.sid, status: sent.status };
  }

  /** Counts a message that failed for good (a permanent error, or the last attempt). */
  async recordFailure(job: SmsJob, err: unknown): Promise<void> {
    const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'SMS_SEND_FAILED';
    await this.deps.stats.record({ kind: 'failed', template: job.template, messageKey: job.key, atMs: this.deps.clock.now(), reason: code, phone: maskPhone(job.phone) });
  }
}
