import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SmsTemplateVariableMissingError } from '../../src/core/sms/sms-errors.js';
import { callSid, TEST_ACCOUNT_SID, TEST_BASE_URL } from '../helpers/twilio.js';
import { twilioError, TwilioRestStandIn } from '../helpers/twilio-rest-stand-in.js';
import { ADDON_OFFER, BILL, DATA, decisionWith, SENDER, shanghai, smsRig, type SmsRig } from './sms-rig.js';

let twilioApi: TwilioRestStandIn;
let rig: SmsRig;
beforeAll(async () => (twilioApi = await new TwilioRestStandIn().start()));
afterAll(() => twilioApi.close());
beforeEach(() => {
  twilioApi.requests.length = 0;
  twilioApi.byNumber.clear();
});
afterEach(() => rig.close());

const CUSTOMER = '+8613800000001';
const profile = { phone: CUSTOMER, timeZone: 'Asia/Shanghai' };

describe('a decided SMS goes through the queue to Twilio', () => {
  it('is rendered in the customer\'s language and posted once with To, From, Body and a StatusCallback naming the message', async () => {
    rig = smsRig('send', { twilioApi });
    const queued = await rig.producer.enqueueForCall(callSid(1), CUSTOMER, decisionWith([DATA]), profile);
    expect(queued).toEqual([{ template: 'data-usage-summary', key: `${callSid(1)}.data-usage-summary`, action: 'queued' }]);
    rig.startWorker();
    const job = await rig.settled(`${callSid(1)}.data-usage-summary`);
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toMatchObject({ kind: 'sent', status: 'queued' });
    expect(twilioApi.requests).toHaveLength(1);
    expect(twilioApi.requests[0]!.accountSid).toBe(TEST_ACCOUNT_SID);
    expect(twilioApi.requests[0]!.form).toEqual({
      To: CUSTOMER,
      From: SENDER,
      Body: '【客户服务】您的全球通尊享598本月已用流量45%，剩余55GB。',
      StatusCallback: `${TEST_BASE_URL}/sms/status?template=data-usage-summary&key=${callSid(1)}.data-usage-summary`,
    });
    expect((await rig.stats.snapshot()).byTemplate['data-usage-summary']).toMatchObject({ sent: 1, deferred: 0, failed: 0, suppressed: {} });
  });

  it('an English-speaking customer gets the English text', async () => {
    rig = smsRig('send-en', { twilioApi });
    await rig.producer.enqueueForCall(callSid(2), CUSTOMER, decisionWith([BILL], 'en-US'), profile);
    rig.startWorker();
    await rig.settled(`${callSid(2)}.bill-summary`);
    expect(twilioApi.requests[0]!.form['Body']).toBe('Your balance is 12.45 yuan. See this month\'s bill in the app.');
  });

  it('a webhook Twilio sends again queues nothing new: one job per call and template, one text', async () => {
    rig = smsRig('dedupe', { twilioApi });
    await rig.producer.enqueueForCall(callSid(3), CUSTOMER, decisionWith([BILL]), profile);
    await rig.producer.enqueueForCall(callSid(3), CUSTOMER, decisionWith([BILL]), profile);
    expect(await rig.queue.getJobCounts('waiting', 'delayed', 'active', 'completed')).toMatchObject({ waiting: 1 });
    rig.startWorker();
    await rig.settled(`${callSid(3)}.bill-summary`);
    await rig.producer.enqueueForCall(callSid(3), CUSTOMER, decisionWith([BILL]), profile);
    expect(await rig.queue.getJobCounts('waiting', 'completed')).toEqual({ waiting: 0, completed: 1 });
    expect(twilioApi.accepted).toHaveLength(1);
  });
});

describe('failures: retried with backoff when they may pass, never when they cannot', () => {
  it('a 500 and then a 429 are retried with exponential backoff; the third attempt sends', async () => {
    rig = smsRig('retry', { twilioApi });
    twilioApi.replyNext(twilioError(500, 20500), twilioError(429, 20429));
    await rig.producer.enqueueForCall(callSid(101), CUSTOMER, decisionWith([BILL]), profile);
    rig.startWorker();
    const job = await rig.settled(`${callSid(101)}.bill-summary`);
    expect(await job.getState()).toBe('completed');
    expect(job.opts.backoff).toEqual({ type: 'exponential', delay: 20 });
    expect(job.opts.attempts).toBe(6);
    expect(job.attemptsMade).toBe(3);
    expect(twilioApi.requests).toHaveLength(3);
    expect(twilioApi.accepted).toHaveLength(1);
    const row = (await rig.stats.snapshot()).byTemplate['bill-summary'];
    expect(row).toMatchObject({ sent: 1, failed: 0 });
  });

  it('a 400 is not retried: the job fails at once and stays in the failed set with its error', async () => {
    rig = smsRig('permanent', { twilioApi });
    twilioApi.replyNext(twilioError(400, 21211));
    await rig.producer.enqueueForCall(callSid(102), CUSTOMER, decisionWith([BILL]), profile);
    rig.startWorker();
    const job = await rig.settled(`${callSid(102)}.bill-summary`);
    expect(await job.getState()).toBe('failed');
    expect(job.failedReason).toMatch(/^SMS_SEND_REJECTED: Twilio answered 400 \(error 21211\)/);
    expect(twilioApi.requests).toHaveLength(1);
    expect((await rig.queue.getFailed()).map((j) => j.id)).toEqual([`${callSid(102)}.bill-summary`]);
    expect((await rig.stats.snapshot()).byTemplate['bill-summary']).toMatchObject({ sent: 0, failed: 1, failedByCode: { SMS_SEND_REJECTED: 1 } });
    // Its place under the cap was given back: the customer may still get this template today.
    expect(await rig.ledger.stateOf(CUSTOMER, 'bill-summary', 'service', { perTemplate: { max: 1, windowMs: 86_400_000 }, overall: null, duringQuietHours: 'send', whenOptedOut: 'send' }, rig.clock.now())).toMatchObject({ sentOfTemplate: 0 });
  });

  it('when every attempt fails the job ends in the failed set, counted once', async () => {
    rig = smsRig('exhausted', { twilioApi, jobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 10 } } });
    twilioApi.byNumber.set(CUSTOMER, twilioError(503, 20500));
    await rig.producer.enqueueForCall(callSid(103), CUSTOMER, decisionWith([BILL]), profile);
    rig.startWorker();
    const job = await rig.settled(`${callSid(103)}.bill-summary`);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(3);
    expect(twilioApi.requests).toHaveLength(3);
    expect((await rig.stats.snapshot()).byTemplate['bill-summary']).toMatchObject({ failed: 1, failedByCode: { SMS_SEND_RETRYABLE: 1 } });
  });

  it('Twilio error 21610 puts the number on the opt-out list: no retry, and no more marketing to it', async () => {
    rig = smsRig('unsubscribed', { twilioApi });
    twilioApi.replyNext(twilioError(400, 21610));
    await rig.producer.enqueueForCall(callSid(104), CUSTOMER, decisionWith([ADDON_OFFER]), profile);
    rig.startWorker();
    const job = await rig.settled(`${callSid(104)}.addon-offer`);
    expect(job.failedReason).toMatch(/^SMS_UNSUBSCRIBED/);
    expect(await rig.ledger.isOptedOut(CUSTOMER)).toBe(true);
    rig.clock.advance(2 * 86_400_000);
    const next = await rig.producer.enqueueForCall(callSid(105), CUSTOMER, decisionWith([ADDON_OFFER]), profile);
    expect(next).toEqual([{ template: 'addon-offer', key: `${callSid(105)}.addon-offer`, action: 'suppressed', reason: 'opted-out' }]);
    expect(twilioApi.requests).toHaveLength(1);
  });

  it('a template whose variable the call lacks fails the job with the named error, and nothing is sent or counted as sent', async () => {
    rig = smsRig('template', { twilioApi });
    const noPlan = { ...DATA, vars: { dataUsedPct: 45, dataRemainingGb: 55 } };
    await rig.producer.enqueueForCall(callSid(106), CUSTOMER, decisionWith([noPlan]), profile);
    rig.startWorker();
    const job = await rig.settled(`${callSid(106)}.data-usage-summary`);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toBe(`SMS_TEMPLATE_VARIABLE_MISSING: ${new SmsTemplateVariableMissingError('data-usage-summary', 'zh-CN', ['plan']).message}`);
    expect(twilioApi.requests).toHaveLength(0);
    expect((await rig.stats.snapshot()).byTemplate['data-usage-summary']).toMatchObject({ sent: 0, failed: 1, failedByCode: { SMS_TEMPLATE_VARIABLE_MISSING: 1 } });
  });
});

describe('the policy is checked when the call is decided and again when the text is sent', () => {
  it('at 22:30 in Shanghai a service text goes; a marketing text waits as a delayed job until 08:00 local', async () => {
    rig = smsRig('quiet', { twilioApi, nowMs: shanghai(2, 22, 30) });
    const r = await rig.producer.enqueueForCall(callSid(201), CUSTOMER, decisionWith([BILL, ADDON_OFFER]), profile);
    expect(r).toEqual([
      { template: 'bill-summary', key: `${callSid(201)}.bill-summary`, action: 'queued' },
      { template: 'addon-offer', key: `${callSid(201)}.addon-offer`, action: 'deferred', untilMs: shanghai(3, 8) },
    ]);
    const offer = (await rig.queue.getJob(`${callSid(201)}.addon-offer`))!;
    expect(await offer.getState()).toBe('delayed');
    expect(offer.delay).toBe(shanghai(3, 8) - shanghai(2, 22, 30));
    rig.startWorker();
    await rig.settled(`${callSid(201)}.bill-summary`);
    expect(twilioApi.accepted.map((x) => x.form['Body'])).toEqual(['【客户服务】您的账户余额为12.45元，本月账单详情请登录App查看。']);
    expect((await rig.stats.snapshot()).byTemplate['addon-offer']).toMatchObject({ deferred: 1, sent: 0 });
  });

  it('a customer in London decided at 22:30 Shanghai time (15:30 there) gets the offer at once', async () => {
    rig = smsRig('quiet-london', { twilioApi, nowMs: shanghai(2, 22, 30) });
    const r = await rig.producer.enqueueForCall(callSid(202), '+447700900123', decisionWith([ADDON_OFFER], 'en-US', '+447700900123'), { phone: '+447700900123', timeZone: 'Europe/London' });
    expect(r[0]!.action).toBe('queued');
  });

  it('a text queued at 20:59 but reached by the worker at 21:05 is deferred again to 08:00, not sent; at 08:00 it goes', async () => {
    rig = smsRig('recheck', { twilioApi, nowMs: shanghai(2, 20, 59) });
    await rig.producer.enqueueForCall(callSid(203), CUSTOMER, decisionWith([ADDON_OFFER]), profile);
    rig.clock.set(shanghai(2, 21, 5));
    rig.startWorker();
    const job = await rig.settled(`${callSid(203)}.addon-offer`, ['delayed']);
    expect(twilioApi.requests).toHaveLength(0);
    expect((await rig.stats.snapshot()).byTemplate['addon-offer']).toMatchObject({ deferred: 1, sent: 0 });
    // The next morning (the queue's own delay is wall-clock, so promote it by hand).
    rig.clock.set(shanghai(3, 8));
    await job.promote();
    const done = await rig.settled(`${callSid(203)}.addon-offer`);
    expect(done.returnvalue).toMatchObject({ kind: 'sent' });
    expect(twilioApi.accepted).toHaveLength(1);
  });

  it('caps: a second offer of the same template the same day is dropped at decision time and counted', async () => {
    rig = smsRig('cap-decision', { twilioApi });
    await rig.producer.enqueueForCall(callSid(301), CUSTOMER, decisionWith([ADDON_OFFER]), profile);
    rig.startWorker();
    await rig.settled(`${callSid(301)}.addon-offer`);
    rig.clock.advance(3_600_000);
    expect(await rig.producer.enqueueForCall(callSid(302), CUSTOMER, decisionWith([ADDON_OFFER]), profile)).toEqual([
      { template: 'addon-offer', key: `${callSid(302)}.addon-offer`, action: 'suppressed', reason: 'template-cap' },
    ]);
    expect(await rig.queue.getJob(`${callSid(302)}.addon-offer`)).toBeUndefined();
    expect((await rig.stats.snapshot()).byTemplate['addon-offer']).toMatchObject({ sent: 1, suppressed: { 'template-cap': 1 } });
  });

  it('caps are enforced again at send time: two offers queued before either was sent, only one goes', async () => {
    rig = smsRig('cap-send', { twilioApi });
    await rig.producer.enqueueForCall(callSid(303), CUSTOMER, decisionWith([ADDON_OFFER]), profile);
    await rig.producer.enqueueForCall(callSid(304), CUSTOMER, decisionWith([ADDON_OFFER]), profile);
    rig.startWorker({ concurrency: 2 });
    const results = [await rig.settled(`${callSid(303)}.addon-offer`), await rig.settled(`${callSid(304)}.addon-offer`)].map((j) => j.returnvalue);
    expect(results.map((r) => r.kind).sort()).toEqual(['sent', 'suppressed']);
    expect(results.find((r) => r.kind === 'suppressed')).toEqual({ kind: 'suppressed', reason: 'template-cap' });
    expect(twilioApi.accepted).toHaveLength(1);
  });

  it('overall cap: after three marketing texts this week the fourth is dropped', async () => {
    rig = smsRig('cap-overall', { twilioApi });
    rig.startWorker();
    const templates = [ADDON_OFFER, { ...ADDON_OFFER, template: '5g-upgrade-offer', vars: {} }];
    for (let day = 0; day < 4; day++) {
      rig.clock.set(shanghai(3 + day, 12));
      const r = await rig.producer.enqueueForCall(callSid(400 + day), CUSTOMER, decisionWith([templates[day % 2]!]), profile);
      if (day < 3) await rig.settled(r[0]!.key);
      else expect(r[0]).toMatchObject({ action: 'suppressed', reason: 'overall-cap' });
    }
    expect(twilioApi.accepted).toHaveLength(3);
  });

  it('an inbound STOP opts out: no marketing is queued; START opts back in', async () => {
    rig = smsRig('stop', { twilioApi });
    await rig.ledger.optOut(CUSTOMER, rig.clock.now(), 'keyword');
    expect((await rig.producer.enqueueForCall(callSid(501), CUSTOMER, decisionWith([ADDON_OFFER, BILL]), profile)).map((r) => r.action)).toEqual(['suppressed', 'queued']);
    await rig.ledger.optIn(CUSTOMER);
    expect((await rig.producer.enqueueForCall(callSid(502), CUSTOMER, decisionWith([ADDON_OFFER]), profile)).map((r) => r.action)).toEqual(['queued']);
  });

  it('a caller with no number (withheld) gets nothing, counted as no-number', async () => {
    rig = smsRig('anonymous', { twilioApi });
    expect(await rig.producer.enqueueForCall(callSid(601), 'anonymous', decisionWith([BILL], 'zh-CN', '+'), undefined)).toEqual([
      { template: 'bill-summary', key: `${callSid(601)}.bill-summary`, action: 'suppressed', reason: 'no-number' },
    ]);
  });
});
