import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SmsSendError } from '../../src/core/sms/sms-errors.js';
import { createTwilioClient } from '../../src/infra/twilio/twilio-client.js';
import { TwilioSmsSender } from '../../src/infra/sms/twilio-sms-sender.js';
import { callSid, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../helpers/twilio.js';
import { hang, twilioError, TwilioRestStandIn } from '../helpers/twilio-rest-stand-in.js';

let twilioApi: TwilioRestStandIn;
beforeAll(async () => (twilioApi = await new TwilioRestStandIn().start()));
afterAll(() => twilioApi.close());
beforeEach(() => (twilioApi.requests.length = 0));

const client = (timeoutMs?: number) =>
  createTwilioClient({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, apiBaseUrl: twilioApi.baseUrl, ...(timeoutMs ? { timeoutMs } : {}) });
const sms = { to: '+8613800000001', body: '您的账户余额为12.45元。', statusCallback: `https://ivr.example.test/sms/status?template=bill-summary&key=${callSid(1)}.bill-summary` };

async function failureOf(p: Promise<unknown>): Promise<SmsSendError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(SmsSendError);
  return err as SmsSendError;
}

describe('sending through the real twilio client, pointed at a local stand-in', () => {
  it('posts To, From, Body and StatusCallback form-encoded to the account Messages resource, with basic auth', async () => {
    const sent = await new TwilioSmsSender(client(), { from: '+8610086' }).send(sms);
    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent.status).toBe('queued');
    expect(twilioApi.requests).toHaveLength(1);
    const r = twilioApi.requests[0]!;
    expect(r.accountSid).toBe(TEST_ACCOUNT_SID);
    expect(r.auth).toEqual({ user: TEST_ACCOUNT_SID, password: TEST_AUTH_TOKEN });
    expect(r.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(r.form).toEqual({ To: sms.to, From: '+8610086', Body: sms.body, StatusCallback: sms.statusCallback });
  });

  it('sends from a Messaging Service instead of a number when configured so', async () => {
    const service = 'MG' + 'c3'.repeat(16);
    await new TwilioSmsSender(client(), { messagingServiceSid: service }).send(sms);
    expect(twilioApi.requests[0]!.form).toEqual({ To: sms.to, MessagingServiceSid: service, Body: sms.body, StatusCallback: sms.statusCallback });
  });

  it('a 500 or a 429 is retryable; a 400 is not; 21610 says the number unsubscribed', async () => {
    const sender = new TwilioSmsSender(client(), { from: '+8610086' });
    twilioApi.replyNext(twilioError(500, 20500), twilioError(429, 20429), twilioError(400, 21211), twilioError(400, 21610));
    const e500 = await failureOf(sender.send(sms));
    expect(e500).toMatchObject({ kind: 'retryable', status: 500, twilioCode: 20500, retryable: true, code: 'SMS_SEND_RETRYABLE' });
    expect(await failureOf(sender.send(sms))).toMatchObject({ kind: 'retryable', status: 429 });
    expect(await failureOf(sender.send(sms))).toMatchObject({ kind: 'permanent', status: 400, twilioCode: 21211, retryable: false, code: 'SMS_SEND_REJECTED' });
    const unsub = await failureOf(sender.send(sms));
    expect(unsub).toMatchObject({ kind: 'unsubscribed', twilioCode: 21610, retryable: false, code: 'SMS_UNSUBSCRIBED' });
    expect(unsub.message).toContain('unsubscribed recipient');
  });

  it('no answer in time is a retryable failure', async () => {
    twilioApi.replyNext(hang());
    const e = await failureOf(new TwilioSmsSender(client(300), { from: '+8610086' }).send(sms));
    expect(e).toMatchObject({ kind: 'retryable', status: undefined });
  });

  it('a refused connection is a retryable failure', async () => {
    const dead = createTwilioClient({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, apiBaseUrl: 'http://127.0.0.1:1' });
    expect(await failureOf(new TwilioSmsSender(dead, { from: '+8610086' }).send(sms))).toMatchObject({ kind: 'retryable' });
  });
});
