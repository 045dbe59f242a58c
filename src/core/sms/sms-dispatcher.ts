import { maskPhone } from '../customers/customer-directory.js';
import type { Clock } from '../time/clock.js';
import type { SmsTemplate } from '../rules/rule-files.js';
import { decideContact, isTextableNumber, type ContactPolicy, type SuppressReason } from './contact-policy.js';
import type { ContactLedger, LedgerMessage } from './contact-ledger.js';
import { SmsSendError, SmsWorkerDiedError } from './sms-errors.js';
import { ledgerMessageOf, type SmsJob } from './sms-job.js';
import { renderSms } from './sms-render.js';
import type { SmsSender } from './sms-sender.js';
import type { SmsStatsRecorder } from './sms-stats.js';

export type DispatchResult =
  /** `afterUnknownOutcome`: an earlier attempt died not knowing whether Twilio took the text; it was found at the carrier, or sent again. */
  | { kind: 'sent'; sid: string; status: string; afterUnknownOutcome?: 'found' | 'resent' }
  | { kind: 'suppressed'; reason: SuppressReason }
  /** Quiet hours: try again at `untilMs` (the policy is checked again then). */
  | { kind: 'deferred'; untilMs: number }
  /** Sent before, by this or another worker: nothing done. */
  | { kind: 'duplicate' };

/**
 * Named points of one send, in order, where a worker may die (a test hook crashes it there):
 * `reserved` the message holds its place in the ledger, the request is not made yet;
 * `answered` Twilio answered, the ledger does not know yet; `marked` the ledger knows, the
 * counters do not; `counted` all is recorded, the queue does not know yet.
 */
export type SendCheckpoint = 'reserved' | 'answered' | 'marked' | 'counted';
export const SEND_CHECKPOINTS: readonly SendCheckpoint[] = ['reserved', 'answered', 'marked', 'counted'];

/**
 * How far before a lost send's claim the carrier's list is searched: the carrier's clock may
 * run behind ours, and it keeps whole seconds.
 */
export const CARRIER_CLOCK_SLACK_MS = 60_000;
/** A claim from an older version has no time: search the last day. */
const UNTIMED_CLAIM_LOOKBACK_MS = 86_400_000;

export interface SmsDispatcherDeps {
  policy(): ContactPolicy;
  templates(): ReadonlyMap<string, SmsTemplate>;
  ledger: ContactLedger;
  sender: SmsSender;
  stats: SmsStatsRecorder;
  /** The policy's clock (quiet hours, caps). */
  clock: Clock;
  /** The clock compared with the carrier's message times (default: `clock`). */
  wallClock?: Clock;
  /** The status callback URL for a message (PUBLIC_BASE_URL/sms/status?…). */
  statusCallbackUrl(job: SmsJob): string;
  /** Called at each SendCheckpoint (crash tests); nothing by default. */
  checkpoint?(point: SendCheckpoint, job: SmsJob): void;
}

/**
 * The send-time half of the contact policy, one queued message at a time: render the text
 * (a missing variable fails before anything is counted or sent), check the policy again at the
 * time of sending, take the message's place under the caps atomically, then hand it to the
 * carrier. A failed send gives its place back; Twilio's 21610 puts the number on the opt-out list.
 *
 * Never lost, and sent twice only in a narrow window (docs/sms.md): the ledger claims each
 * message key before the request and records Twilio's SID after it. A job that finds its key
 * already claimed but not recorded belongs to a worker that died in between, so the outcome is
 * unknown: it looks the message up in Twilio's list (same number, same text, created since the
 * claim, not already another message's) and records it as sent if found; if not, it releases
 * the claim and sends again, counted as "resent after unknown outcome". A key recorded as sent
 * is not sent again.
 */
export class SmsDispatcher {
  private readonly wall: Clock;

  constructor(private readonly deps: SmsDispatcherDeps) {
    this.wall = deps.wallClock ?? deps.clock;
  }

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
    const claim = await d.ledger.claimOf(msg);
    if (claim?.state === 'sent') {
      // The ledger knew, the counters may not have (a worker that died in between): counted once either way.
      await d.stats.record({ ...event, kind: 'sent', atMs: now });
      return { kind: 'duplicate' };
    }
    if (claim?.state === 'reserved') {
      const found = await this.findAtCarrier(job, text, msg, claim.sinceMs, now);
      if (found) return found;
      await d.ledger.releaseUnknown(msg);
    }
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
    msg.claimedAtMs = this.wall.now();
    const taken = await d.ledger.checkAndRecord(msg, cls);
    if (taken.kind === 'duplicate') return { kind: 'duplicate' };
    if (taken.kind === 'suppressed') {
      await d.stats.record({ ...event, kind: 'suppressed', atMs: now, reason: taken.reason });
      return { kind: 'suppressed', reason: taken.reason };
    }
    d.checkpoint?.('reserved', job);
    let sent;
    try {
      sent = await d.sender.send({ to: job.phone, body: text, statusCallback: d.statusCallbackUrl(job) });
    } catch (err) {
      await d.ledger.release(msg);
      if (err instanceof SmsSendError && err.kind === 'unsubscribed') await d.ledger.optOut(job.phone, now, 'carrier');
      throw err;
    }
    d.checkpoint?.('answered', job);
    const marked = await d.ledger.markSent(msg, sent.sid);
    d.checkpoint?.('marked', job);
    const resent = marked.kind === 'marked' && marked.afterUnknownOutcome;
    if (resent) await d.stats.record({ ...event, kind: 'resent-after-unknown-outcome', atMs: now });
    await d.stats.record({ ...event, kind: 'sent', atMs: now });
    d.checkpoint?.('counted', job);
    return resent ? { kind: 'sent', sid: sent.sid, status: sent.status, afterUnknownOutcome: 'resent' } : { kind: 'sent', sid: sent.sid, status: sent.status };
  }

  /**
   * An earlier attempt claimed the message and died before recording Twilio's answer: the first
   * matching message at the carrier that no other message key holds is this one.
   */
  private async findAtCarrier(job: SmsJob, text: string, msg: LedgerMessage, sinceMs: number | null, now: number): Promise<DispatchResult | null> {
    const d = this.deps;
    const from = sinceMs === null ? this.wall.now() - UNTIMED_CLAIM_LOOKBACK_MS : Math.floor(sinceMs / 1000) * 1000 - CARRIER_CLOCK_SLACK_MS;
    const candidates = await d.sender.findSent({ to: job.phone, body: text, createdSinceMs: from });
    for (const c of candidates) {
      const marked = await d.ledger.markSent(msg, c.sid);
      if (marked.kind === 'sid-taken') continue;
      const event = { template: job.template, messageKey: job.key, phone: maskPhone(job.phone), atMs: now };
      await d.stats.record({ ...event, kind: 'found-after-unknown-outcome' });
      // This attempt's own claim followed a resend whose answer was lost: that resend went out.
      if (marked.afterUnknownOutcome) await d.stats.record({ ...event, kind: 'resent-after-unknown-outcome' });
      await d.stats.record({ ...event, kind: 'sent' });
      return { kind: 'sent', sid: c.sid, status: c.status, afterUnknownOutcome: 'found' };
    }
    return null;
  }

  /**
   * A message whose workers kept dying: settle it without sending. Recorded or found at the
   * carrier, it is sent; otherwise it fails with SmsWorkerDiedError (and becomes a dead letter).
   */
  async settleAfterDeaths(job: SmsJob, deaths: number): Promise<DispatchResult> {
    const d = this.deps;
    const now = d.clock.now();
    const msg = ledgerMessageOf(job, now);
    const claim = await d.ledger.claimOf(msg);
    if (claim?.state === 'sent') {
      await d.stats.record({ template: job.template, messageKey: job.key, phone: maskPhone(job.phone), kind: 'sent', atMs: now });
      return { kind: 'duplicate' };
    }
    if (claim?.state === 'reserved') {
      const found = await this.findAtCarrier(job, renderSms(job, d.templates(), job.language).text, msg, claim.sinceMs, now);
      if (found) return found;
      await d.ledger.release(msg);
    }
    throw new SmsWorkerDiedError(deaths);
  }

  /** Counts a message that failed for good (a permanent error, or the last attempt); it goes on the dead-letter list. */
  async recordFailure(job: SmsJob, err: unknown): Promise<void> {
    const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'SMS_SEND_FAILED';
    const detail = err instanceof Error ? err.message : String(err);
    await this.deps.stats.record({ kind: 'failed', template: job.template, messageKey: job.key, atMs: this.deps.clock.now(), reason: code, detail, phone: maskPhone(job.phone) });
  }
}
