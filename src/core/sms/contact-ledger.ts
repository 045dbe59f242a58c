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
}

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
  /** The carrier took the message. */
  markSent(msg: LedgerMessage, sid: string): Promise<void>;
  /** Sending failed: the message gives back its place under the caps, and may be tried again. */
  release(msg: LedgerMessage): Promise<void>;
  optOut(phone: string, atMs: number, source: OptOutSource): Promise<void>;
  optIn(phone: string): Promise<void>;
  isOptedOut(phone: string): Promise<boolean>;
}
