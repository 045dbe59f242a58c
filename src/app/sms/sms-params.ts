import type { TwilioParams } from '../telephony/webhook-params.js';
import { WebhookParamError } from '../telephony/webhook-errors.js';

function text(params: TwilioParams | undefined, name: string): string | undefined {
  const v = params?.[name];
  return typeof v === 'string' ? v : undefined;
}

function required(path: string, params: TwilioParams, name: string, what: string): string {
  const v = text(params, name)?.trim();
  if (!v) throw new WebhookParamError(path, name, `is missing: Twilio posts ${what}`);
  return v;
}

/** A text a customer sent to our number (Twilio's incoming-message webhook). */
export interface InboundSms {
  from: string;
  body: string;
  messageSid: string | null;
}

export function readInboundSms(body: TwilioParams): InboundSms {
  return { from: required('/sms/inbound', body, 'From', "the sender's number"), body: text(body, 'Body') ?? '', messageSid: text(body, 'MessageSid') ?? null };
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
    messageSid: required(path, body, 'MessageSid', 'the message it reports on'),
    status: required(path, body, 'MessageStatus', 'the message status'),
    errorCode: text(body, 'ErrorCode')?.trim() || null,
    key: text(query, 'key')?.trim() || null,
    template: text(query, 'template')?.trim() || null,
  };
}
