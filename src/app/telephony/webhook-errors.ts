import { NamedError } from '../../core/errors/named-error.js';

/** The request carries no X-Twilio-Signature header. */
export class TwilioSignatureMissingError extends NamedError {
  readonly code = 'TWILIO_SIGNATURE_MISSING';
  constructor(readonly path: string) {
    super(`${path}: the X-Twilio-Signature header is missing; only Twilio may call this webhook`);
    this.name = 'TwilioSignatureMissingError';
  }
}

/** X-Twilio-Signature does not match the URL and parameters under our auth token. */
export class TwilioSignatureInvalidError extends NamedError {
  readonly code = 'TWILIO_SIGNATURE_INVALID';
  constructor(readonly path: string) {
    super(`${path}: X-Twilio-Signature does not match this request (is PUBLIC_BASE_URL the URL Twilio calls, and TWILIO_AUTH_TOKEN the account's token?)`);
    this.name = 'TwilioSignatureInvalidError';
  }
}

/** The request names another Twilio account than the one this service answers for. */
export class TwilioAccountMismatchError extends NamedError {
  readonly code = 'TWILIO_ACCOUNT_MISMATCH';
  constructor(readonly path: string) {
    super(`${path}: AccountSid is not the account in TWILIO_ACCOUNT_SID`);
    this.name = 'TwilioAccountMismatchError';
  }
}

/** A voice webhook without CallSid: nothing can be looked up or stored. */
export class CallSidMissingError extends NamedError {
  readonly code = 'CALL_SID_MISSING';
  constructor(readonly path: string) {
    super(`${path}: the form body has no CallSid; Twilio posts CallSid with every voice webhook (application/x-www-form-urlencoded)`);
    this.name = 'CallSidMissingError';
  }
}

/** A parameter of a voice webhook is missing or malformed. */
export class WebhookParamError extends NamedError {
  readonly code = 'WEBHOOK_PARAM_INVALID';
  constructor(
    readonly path: string,
    readonly param: string,
    detail: string,
  ) {
    super(`${path}: ${param} ${detail}`);
    this.name = 'WebhookParamError';
  }
}
