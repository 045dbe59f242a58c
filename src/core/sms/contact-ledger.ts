import type { ClassPolicy, ContactState, SmsClass, SuppressReason } from './contact-policy.js';

/** One message as the ledger counts it. */
export interface LedgerMessage {
  /** The message's id (its job id: CallSid + template); recorded at most once. */
  key: string;
  /** E.164. */
  phone: string;
  template: string;
  class: SmsClass;
  atMs: number;
  /**
   * Wall-clock time the send starts, kept with the claim: after a crash the carrier's list is
   * searched from then (the policy's `atMs` may run on another clock).
   */
  claimedAtMs?: number;
}

/** What the ledger holds about one message key. */
export type MessageClaim =
  /** Taken by a worker that has not recorded the carrier's answer (yet, or ever: it died). */
  | { state: 'reserved'; sinceMs: number | null }
  | { state: 'sent'; sid: string };

export type MarkSentResult =
  /** `afterUnknownOutcome`: an earlier attempt's outcome was unknown and this one was sent again. */
  | { kind: 'marked'; afterUnknownOutcome: boolean }
  /** The carrier message is already recorded as another message's: it is not this one. */
  | { kind: 'sid-taken' };

export type LedgerVerdict =
  /** Allowed and counted: send it now. */
  | { kind: 'recorded' }
  /** The policy's limits refuse it; nothing was counted. */
  | { kind: 'suppressed'; reason: SuppressReason }
  /** This message was recorded before (a restarted worker, a re-added job): do not send it again. */
  | { kind: 'duplicate' };

export type OptOutSource = 'keyword' | 'carrier';

/**
 * What has been sent to whom, and who opted out. `checkAndRecord` is the one place a send is
 * allowed: it checks the opt-out and the caps and counts the message in one atomic step, so two
 * workers can never both take the last place under a cap.
 */
export interface ContactLedger {
  /** The counters the policy reads for one message (read-only; for the decision at hand-off). */
  stateOf(phone: string, template: string, cls: SmsClass, policy: ClassPolicy, nowMs: number): Promise<ContactState>;
  checkAndRecord(msg: LedgerMessage, policy: ClassPolicy): Promise<LedgerVerdict>;
  /** Whether this message key was recorded before (sent, or taken by a worker that died sending it). */
  isRecorded(msg: Pick<LedgerMessage, 'key' | 'phone' | 'template' | 'class'>): Promise<boolean>;
  /** The message's claim, if any. */
  claimOf(msg: Pick<LedgerMessage, 'key' | 'phone' | 'template' | 'class'>): Promise<MessageClaim | null>;
  /** The carrier took the message as `sid` (each carrier message belongs to one message key). */
  markSent(msg: LedgerMessage, sid: string): Promise<MarkSentResult>;
  /** Sending failed: the message gives back its place under the caps, and may be tried again. */
  release(msg: LedgerMessage): Promise<void>;
  /**
   * An earlier attempt's outcome is unknown and the carrier does not show the message: release
   * it and remember that the next send is a resend after an unknown outcome.
   */
  releaseUnknown(msg: LedgerMessage): Promise<void>;
  optOut(phone: string, atMs: number, source: OptOutSource): Promise<void>;
  optIn(phone: string): Promise<void>;
  isOptedOut(phone: string): Promise<boolean>;
}
