import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callSid, messageSid, TEST_ACCOUNT_SID, twilioPost } from '../helpers/twilio.js';
import { startService, type Harness } from './harness.js';

const CALLER = '+8613800000300';

/** Every voice webhook, with what else Twilio posts to it. */
const VOICE_WEBHOOKS: { path: string; params: Record<string, string> }[] = [
  { path: '/voice/incoming', params: { From: CALLER } },
  { path: '/voice/gather?step=1', params: { Digits: '1' } },
  { path: '/voice/status', params: { CallStatus: 'completed' } },
  { path: '/voice/hold?lang=zh-CN', params: { QueuePosition: '1' } },
  { path: '/voice/queue-result', params: { QueueResult: 'hangup' } },
];

describe('webhook input that did not come from Twilio as Twilio sends it', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startService('webhook-input');
  });
  afterAll(() => h.close());

  const noCallState = async () => expect(await h.redis.keys(`${h.prefix}call:*`)).toEqual([]);

  for (const { path, params } of VOICE_WEBHOOKS) {
    it(`${path.split('?')[0]} refuses a CallSid that is not CA + 32 hex digits (400, saying so), and stores nothing`, async () => {
      for (const bad of ['CAsecurity0000000000000000000001', 'CA' + '0'.repeat(31), 'CA' + '0'.repeat(33), 'SM' + '0'.repeat(32), 'CA' + 'g'.repeat(32), '../../etc/passwd']) {
        const res = await twilioPost(h.server, path, { CallSid: bad, AccountSid: TEST_ACCOUNT_SID, ...params }).expect(400);
        expect(res.body.error).toBe('WEBHOOK_PARAM_INVALID');
        expect(res.body.message).toContain('CallSid');
        expect(res.body.message).toContain('CA followed by 32 hex digits');
        expect(res.body.message).toContain(JSON.stringify(bad));
      }
      await noCallState();
    });
  }

  it('accepts real-shaped call SIDs, upper- or lower-case hex', async () => {
    await twilioPost(h.server, '/voice/incoming', { CallSid: callSid(0xabc), From: CALLER }).expect(200);
    await twilioPost(h.server, '/voice/incoming', { CallSid: 'CA' + 'ABCDEF0123456789'.repeat(2), From: CALLER }).expect(200);
  });

  it('cuts a long bad CallSid short in the message', async () => {
    const res = await twilioPost(h.server, '/voice/incoming', { CallSid: 'CA' + 'x'.repeat(5000), From: CALLER }).expect(400);
    expect(res.body.message.length).toBeLessThan(200);
  });

  it('refuses a repeated Digits (400) instead of hearing it as no input', async () => {
    const sid = callSid(1);
    await twilioPost(h.server, '/voice/incoming', { CallSid: sid, From: CALLER }).expect(200);
    const before = await h.redis.hget(`${h.prefix}call:${sid}`, 'v');
    const res = await twilioPost(h.server, '/voice/gather?step=1', { CallSid: sid, Digits: ['1', '2'] }).expect(400);
    expect(res.body).toEqual({ error: 'WEBHOOK_PARAM_INVALID', message: '/voice/gather: Digits is given 2 times; Twilio sends it once' });
    // The call did not move on.
    expect(await h.redis.hget(`${h.prefix}call:${sid}`, 'v')).toBe(before);
    const empty = await twilioPost(h.server, '/voice/gather?step=1', { CallSid: sid, Digits: ['', ''] }).expect(400);
    expect(empty.body.message).toContain('Digits is given 2 times');
    // The same press given once is taken.
    await twilioPost(h.server, '/voice/gather?step=1', { CallSid: sid, Digits: '1' }).expect(200);
  });

  it('refuses a repeated CallSid or step as well', async () => {
    const twice = await twilioPost(h.server, '/voice/incoming', { CallSid: [callSid(2), callSid(3)], From: CALLER }).expect(400);
    expect(twice.body.message).toBe('/voice/incoming: CallSid is given 2 times; Twilio sends it once');
    const steps = await twilioPost(h.server, '/voice/gather?step=1&step=2', { CallSid: callSid(2), Digits: '1' }).expect(400);
    expect(steps.body.message).toContain('step is given 2 times');
    expect(await h.redis.exists(`${h.prefix}call:${callSid(2)}`, `${h.prefix}call:${callSid(3)}`)).toBe(0);
  });

  it('refuses a MessageSid that is not SM or MM + 32 hex digits on /sms/status and /sms/inbound; accepts MMS ones', async () => {
    const status = (sid: string) => twilioPost(h.server, '/sms/status?template=bill-summary&key=k', { AccountSid: TEST_ACCOUNT_SID, MessageSid: sid, MessageStatus: 'delivered' });
    const inbound = (sid: string | undefined) =>
      twilioPost(h.server, '/sms/inbound', { AccountSid: TEST_ACCOUNT_SID, ...(sid === undefined ? {} : { MessageSid: sid }), From: CALLER, To: '+8610086', Body: 'hello' });
    for (const bad of ['SMmessage', 'SM' + '0'.repeat(31), 'CA' + '0'.repeat(32), 'MM' + 'z'.repeat(32)]) {
      for (const res of [await status(bad).expect(400), await inbound(bad).expect(400)]) {
        expect(res.body.error).toBe('WEBHOOK_PARAM_INVALID');
        expect(res.body.message).toContain(`MessageSid ${JSON.stringify(bad)} is not a Twilio message SID (SM or MM followed by 32 hex digits)`);
      }
    }
    expect((await inbound(undefined).expect(400)).body.message).toBe('/sms/inbound: MessageSid is missing: Twilio posts the SID of the message');
    await status(messageSid(1)).expect(204);
    await status(messageSid(2, 'MM')).expect(204);
    await inbound(messageSid(3)).expect(200);
    await inbound(messageSid(4, 'MM')).expect(200);
  });
});

describe('the SID helpers of the tests', () => {
  it('make deterministic SIDs of Twilio shape', () => {
    expect(callSid(1)).toBe('CA00000000000000000000000000000001');
    expect(callSid(255)).toBe(`CA${'0'.repeat(30)}ff`);
    expect(messageSid(16, 'MM')).toBe(`MM${'0'.repeat(30)}10`);
    expect(() => callSid(-1)).toThrow(/whole number/);
  });
});
