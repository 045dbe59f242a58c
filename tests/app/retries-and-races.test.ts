import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callSid, type FormParams, twilioPost } from '../helpers/twilio.js';
import { find, parseXml } from '../helpers/xml.js';
import { startService, type Harness } from './harness.js';

describe('Twilio retries and simultaneous webhooks', () => {
  let h: Harness;
  let n = 0;
  beforeAll(async () => {
    h = await startService('retries');
  });
  afterAll(() => h.close());

  const newCall = (): FormParams => ({ CallSid: callSid(++n), From: '+8613800000300' });
  const version = async (callSid: string) => Number(await h.redis.hget(`${h.prefix}call:${callSid}`, 'v'));

  it('answers a retried incoming call with the same TwiML and keeps one call', async () => {
    const call = newCall();
    const first = await twilioPost(h.server, '/voice/incoming', call).expect(200);
    const retry = await twilioPost(h.server, '/voice/incoming', call).expect(200);
    expect(retry.text).toBe(first.text);
    expect(await version(call['CallSid']!)).toBe(1);
  });

  it('answers a retried gather (same call, same step) with the same TwiML without moving the flow twice', async () => {
    const call = newCall();
    await twilioPost(h.server, '/voice/incoming', call).expect(200);
    const first = await twilioPost(h.server, '/voice/gather?step=1', { ...call, Digits: '2' }).expect(200);
    const retry = await twilioPost(h.server, '/voice/gather?step=1', { ...call, Digits: '2' }).expect(200);
    expect(retry.text).toBe(first.text);
    const s = (await h.store.get(call['CallSid']!))!;
    expect(s.version).toBe(2);
    expect(s.value.keys.map((k) => k.key)).toEqual(['2']);
    expect(s.value.step).toBe(2);
    expect(find(parseXml(first.text), 'Gather')!.attrs['action']).toMatch(/step=2$/);
    const retried = h.logs.filter((l) => l['callSid'] === call['CallSid'] && l['reply'] === 'repeated');
    expect(retried).toHaveLength(1);
  });

  it('answers a late request for an earlier step with the current turn, moving nothing', async () => {
    const call = newCall();
    await twilioPost(h.server, '/voice/incoming', call).expect(200);
    await twilioPost(h.server, '/voice/gather?step=1', { ...call, Digits: '2' }).expect(200);
    const current = await twilioPost(h.server, '/voice/gather?step=2', { ...call, Digits: '1' }).expect(200);
    const late = await twilioPost(h.server, '/voice/gather?step=1', { ...call, Digits: '0' }).expect(200);
    expect(late.text).toBe(current.text);
    expect((await h.store.get(call['CallSid']!))!.value.keys.map((k) => k.key)).toEqual(['2', '1']);
  });

  it('moves a call once when the same gather arrives many times at once', async () => {
    const call = newCall();
    await twilioPost(h.server, '/voice/incoming', call).expect(200);
    const replies = await Promise.all(Array.from({ length: 8 }, () => twilioPost(h.server, '/voice/gather?step=1', { ...call, Digits: '2' }).expect(200)));
    expect(new Set(replies.map((r) => r.text)).size).toBe(1);
    expect(await version(call['CallSid']!)).toBe(2);
    const s = (await h.store.get(call['CallSid']!))!.value;
    expect(s.keys.map((k) => k.key)).toEqual(['2']);
    const kinds = h.logs.filter((l) => l['callSid'] === call['CallSid'] && l['webhook'] === '/voice/gather').map((l) => l['reply']);
    expect(kinds.filter((k) => k === 'advanced')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'repeated')).toHaveLength(7);
  });

  it('keeps one consistent state when two different gathers for one call race', async () => {
    const call = newCall();
    await twilioPost(h.server, '/voice/incoming', call).expect(200);
    const [a, b] = await Promise.all([
      twilioPost(h.server, '/voice/gather?step=1', { ...call, Digits: '2' }).expect(200),
      twilioPost(h.server, '/voice/gather?step=1', { ...call, Digits: '0' }).expect(200),
    ]);
    // Whichever arrived first moved the call; the other was answered with that same turn.
    expect(b.text).toBe(a.text);
    const s = (await h.store.get(call['CallSid']!))!.value;
    expect(s.keys).toHaveLength(1);
    expect(['2', '0']).toContain(s.keys[0]!.key);
    expect(await version(call['CallSid']!)).toBe(2);
  });
});
