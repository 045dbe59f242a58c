import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskPhone } from '../../src/core/customers/customer-directory.js';
import { callSid, type FormParams, TEST_BASE_URL, TEST_WORKFLOW_SID, twilioPost } from '../helpers/twilio.js';
import { elements, find, findAll, parseXml, textOf, type XmlElement } from '../helpers/xml.js';
import { driveCall } from './call-driver.js';
import { copyConfig, type ConfigCopy } from '../helpers/config-copy.js';
import { startService, type Harness } from './harness.js';

const STANDARD = '+8613800000300';
const DIAMOND = '+8613800000001';
const ENGLISH = '+8613800000015';

const names = (el: XmlElement) => elements(el).map((e) => e.name);

describe('TwiML the caller hears', () => {
  let h: Harness;
  let n = 0;
  const sid = () => callSid(++n);
  beforeAll(async () => {
    h = await startService('twiml');
  });
  afterAll(() => h.close());

  it('wraps the waiting prompts in a one-digit DTMF Gather that posts back to its step, with a Redirect as fall-through', async () => {
    const callSid = sid();
    const doc = parseXml((await twilioPost(h.server, '/voice/incoming', { CallSid: callSid, From: STANDARD }).expect(200)).text);
    expect(names(doc)).toEqual(['Gather', 'Redirect']);
    const gather = find(doc, 'Gather')!;
    expect(gather.attrs).toEqual({
      input: 'dtmf',
      numDigits: '1',
      finishOnKey: '',
      timeout: '5',
      action: `${TEST_BASE_URL}/voice/gather?step=1`,
      method: 'POST',
      actionOnEmptyResult: 'true',
      language: 'cmn-Hans-CN',
    });
    expect(findAll(gather, 'Say').map(textOf)).toEqual(['您好，欢迎致电客户服务热线。', '查询剩余流量请按1，话费余额请按2，网络故障自助诊断请按3，优惠活动请按4，人工服务请按0。']);
    expect(find(doc, 'Redirect')!.attrs['method']).toBe('POST');
    expect(textOf(find(doc, 'Redirect')!)).toBe(`${TEST_BASE_URL}/voice/gather?step=1&noInput=1`);
  });

  it("speaks the caller's language: Mandarin by default, English for English-speaking customers", async () => {
    const zh = parseXml((await twilioPost(h.server, '/voice/incoming', { CallSid: sid(), From: STANDARD }).expect(200)).text);
    expect(find(zh, 'Say')!.attrs).toEqual({ language: 'cmn-CN', voice: 'Polly.Zhiyu' });
    const en = parseXml((await twilioPost(h.server, '/voice/incoming', { CallSid: sid(), From: ENGLISH }).expect(200)).text);
    expect(find(en, 'Say')!.attrs).toEqual({ language: 'en-US', voice: 'Polly.Joanna' });
    expect(find(en, 'Gather')!.attrs['language']).toBe('en-US');
    expect(textOf(find(en, 'Say')!)).toMatch(/^Welcome back/);
  });

  it('treats an unknown caller as a standard customer', async () => {
    const doc = parseXml((await twilioPost(h.server, '/voice/incoming', { CallSid: sid(), From: '+14155550100' }).expect(200)).text);
    expect(textOf(find(doc, 'Say')!)).toBe('您好，欢迎致电客户服务热线。');
  });

  it('plays announcements before the Gather and only the waiting prompts inside it', async () => {
    const callSid = sid();
    await twilioPost(h.server, '/voice/incoming', { CallSid: callSid, From: STANDARD }).expect(200);
    const doc = parseXml((await twilioPost(h.server, '/voice/gather?step=1', { CallSid: callSid, Digits: '2' }).expect(200)).text);
    expect(names(doc)).toEqual(['Say', 'Gather', 'Redirect']);
    expect(textOf(elements(doc)[0]!)).toMatch(/本月账单将以短信发送给您/);
    expect(findAll(find(doc, 'Gather')!, 'Say').map(textOf)).toEqual(['返回主菜单请按1，人工服务请按0，结束通话请按9。']);
    expect(find(doc, 'Gather')!.attrs['action']).toBe(`${TEST_BASE_URL}/voice/gather?step=2`);
  });

  it('ends a self-served call with the goodbye and a Hangup', async () => {
    const call = await driveCall(h, sid(), STANDARD, [{ key: '2' }, { key: '9' }]);
    expect(names(call.last)).toEqual(['Say', 'Hangup']);
    expect(textOf(find(call.last, 'Say')!)).toBe('感谢您的来电，再见。');
  });

  it('queues a hand-off to the skill group named by the routing rules, with hold music and position announcements', async () => {
    const call = await driveCall(h, sid(), DIAMOND, [{ key: '0' }]);
    expect(names(call.last)).toEqual(['Say', 'Enqueue']);
    const enqueue = find(call.last, 'Enqueue')!;
    expect(textOf(enqueue)).toBe('vip-diamond');
    expect(enqueue.attrs).toEqual({
      action: `${TEST_BASE_URL}/voice/queue-result`,
      method: 'POST',
      waitUrl: `${TEST_BASE_URL}/voice/hold?lang=zh-CN`,
      waitUrlMethod: 'POST',
    });
  });

  it('announces the queue position from QueuePosition, then plays hold music', async () => {
    const hold = parseXml((await twilioPost(h.server, '/voice/hold?lang=zh-CN', { CallSid: sid(), QueuePosition: '3', QueueTime: '40' }).expect(200)).text);
    expect(names(hold)).toEqual(['Say', 'Play']);
    expect(textOf(find(hold, 'Say')!)).toBe('您目前排在第3位，请稍候。');
    expect(textOf(find(hold, 'Play')!)).toBe(h.env.twilio.holdMusicUrl);
    const en = parseXml((await twilioPost(h.server, '/voice/hold?lang=en-US', { CallSid: sid(), QueuePosition: '1' }).expect(200)).text);
    expect(textOf(find(en, 'Say')!)).toBe('You are number 1 in the queue. Please hold.');
    const noPosition = parseXml((await twilioPost(h.server, '/voice/hold?lang=zh-CN', { CallSid: sid() }).expect(200)).text);
    expect(names(noPosition)).toEqual(['Play']);
  });

  it('lets a caller go politely when the queue gives the call back without an agent', async () => {
    const callSid = sid();
    await driveCall(h, callSid, ENGLISH, [{ key: '0' }]);
    const full = parseXml((await twilioPost(h.server, '/voice/queue-result', { CallSid: callSid, QueueResult: 'queue-full', QueueTime: '0' }).expect(200)).text);
    expect(names(full)).toEqual(['Say', 'Hangup']);
    expect(textOf(find(full, 'Say')!)).toMatch(/agents are busy/);
    const bridged = parseXml((await twilioPost(h.server, '/voice/queue-result', { CallSid: callSid, QueueResult: 'bridged', QueueTime: '12' }).expect(200)).text);
    expect(elements(bridged)).toEqual([]);
  });

  it('answers Digits=hangup (the caller hung up during the Gather) with a Hangup', async () => {
    const callSid = sid();
    await twilioPost(h.server, '/voice/incoming', { CallSid: callSid, From: STANDARD }).expect(200);
    const doc = parseXml((await twilioPost(h.server, '/voice/gather?step=1', { CallSid: callSid, Digits: 'hangup' }).expect(200)).text);
    expect(names(doc)).toEqual(['Hangup']);
    expect((await h.store.get(callSid))!.value.ended?.ivr.outcome).toBe('hangup');
  });
});

describe('TwiML for TaskRouter, recorded prompts and prompts without barge-in', () => {
  let h: Harness;
  let config: ConfigCopy;
  let n = 0;
  const sid = () => callSid(++n);
  beforeAll(async () => {
    config = copyConfig();
    config.edit('flows/prompts.json', (doc) => {
      doc['prompts']['greeting.standard']['audioUrl'] = { 'zh-CN': 'https://media.example.test/greeting-standard.mp3' };
      doc['prompts']['greeting.standard']['durationSec'] = 3;
    });
    config.edit('flows/standard.json', (doc) => {
      doc['states']['anythingElse']['meta']['input']['bargeIn'] = false;
    });
    h = await startService('twiml-task', { ...config.env, TWILIO_WORKFLOW_SID: TEST_WORKFLOW_SID, TWILIO_TASK_TIMEOUT_SEC: '1800' });
  });
  afterAll(async () => {
    await h.close();
    config.remove();
  });

  it('plays a prompt that has recorded audio instead of speaking it', async () => {
    const doc = parseXml((await twilioPost(h.server, '/voice/incoming', { CallSid: sid(), From: STANDARD }).expect(200)).text);
    const gather = find(doc, 'Gather')!;
    expect(names(gather)).toEqual(['Play', 'Say']);
    expect(textOf(find(gather, 'Play')!)).toBe('https://media.example.test/greeting-standard.mp3');
  });

  it('plays prompts without barge-in before an empty Gather', async () => {
    const callSid = sid();
    await twilioPost(h.server, '/voice/incoming', { CallSid: callSid, From: STANDARD }).expect(200);
    const doc = parseXml((await twilioPost(h.server, '/voice/gather?step=1', { CallSid: callSid, Digits: '2' }).expect(200)).text);
    expect(names(doc)).toEqual(['Say', 'Say', 'Gather', 'Redirect']);
    expect(elements(find(doc, 'Gather')!)).toEqual([]);
  });

  it('hands off as a TaskRouter task carrying queue, segment, tags, a masked profile and the explanation', async () => {
    const caller = '+8613800000001';
    const call = await driveCall(h, sid(), caller, [{ key: '0' }]);
    const enqueue = find(call.last, 'Enqueue')!;
    expect(enqueue.attrs['workflowSid']).toBe(TEST_WORKFLOW_SID);
    expect(enqueue.attrs['waitUrl']).toBe(`${TEST_BASE_URL}/voice/hold?lang=zh-CN`);
    const task = find(enqueue, 'Task')!;
    expect(task.attrs).toEqual({ priority: '100', timeout: '1800' });
    const attributes = JSON.parse(textOf(task)) as Record<string, any>;
    const decision = (await h.store.get(call.callSid))!.value.turn.end!.decision!;
    expect(attributes).toMatchObject({
      callSid: call.callSid,
      queue: 'vip-diamond',
      priority: 100,
      segment: 'vip-diamond',
      overflow: decision.route!.overflow,
      tags: decision.tags.map(({ key, text, severity }) => ({ key, text, severity })),
      customer: { phone: maskPhone(caller), known: true, vipLevel: 'diamond', language: 'zh-CN' },
      explanation: decision.explanation,
    });
    expect(textOf(task)).not.toContain(caller);
    expect(textOf(task)).not.toContain('王建国');
  });

  it('queues a caller the service cannot serve to the default queue as a task marked with the fault', async () => {
    const doc = parseXml((await twilioPost(h.server, '/voice/gather?step=4', { CallSid: sid() } as FormParams).expect(200)).text);
    const attributes = JSON.parse(textOf(find(doc, 'Task')!)) as Record<string, unknown>;
    expect(attributes).toMatchObject({ queue: 'general', fault: 'CALL_STATE_UNREADABLE' });
  });
});
