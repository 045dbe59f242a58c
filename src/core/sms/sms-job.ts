import { normalisePhone } from '../customers/customer-directory.js';
import type { Decision, SmsRequest } from '../decision/decision.js';
import type { CustomerProfile, Language } from '../profile/customer-profile.js';
import type { SmsClass } from './contact-policy.js';
import type { LedgerMessage } from './contact-ledger.js';

/** Bumped when the job shape changes incompatibly. */
export const SMS_JOB_FORMAT = 1;

/** One decided message, as it waits in the queue: everything needed to send it, nothing to look up. */
export interface SmsJob {
  format: typeof SMS_JOB_FORMAT;
  /** smsMessageKey(callSid, template): the job id. */
  key: string;
  callSid: string;
  /** E.164. */
  phone: string;
  template: string;
  class: SmsClass;
  /** Template variables as known when the call was decided. */
  vars: Record<string, unknown>;
  language: Language;
  /** The customer's IANA zone, if the profile has one. */
  timeZone?: string;
  /** The rule that asked for the message. */
  rule: string;
  decidedAtMs: number;
}

/**
 * The id of a call's message for one template: a retried webhook or a restarted worker finds the
 * same id, so the message is queued and counted once. ("." cannot occur in template ids; queue
 * ids may not contain ":".)
 */
export function smsMessageKey(callSid: string, template: string): string {
  return `${callSid.replace(/:/g, '_')}.${template}`;
}

/** The jobs a decided call asks for, one per SMS request (the decision has already de-duplicated templates). */
export function smsJobsOf(callSid: string, phone: string, decision: Decision, profile: CustomerProfile | undefined, nowMs: number): SmsJob[] {
  return decision.sms.map((r: SmsRequest) => {
    const job: SmsJob = {
      format: SMS_JOB_FORMAT,
      key: smsMessageKey(callSid, r.template),
      callSid,
      phone: normalisePhone(phone),
      template: r.template,
      class: r.class,
      vars: r.vars,
      language: decision.caller.language,
      rule: r.rule,
      decidedAtMs: nowMs,
    };
    if (profile?.timeZone) job.timeZone = profile.timeZone;
    return job;
  });
}

export function ledgerMessageOf(job: SmsJob, atMs: number): LedgerMessage {
  return { key: job.key, phone: job.phone, template: job.template, class: job.class, atMs };
}
