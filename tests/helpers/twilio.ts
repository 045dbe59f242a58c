import request from 'supertest';
import twilio from 'twilio';

/** Credentials and URL of the Twilio account the test service answers for (made up; no network). */
export const TEST_AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
export const TEST_ACCOUNT_SID = 'AC' + 'a1'.repeat(16);
export const TEST_WORKFLOW_SID = 'WW' + 'b2'.repeat(16);
export const TEST_BASE_URL = 'https://ivr.example.test';

export type FormParams = Record<string, string>;

/** X-Twilio-Signature as Twilio computes it, with the twilio library's own helper. */
export function signatureFor(url: string, params: FormParams, authToken = TEST_AUTH_TOKEN): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

export interface PostOptions {
  /** Public base URL Twilio called (default TEST_BASE_URL). */
  baseUrl?: string;
  authToken?: string;
  /** Replace the signature (e.g. a wrong one); null sends none. */
  signature?: string | null;
}

/** A webhook as Twilio sends it: form-encoded POST, signed over the public URL and the parameters. */
export function twilioPost(server: Parameters<typeof request>[0], pathAndQuery: string, params: FormParams, opts: PostOptions = {}): request.Test {
  const url = (opts.baseUrl ?? TEST_BASE_URL) + pathAndQuery;
  const req = request(server).post(pathAndQuery).type('form').send(params);
  const signature = opts.signature === undefined ? signatureFor(url, params, opts.authToken) : opts.signature;
  return signature === null ? req : req.set('X-Twilio-Signature', signature);
}

/** The path and query of an absolute URL the service put in its TwiML. */
export function pathOf(url: string, baseUrl = TEST_BASE_URL): string {
  if (!url.startsWith(baseUrl)) throw new Error(`${url} is not under ${baseUrl}`);
  return url.slice(baseUrl.length);
}
