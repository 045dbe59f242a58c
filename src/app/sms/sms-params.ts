import { MESSAGE_SID, shown } from '../telephony/twilio-sids.js';
import { singleParam, type TwilioParams } from '../telephony/webhook-params.js';
import { WebhookParamError } from '../telephony/webhook-errors.js';

function required(path: string, params: TwilioParams, name: string, what: string): string {
  const v = singleParam(path, params, name)?.trim();
  if (!v) throw new WebhookParamError(path, name, `is missing: Twilio posts ${what}`);
  return v;
}

function messageSidOf(path: string, body: TwilioParams): string {
  const sid = required(path, body, 'MessageSid', 'the SID of the message');
  if (!MESSAGE_SID.test(sid)) throw new WebhookParamError(path, 'MessageSid', `${shown(sid)} is not a Twilio message SID (SM or MM followed by 32 hex digits)`);
  return sid;
}

/** A text a customer sent to our number (Twilio's incoming-message webhook). */
export interface InboundSms {
  from: string;
  body: string;
  messageSid: string;
}

export function readInboundSms(body: TwilioParams): InboundSms {
  const path = '/sms/inbound';
  return { from: required(path, body, 'From', "the sender's number"), body: singleParam(path, body, 'Body') ?? '', messageSid: messageSidOf(path, body) };
}

/** A delivery report for one of our texts (the StatusCallback of messages.create). */
export interface SmsStatusReport {
  messageSid: string;
  status: string;
  errorCode: string | null;
  /** The message key and template the callback URL names (absent when Twilio calls a bare URL). */
  key: string | null;
  template: string | null;
}

export function readSmsStatus(body: TwilioParams, query: TwilioParams): SmsStatusReport {
  const path = '/sms/status';
  return {
    messageSid: messageSidOf(path, body),
    status: required(path, body, 'MessageStatus', 'the message status'),
    errorCode: singleParam(path, body, 'ErrorCode')?.trim() || null,
    key: singleParam(path, query, 'key')?.trim() || null,
    template: singleParam(path, query, 'template')?.trim() || null,
  };
}
