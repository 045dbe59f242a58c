import { NamedError } from '../errors/named-error.js';

/** A decided SMS names a template the templates file does not have (any more). */
export class SmsTemplateUnknownError extends NamedError {
  readonly code = 'SMS_TEMPLATE_UNKNOWN';
  readonly retryable = false;
  constructor(readonly template: string) {
    super(`SMS template "${template}" is not in sms-templates.json; nothing was sent`);
    this.name = 'SmsTemplateUnknownError';
  }
}

/** The template needs a fact the decision did not have: the text would be broken, so nothing is sent. */
export class SmsTemplateVariableMissingError extends NamedError {
  readonly code = 'SMS_TEMPLATE_VARIABLE_MISSING';
  readonly retryable = false;
  constructor(
    readonly template: string,
    readonly language: string,
    readonly missing: readonly string[],
  ) {
    super(`SMS template "${template}" (${language}) needs ${missing.map((m) => `{${m}}`).join(', ')}, which the call did not provide; nothing was sent`);
    this.name = 'SmsTemplateVariableMissingError';
  }
}

export type SendFailureKind =
  /** Worth another try later: 429, 5xx, a timeout or a broken connection. */
  | 'retryable'
  /** Twilio refused the request for good (4xx): retrying sends the same refusal. */
  | 'permanent'
  /** Twilio error 21610: the number replied STOP to this sender; it goes on the opt-out list. */
  | 'unsubscribed';

/** Twilio error codes: https://www.twilio.com/docs/api/errors */
export const TWILIO_UNSUBSCRIBED = 21610;

/**
 * Sending failed. `kind` says what to do about it; `status` and `twilioCode` are what Twilio
 * answered (absent for network failures).
 */
export class SmsSendError extends NamedError {
  readonly code: string;
  constructor(
    readonly kind: SendFailureKind,
    message: string,
    readonly status?: number,
    readonly twilioCode?: number,
  ) {
    super(message);
    this.name = 'SmsSendError';
    this.code = kind === 'unsubscribed' ? 'SMS_UNSUBSCRIBED' : kind === 'retryable' ? 'SMS_SEND_RETRYABLE' : 'SMS_SEND_REJECTED';
  }

  get retryable(): boolean {
    return this.kind === 'retryable';
  }
}

/**
 * How a failed send is treated, from what came back: an HTTP status and Twilio error code, or
 * nothing at all (a timeout, a refused or reset connection).
 */
export function classifySendFailure(status: number | undefined, twilioCode: number | undefined): SendFailureKind {
  if (twilioCode === TWILIO_UNSUBSCRIBED) return 'unsubscribed';
  if (status === undefined) return 'retryable';
  if (status === 429 || status === 408 || status >= 500) return 'retryable';
  if (status >= 400) return 'permanent';
  return 'retryable';
}

/** Workers kept dying while handling this message (a poison message): it is given up, not sent. */
export class SmsWorkerDiedError extends NamedError {
  readonly code = 'SMS_WORKER_DIED';
  readonly retryable = false;
  constructor(readonly deaths: number) {
    super(`the worker died ${deaths} times while handling this message; it was not found at Twilio and is not tried again`);
    this.name = 'SmsWorkerDiedError';
  }
}
