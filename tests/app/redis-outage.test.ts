import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callSid, TEST_BASE_URL, twilioPost } from '../helpers/twilio.js';
import { elements, find, parseXml, textOf, type XmlElement } from '../helpers/xml.js';
import { startService, type Harness } from './harness.js';
import { RedisLink } from './redis-link.js';

const names = (el: XmlElement) => elements(el).map((e) => e.name);

function expectApologyAndGeneralQueue(doc: XmlElement): void {
  expect(names(doc)).toEqual(['Say', 'Enqueue']);
  expect(textOf(find(doc, 'Say')!)).toMatch(/抱歉/);
  expect(textOf(find(doc, 'Enqueue')!)).toBe('general');
}

describe('Redis unreachable from the start', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startService('redis-closed', { REDIS_URL: 'redis://127.0.0.1:1' });
  });
  afterAll(() => h.close());

  it('still answers every webhook with valid TwiML: an apology and the general queue', async () => {
    const call = { CallSid: callSid(1), From: '+8613800000001' };
    expectApologyAndGeneralQueue(parseXml((await twilioPost(h.server, '/voice/incoming', call).expect(200)).text));
    expectApologyAndGeneralQueue(parseXml((await twilioPost(h.server, '/voice/gather?step=1', { ...call, Digits: '1' }).expect(200)).text));
    expect(parseXml((await twilioPost(h.server, '/voice/status', { ...call, CallStatus: 'completed', CallDuration: '30' }).expect(200)).text).name).toBe('Response');
    expect(names(parseXml((await twilioPost(h.server, '/voice/hold?lang=zh-CN', { ...call, QueuePosition: '2' }).expect(200)).text))).toEqual(['Say', 'Play']);
  });

  it('reports itself down on /health (503)', async () => {
    const res = await request(h.server).get('/health').expect(503);
    expect(res.body).toMatchObject({ status: 'down', redis: { ok: false } });
    expect(res.body.config.version).toMatch(/^[0-9a-f]{12}$/);
  });

  it('logs the fault turns as warnings with their code', () => {
    const faults = h.logs.filter((l) => l['fault'] === 'CALL_STATE_UNAVAILABLE');
    expect(faults.length).toBeGreaterThanOrEqual(2);
    expect(faults[0]).toMatchObject({ level: 40, callSid: callSid(1), reply: 'fault' });
  });
});

describe('Redis lost in the middle of a call', () => {
  let h: Harness;
  const link = new RedisLink();
  beforeAll(async () => {
    await link.open();
    h = await startService('redis-lost', { REDIS_URL: `redis://127.0.0.1:${link.port}`, REDIS_COMMAND_TIMEOUT_MS: '300' });
  });
  afterAll(async () => {
    await h.close();
    await link.cut().catch(() => undefined);
  });

  it('apologises and queues the caller, turns /health red, and recovers when Redis is back', async () => {
    const call = { CallSid: callSid(2), From: '+8613800000300' };
    const first = parseXml((await twilioPost(h.server, '/voice/incoming', call).expect(200)).text);
    expect(find(first, 'Gather')!.attrs['action']).toBe(`${TEST_BASE_URL}/voice/gather?step=1`);
    await request(h.server).get('/health').expect(200);

    await link.cut();
    expectApologyAndGeneralQueue(parseXml((await twilioPost(h.server, '/voice/gather?step=1', { ...call, Digits: '2' }).expect(200)).text));
    expect((await request(h.server).get('/health').expect(503)).body.status).toBe('down');

    await link.open();
    await vi.waitFor(async () => expect((await request(h.server).get('/health')).status).toBe(200), { timeout: 10_000, interval: 100 });
    // The call's state survived in Redis: the caller's next key goes on where the flow was.
    const resumed = parseXml((await twilioPost(h.server, '/voice/gather?step=1', { ...call, Digits: '2' }).expect(200)).text);
    expect(textOf(elements(resumed)[0]!)).toMatch(/账户余额/);
  });
});
