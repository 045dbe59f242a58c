import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { ReadyEvent } from '../../src/app/screen-pop/agent-events.service.js';
import { CallDecider } from '../../src/core/decision/call-decider.js';
import type { ScreenPop } from '../../src/core/screen-pop/screen-pop.js';
import { loadConfiguration } from '../../src/core/configuration/configuration.js';
import { driveCall } from '../app/call-driver.js';
import { startService, type Harness } from '../app/harness.js';
import { callSid, pathOf, twilioPost } from '../helpers/twilio.js';
import { find, textOf } from '../helpers/xml.js';
import { json, openSse, type SseConnection } from './sse-client.js';

const DIAMOND = '+8613800000001';
/** A 4G customer with a repeat-call and a complaints tag (both warnings). */
const REPEAT_4G = '+8613800000127';
/** A standard customer: pressing 0 queues to general. */
const STANDARD = '+8613800000300';

describe('agent screen pops over Server-Sent Events', () => {
  let h: Harness;
  let n = 0;
  const open: SseConnection[] = [];
  const sid = () => callSid(++n);
  const connect = async (path: string, headers: Record<string, string> = {}) => {
    const c = await openSse(h.internal, path, headers);
    open.push(c);
    return c;
  };

  beforeAll(async () => {
    h = await startService('screen-pop');
    await h.app.listen(0, '127.0.0.1');
    await h.listenInternal();
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await h.close();
  });

  it("shows an agent serving vip-diamond the diamond caller's card, tags and IVR summary the moment the call is queued", async () => {
    const desk = await connect('/agents/li.wei/events?queues=vip-diamond');
    expect(desk.status).toBe(200);
    expect(desk.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(desk.headers['cache-control']).toContain('no-cache');
    expect(desk.retryMs).toBeGreaterThan(0);
    const ready = json<ReadyEvent>(await desk.next('ready'));
    expect(ready).toMatchObject({ agentId: 'li.wei', queues: ['vip-diamond'], queuesFrom: 'request', group: null, resumed: false });

    const callSid = sid();
    await driveCall(h, callSid, DIAMOND, [{ key: '0' }]);
    const e = await desk.next('screen-pop');
    expect(e.id).toMatch(/^\d+-\d+$/);
    const pop = json<ScreenPop>(e);
    const decision = (await h.store.get(callSid))!.value.turn.end!.decision!;

    expect(pop).toMatchObject({
      format: 1,
      callSid,
      queue: 'vip-diamond',
      priority: 100,
      segment: 'vip-diamond',
      fault: null,
      configVersion: decision.configVersion,
      at: new Date(h.clock.now()).toISOString(),
    });
    expect(pop.overflow).toEqual(decision.route!.overflow);
    expect(pop.tags).toEqual(decision.tags);
    expect(pop.tags.map((t) => t.rule)).toEqual(['heavy-data-user', 'long-tenure-vip']);
    expect(pop.customer).toEqual({
      phone: '+86138****0001',
      known: true,
      name: '王建国',
      title: '王先生',
      segment: 'vip-diamond',
      vipLevel: 'diamond',
      plan: '全球通尊享598',
      network: '5G',
      dataUsedPct: 45,
      balance: 12.45,
      tenureMonths: 156,
      calls24h: 0,
      calls7d: 6,
      complaints90d: 0,
      areaOutage: false,
      region: "Xi'an",
      language: 'zh-CN',
    });
    expect(pop.ivr).toEqual({
      flowId: 'vip-diamond',
      finalState: 'handoff',
      ivrSec: decision.flow.ivrSec,
      intent: 'agent',
      intents: ['agent'],
      hotKey: '0',
      escalation: null,
      diagnosis: null,
      keys: ['0'],
    });
    // Never the full number on an agent's screen.
    expect(e.data).not.toContain('13800000001');
  });

  it('publishes one pop per call: a retried gather that queued the call adds nothing', async () => {
    const callSid = sid();
    const call = await driveCall(h, callSid, REPEAT_4G, [{ key: '0' }]);
    const key = `${h.prefix}screen-pop:4g`;
    expect(await h.redis.xlen(key)).toBe(1);
    // Twilio retries the last gather (same step): the same TwiML, no second pop.
    const lastGather = find(call.responses.at(-2)!, 'Gather')!;
    const base = { CallSid: callSid, AccountSid: h.env.twilio.accountSid, From: REPEAT_4G, To: '+861008600', CallStatus: 'in-progress', Direction: 'inbound' };
    await twilioPost(h.server, pathOf(lastGather.attrs['action']!), { ...base, Digits: '0', FinishedOnKey: '' }).expect(200);
    expect(await h.redis.xlen(key)).toBe(1);
  });

  it('gives an agent only the queues they serve, in the order the calls were queued', async () => {
    const desk = await connect('/agents/zhang/events?queues=general,4g');
    await desk.next('ready');
    const diamond = sid();
    const repeat = sid();
    const standard = sid();
    await driveCall(h, diamond, DIAMOND, [{ key: '0' }]);
    await driveCall(h, repeat, REPEAT_4G, [{ key: '0' }]);
    await driveCall(h, standard, STANDARD, [{ key: '0' }]);
    const first = json<ScreenPop>(await desk.next('screen-pop'));
    const second = json<ScreenPop>(await desk.next('screen-pop'));
    expect([first.callSid, first.queue]).toEqual([repeat, '4g']);
    expect([second.callSid, second.queue]).toEqual([standard, 'general']);
    expect(first.tags.map((t) => [t.severity, t.rule])).toEqual([
      ['warning', 'repeat-caller'],
      ['warning', 'complaint-history'],
    ]);
    expect(desk.received().some((e) => e.data.includes(diamond))).toBe(false);
  });

  it('lets a desktop that reconnects with Last-Event-ID catch up on what was queued meanwhile, and nothing twice', async () => {
    const desk = await connect('/agents/wang/events?queues=vip-diamond,general');
    const ready = await desk.next('ready');
    expect(ready.id).toMatch(/^vip-diamond=\d+-\d+,general=\d+-\d+$/);
    const seen = sid();
    await driveCall(h, seen, DIAMOND, [{ key: '0' }]);
    const last = await desk.next('screen-pop');
    expect(json<ScreenPop>(last).callSid).toBe(seen);
    desk.close();

    const missedDiamond = sid();
    const missedStandard = sid();
    await driveCall(h, missedDiamond, DIAMOND, [{ key: '0' }]);
    await driveCall(h, missedStandard, STANDARD, [{ key: '0' }]);

    const again = await connect('/agents/wang/events?queues=vip-diamond,general', { 'Last-Event-ID': last.id! });
    expect(json<ReadyEvent>(await again.next('ready')).resumed).toBe(true);
    const a = json<ScreenPop>(await again.next('screen-pop'));
    const b = json<ScreenPop>(await again.next('screen-pop'));
    // Across queues, entries added within the same millisecond tie; the set is what matters here.
    expect([a.callSid, b.callSid].sort()).toEqual([missedDiamond, missedStandard].sort());
    expect(again.received().filter((e) => e.data.includes(seen))).toEqual([]);
  });

  it('resumes from the ready event id when the desktop dropped before any call came', async () => {
    const desk = await connect('/queues/vip-diamond/events');
    const ready = await desk.next('ready');
    expect(ready.id).toMatch(/^\d+-\d+$/);
    desk.close();
    const missed = sid();
    await driveCall(h, missed, DIAMOND, [{ key: '0' }]);
    const again = await connect('/queues/vip-diamond/events', { 'Last-Event-ID': ready.id! });
    expect(json<ScreenPop>(await again.next('screen-pop')).callSid).toBe(missed);
  });

  it("takes an agent's queues from their staffing group when the request names none", async () => {
    const desk = await connect('/agents/diamond-desk-07/events');
    expect(json<ReadyEvent>(await desk.next('ready'))).toMatchObject({
      agentId: 'diamond-desk-07',
      group: 'diamond-desk',
      queuesFrom: 'staffing',
      queues: ['vip-diamond', 'vip', 'general'],
    });
  });

  it('refuses what it cannot serve with a message saying what to send', async () => {
    const noGroup = await request(h.internal).get('/agents/nobody/events').expect(400);
    expect(noGroup.body.message).toContain('diamond-desk-…');
    expect(noGroup.body.message).toContain('queues=');
    const badQueue = await request(h.internal).get('/agents/li/events?queues=vip,bad%20queue').expect(400);
    expect(badQueue.body.message).toContain('"bad queue"');
    await request(h.internal).get('/agents/li/events?queues=').expect(400);
    await request(h.internal).get('/queues/no%20such/events').expect(400);
  });

  it('does not record a screen pop for calls that end in the IVR', async () => {
    const callSid = sid();
    await driveCall(h, callSid, STANDARD, [{ key: '3' }, { key: '2' }, { key: '1' }]);
    const end = (await h.store.get(callSid))!.value.turn.end!;
    expect(end.outcome).toBe('selfServed');
    const entries = await h.redis.xrange(`${h.prefix}screen-pop:general`, '-', '+');
    expect(entries.some(([, fields]) => fields.join(' ').includes(callSid))).toBe(false);
  });

  it('still queues the caller when the pop cannot be published, and says so in the log', async () => {
    // A key of the wrong type makes XADD fail the way a full or misconfigured Redis would.
    await h.redis.set(`${h.prefix}screen-pop:campus`, 'not a stream');
    const callSid = sid();
    const call = await driveCall(h, callSid, '+8613800000216', [{ key: '0' }]);
    expect(textOf(find(call.last, 'Enqueue')!)).toBe('campus');
    expect(h.logs.filter((l) => l.msg === 'screen pop not published' && l['callSid'] === callSid)).toHaveLength(1);
  });

  it('agrees with the decision the simulator makes for the same call', async () => {
    const callSid = sid();
    await driveCall(h, callSid, REPEAT_4G, [{ key: '0' }]);
    const cli = new CallDecider(loadConfiguration()).decide({ callId: callSid, caller: REPEAT_4G, keys: [{ key: '0' }] });
    const entries = await h.redis.xrange(`${h.prefix}screen-pop:4g`, '-', '+');
    const pop = entries.map(([, f]) => JSON.parse(f[1]!) as ScreenPop).find((p) => p.callSid === callSid)!;
    expect(pop.tags).toEqual(cli.tags);
    expect([pop.queue, pop.priority]).toEqual([cli.route!.queue, cli.route!.priority]);
  });
});
