import { DAY_MS, epochAtLocal, isValidTimeZone, localMs } from './zoned-time.js';

export type SmsClass = 'service' | 'marketing';
export const SMS_CLASSES: readonly SmsClass[] = ['service', 'marketing'];

/** At most `max` messages in any `windowMs` (a sliding window ending now). */
export interface ContactCap {
  max: number;
  windowMs: number;
}

/** The limits of one template class (rules/contact-policy.json `classes.<class>`). */
export interface ClassPolicy {
  /** Per customer and template; null: no cap. */
  perTemplate: ContactCap | null;
  /** Per customer over every template of this class; null: no cap. */
  overall: ContactCap | null;
  duringQuietHours: 'send' | 'defer';
  whenOptedOut: 'send' | 'suppress';
}

/** Quiet hours in the customer's local time, as minutes after midnight; start > end spans midnight. */
export interface QuietHours {
  startMin: number;
  endMin: number;
}

/** The contact policy, as loaded from rules/contact-policy.json (see contact-policy-file.ts). */
export interface ContactPolicy {
  defaultTimeZone: string;
  quietHours: QuietHours | null;
  classes: Record<SmsClass, ClassPolicy>;
  /** Content hash of the file, for logs and reports. */
  version: string;
}

export type SuppressReason =
  /** The customer opted out (STOP/TD, or Twilio refused with 21610) and the class respects it. */
  | 'opted-out'
  /** This template went to the customer `perTemplate.max` times within its window. */
  | 'template-cap'
  /** Messages of this class went to the customer `overall.max` times within its window. */
  | 'overall-cap'
  /** No number to text (withheld caller id, a SIP client). */
  | 'no-number';

export const SUPPRESS_REASONS: readonly SuppressReason[] = ['opted-out', 'template-cap', 'overall-cap', 'no-number'];

export type ContactVerdict =
  | { action: 'send' }
  | { action: 'defer'; untilMs: number }
  | { action: 'suppress'; reason: SuppressReason };

/** What is known about the customer when one message is decided. */
export interface ContactState {
  optedOut: boolean;
  /** Messages of this template sent to the customer within `perTemplate.windowMs`. */
  sentOfTemplate: number;
  /** Messages of this class sent to the customer within `overall.windowMs`. */
  sentOfClass: number;
}

/**
 * The part of the policy a ledger enforces atomically when it records a send: opt-out and caps.
 * Null when the message may go.
 */
export function limitVerdict(cls: ClassPolicy, state: ContactState): SuppressReason | null {
  if (state.optedOut && cls.whenOptedOut === 'suppress') return 'opted-out';
  if (cls.perTemplate && state.sentOfTemplate >= cls.perTemplate.max) return 'template-cap';
  if (cls.overall && state.sentOfClass >= cls.overall.max) return 'overall-cap';
  return null;
}

/** The zone quiet hours are read in: the customer's when the runtime knows it, else the policy default. */
export function zoneFor(policy: ContactPolicy, timeZone: string | undefined): string {
  return timeZone && isValidTimeZone(timeZone) ? timeZone : policy.defaultTimeZone;
}

export function inQuietHours(q: QuietHours, minuteOfDay: number): boolean {
  if (q.startMin === q.endMin) return false;
  return q.startMin < q.endMin ? minuteOfDay >= q.startMin && minuteOfDay < q.endMin : minuteOfDay >= q.startMin || minuteOfDay < q.endMin;
}

/**
 * When the quiet hours around `nowMs` end in `zone`, or null when `nowMs` is not in them.
 * The answer is the next local `end` time, so 22:30 gives 08:00 tomorrow and 06:00 gives 08:00 today.
 */
export function quietHoursEnd(q: QuietHours | null, zone: string, nowMs: number): number | null {
  if (!q) return null;
  const local = localMs(zone, nowMs);
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
  const minute = Math.floor((local - dayStart) / 60_000);
  if (!inQuietHours(q, minute)) return null;
  const endToday = dayStart + q.endMin * 60_000;
  const endLocal = minute < q.endMin ? endToday : endToday + DAY_MS;
  return epochAtLocal(zone, endLocal);
}

/**
 * The policy's verdict on one message at `nowMs`: opt-out and caps first (a message over its cap
 * is dropped, not postponed), then quiet hours in the customer's zone. Pure: the caller supplies
 * the counters, the time and the zone; a ledger re-checks the limits atomically when it sends.
 */
export function decideContact(policy: ContactPolicy, cls: SmsClass, state: ContactState, nowMs: number, timeZone: string | undefined): ContactVerdict {
  const c = policy.classes[cls];
  const reason = limitVerdict(c, state);
  if (reason) return { action: 'suppress', reason };
  if (c.duringQuietHours === 'defer') {
    const until = quietHoursEnd(policy.quietHours, zoneFor(policy, timeZone), nowMs);
    if (until !== null) return { action: 'defer', untilMs: until };
  }
  return { action: 'send' };
}

/** A number a message can go to: E.164, 7 to 15 digits. */
export function isTextableNumber(phone: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(phone);
}
