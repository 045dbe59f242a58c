import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callSid, signatureFor, TEST_AUTH_TOKEN, TEST_BASE_URL, twilioPost } from '../helpers/twilio.js';
import { parseXml } from '../helpers/xml.js';
import { startService, type Harness } from './harness.js';

const call = { CallSid: callSid(1), From: '+8613800000001', To: '+861008600' };

describe('only Twilio can drive a call', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startService('security');
  });
  afterAll(() => h.close());

  it('answers a correctly signed webhook with TwiML', async () => {
    const res = await twilioPost(h.server, '/voice/incoming', call).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(parseXml(res.text).name).toBe('Response');
  });

  it('refuses a request without X-Twilio-Signature with 400', async () => {
    const res = await twilioPost(h.server, '/voice/incoming', call, { signature: null }).expect(400);
    expect(res.body).toMatchObject({ error: 'TWILIO_SIGNATURE_MISSING' });
  });

  it('refuses a wrong signature with 403', async () => {
    const res = await twilioPost(h.server, '/voice/incoming', call, { signature: 'bm90IGEgc2lnbmF0dXJl' }).expect(403);
    expect(res.body).toMatchObject({ error: 'TWILIO_SIGNATURE_INVALID' });
  });

  it('refuses a signature made with another auth token', async () => {
    await twilioPost(h.server, '/voice/incoming', call, { authToken: 'ffffffffffffffffffffffffffffffff' }).expect(403);
  });

  it('checks the signature over the public URL including the query (the step number)', async () => {
    const params = { ...call, Digits: '1' };
    const signedWithoutQuery = signatureFor(`${TEST_BASE_URL}/voice/gather`, params);
    await twilioPost(h.server, '/voice/gather?step=1', params, { signature: signedWithoutQuery }).expect(403);
    const signedForOtherHost = signatureFor('https://elsewhere.example.test/voice/gather?step=1', params);
    await twilioPost(h.server, '/voice/gather?step=1', params, { signature: signedForOtherHost }).expect(403);
    await twilioPost(h.server, '/voice/gather?step=1', params).expect(200);
  });

  it('accepts what the twilio library accepts beyond the URL as requested: the same URL signed with its default port', async () => {
    const params = { ...call, CallSid: callSid(2) };
    const withPort = signatureFor(TEST_BASE_URL.replace(/^https:\/\/([^/]+)/, 'https://$1:443') + '/voice/incoming', params);
    expect(withPort).not.toBe(signatureFor(`${TEST_BASE_URL}/voice/incoming`, params));
    await twilioPost(h.server, '/voice/incoming', params, { signature: withPort }).expect(200);
    const withOtherPort = signatureFor(TEST_BASE_URL.replace(/^https:\/\/([^/]+)/, 'https://$1:8443') + '/voice/incoming', params);
    await twilioPost(h.server, '/voice/incoming', params, { signature: withOtherPort }).expect(403);
  });

  it('refuses parameters changed after signing', async () => {
    const signature = signatureFor(`${TEST_BASE_URL}/voice/gather?step=1`, { ...call, Digits: '1' });
    await twilioPost(h.server, '/voice/gather?step=1', { ...call, Digits: '0' }, { signature }).expect(403);
  });

  it('refuses a request for another Twilio account', async () => {
    const res = await twilioPost(h.server, '/voice/incoming', { ...call, AccountSid: 'AC' + '9'.repeat(32) }).expect(403);
    expect(res.body).toMatchObject({ error: 'TWILIO_ACCOUNT_MISMATCH' });
  });

  it('says clearly that CallSid is missing (400)', async () => {
    const res = await twilioPost(h.server, '/voice/incoming', { From: '+8613800000001' }).expect(400);
    expect(res.body.error).toBe('CALL_SID_MISSING');
    expect(res.body.message).toMatch(/CallSid/);
  });

  it('needs the step number on a gather (400)', async () => {
    const res = await twilioPost(h.server, '/voice/gather', { ...call, Digits: '1' }).expect(400);
    expect(res.body).toMatchObject({ error: 'WEBHOOK_PARAM_INVALID' });
  });

  it('logs refused requests without the auth token or the signature', async () => {
    await twilioPost(h.server, '/voice/incoming', call, { signature: 'c2lnbmF0dXJlLXNlY3JldA==' }).expect(403);
    const refused = h.logs.filter((l) => l['code'] === 'TWILIO_SIGNATURE_INVALID');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]).toMatchObject({ webhook: '/voice/incoming', status: 403 });
    const all = JSON.stringify(h.logs);
    expect(all).not.toContain(TEST_AUTH_TOKEN);
    expect(all).not.toContain('c2lnbmF0dXJlLXNlY3JldA==');
  });

  it('serves /health without a signature', async () => {
    await request(h.server).get('/health').expect(200);
  });
});

describe('TWILIO_SIGNATURE_VALIDATION=off (development only)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startService('security-off', { TWILIO_SIGNATURE_VALIDATION: 'off', TWILIO_AUTH_TOKEN: '' });
  });
  afterAll(() => h.close());

  it('accepts unsigned webhooks and says so loudly at start-up and on /health', async () => {
    await twilioPost(h.server, '/voice/incoming', call, { signature: null }).expect(200);
    const warning = h.logs.find((l) => l['setting'] === 'TWILIO_SIGNATURE_VALIDATION=off');
    expect(warning?.level).toBe(40);
    expect(warning?.msg).toMatch(/NOT CHECKED/);
    const health = await request(h.server).get('/health').expect(200);
    expect(health.body.signatureValidation).toBe(false);
  });
});
