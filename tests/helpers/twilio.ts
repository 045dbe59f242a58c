import request from 'supertest';
import twilio from 'twilio';

/** Credentials and URL of the Twilio account the test service answers for (made up; no network). */
export const TEST_AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
export const TEST_ACCOUNT_SID = 'AC' + 'a1'.repeat(16);
export const TEST_WORKFLOW_SID = 'WW' + 'b2'.repeat(16);
export const TEST_BASE_URL = 'https://ivr.example.test';

export type FormParams = Record<string, string>;
/** Form parameters where an array is a parameter given more than once (Twilio never does that). */
export type RepeatedFormParams = Record<string, string | string[]>;

/** A call SID of Twilio's shape (CA + 32 hex digits), the same for the same n: `callSid(1)` is CA000…001. */
export function callSid(n: number): string {
  return sidOf('CA', n);
}

/** A message SID of Twilio's shape (SM, or MM for MMS, + 32 hex digits), the same for the same n. */
export function messageSid(n: number, kind: 'SM' | 'MM' = 'SM'): string {
  return sidOf(kind, n);
}

function sidOf(prefix: string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`a SID number must be a whole number from 0 (got ${n})`);
  return prefix + n.toString(16).padStart(32, '0');
}

/** X-Twilio-Signature as Twilio computes it, with the twilio library's own helper. */
export function signatureFor(url: string, params: RepeatedFormParams, authToken = TEST_AUTH_TOKEN): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

function formBody(params: RepeatedFormParams): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  return form.toString();
}

export interface PostOptions {
  /** Public base URL Twilio called (default TEST_BASE_URL). */
  baseUrl?: string;
  authToken?: string;
  /** Replace the signature (e.g. a wrong one); null sends none. */
  signature?: string | null;
}

/** A webhook as Twilio sends it: form-encoded POST, signed over the public URL and the parameters. */
export function twilioPost(server: Parameters<typeof request>[0], pathAndQuery: string, params: RepeatedFormParams, opts: PostOptions = {}): request.Test {
  const url = (opts.baseUrl ?? TEST_BASE_URL) + pathAndQuery;
  const req = request(server).post(pathAndQuery).type('form').send(formBody(params));
  const signature = opts.signature === undefined ? signatureFor(url, params, opts.authToken) : opts.signature;
  return signature === null ? req : req.set('X-Twilio-Signature', signature);
}

/** The path and query of an absolute URL the service put in its TwiML. */
export function pathOf(url: string, baseUrl = TEST_BASE_URL): string {
  if (!url.startsWith(baseUrl)) throw new Error(`${url} is not under ${baseUrl}`);
  return url.slice(baseUrl.length);
}
