import { UnrecoverableError, type Job } from 'bullmq';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadContactPolicy } from '../../src/core/sms/contact-policy-file.js';
import type { SmsJob } from '../../src/core/sms/sms-job.js';
import type { OutgoingSms, SmsSender } from '../../src/core/sms/sms-sender.js';
import { createSmsProcessor, MAX_WORKER_DEATHS, type SmsJobResult } from '../../src/infra/sms/sms-processor.js';
import { accept, twilioError, TwilioRestStandIn } from '../helpers/twilio-rest-stand-in.js';
import { BILL, decisionWith, smsRig, type SmsRig } from './sms-rig.js';

let twilioApi: TwilioRestStandIn;
let rig: SmsRig;
beforeAll(async () => (twilioApi = await new TwilioRestStandIn().start()));
afterAll(() => twilioApi.close());
beforeEach(() => {
  twilioApi.requests.length = 0;
  twilioApi.messages.length = 0;
  twilioApi.listRequests.length = 0;
  twilioApi.byNumber.clear();
});
afterEach(() => rig?.close());

const CUSTOMER = '+8613800000001';
const CALL_1 = 'CA0f3c1d2e4b5a69788796a5b4c3d2e1f0';
const CALL_2 = 'CA1e2d3c4b5a69788796a5b4c3d2e1f0a9';

/**
 * A worker that dies in the middle of sending: its sender never returns, after posting the text
 * (`reaches`) or before (`not`). The test then closes that worker as if the process had gone.
 */
function dyingSender(rig: SmsRig, reaches: (sms: OutgoingSms, n: number) => boolean): { sender: SmsSender; called: (n: number) => Promise<void> } {
  let calls = 0;
  let posted = 0;
  const waiters: Array<{ n: number; resolve(): void }> = [];
  const sender: SmsSender = {
    async send(sms) {
      const n = calls++;
      if (reaches(sms, n)) await rig.twilioSender.send(sms);
      posted++;
      for (const w of waiters.splice(0)) if (posted >= w.n) w.resolve(); else waiters.push(w);
      return new Promise(() => undefined);
    },
    findSent: (lookup) => rig.twilioSender.findSent(lookup),
  };
  return { sender, called: (n) => (posted >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))) };
}

const quick = { lockDurationMs: 1000, stalledIntervalMs: 300 };

describe('a send whose outcome a dead worker left unknown is reconciled, not skipped', () => {
  it('the request never reached Twilio: the next worker does not find the text, sends it, and counts a resend after an unknown outcome', async () => {
    rig = smsRig('unknown-resend', { twilioApi });
    const dying = dyingSender(rig, () => false);
    await rig.producer.enqueueForCall(CALL_1, CUSTOMER, decisionWith([BILL]), { phone: CUSTOMER });
    const first = rig.startWorker({ sender: dying.sender, ...quick });
    await dying.called(1);
    await first.close(true);

    rig.startWorker(quick);
    const job = await rig.settled(`${CALL_1}.bill-summary`);
    expect(twilioApi.accepted).toHaveLength(1);
    expect(job.returnvalue).toEqual({ kind: 'sent', sid: twilioApi.accepted[0]!.sid, status: 'queued', afterUnknownOutcome: 'resent' });
    expect(twilioApi.listRequests).toHaveLength(1);
    expect(await rig.stats.accounting(0)).toEqual({ decided: 1, sent: 1, suppressed: 0, failed: 0, pending: 0, unaccounted: 0, foundAfterUnknownOutcome: 0, resentAfterUnknownOutcome: 1 });
  });

  it('a message whose worker died twice in a row is still the worker\'s to settle, not failed by the queue for stalling', async () => {
    rig = smsRig('unknown-twice', { twilioApi });
    await rig.producer.enqueueForCall(CALL_1, CUSTOMER, decisionWith([BILL]), { phone: CUSTOMER });
    for (let death = 0; death < 2; death++) {
      const dying = dyingSender(rig, () => false);
      const w = rig.startWorker({ sender: dying.sender, ...quick });
      await dying.called(1);
      await w.close(true);
    }
    rig.startWorker(quick);
    const job = await rig.settled(`${CALL_1}.bill-summary`);
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toMatchObject({ kind: 'sent', afterUnknownOutcome: 'resent' });
    expect(twilioApi.accepted).toHaveLength(1);
    expect(await rig.stats.accounting(0)).toMatchObject({ decided: 1, sent: 1, failed: 0, unaccounted: 0 });
  });

  it('two texts with the same words to the same number, both unknown, one at Twilio: one message takes it, the other is sent', async () => {
    const policy = loadContactPolicy();
    const noCaps = { ...policy, classes: { ...policy.classes, service: { ...policy.classes.service, perTemplate: null, overall: null } } };
    rig = smsRig('unknown-twins', { twilioApi, policy: noCaps });
    const dying = dyingSender(rig, (_sms, n) => n === 0);
    await rig.producer.enqueueForCall(CALL_1, CUSTOMER, decisionWith([BILL]), { phone: CUSTOMER });
    await rig.producer.enqueueForCall(CALL_2, CUSTOMER, decisionWith([BILL]), { phone: CUSTOMER });
    const first = rig.startWorker({ sender: dying.sender, concurrency: 2, ...quick });
    await dying.called(2);
    await first.close(true);
    expect(twilioApi.accepted).toHaveLength(1);

    rig.startWorker({ concurrency: 2, ...quick });
    const results = [await rig.settled(`${CALL_1}.bill-summary`), await rig.settled(`${CALL_2}.bill-summary`)].map((j) => j.returnvalue);
    expect(results.map((r) => (r.kind === 'sent' ? r.afterUnknownOutcome : r.kind)).sort((a, b) => String(a).localeCompare(String(b)))).toEqual(['found', 'resent']);
    expect(twilioApi.accepted).toHaveLength(2);
    const sids = results.map((r) => (r.kind === 'sent' ? r.sid : ''));
    expect(new Set(sids).size).toBe(2);
    expect(await rig.stats.accounting(0)).toMatchObject({ decided: 2, sent: 2, unaccounted: 0, foundAfterUnknownOutcome: 1, resentAfterUnknownOutcome: 1 });
  });

  it('Twilio cannot be asked (a 500 on the list): the job is retried, and nothing is sent until the answer is known', async () => {
    rig = smsRig('unknown-list-down', { twilioApi });
    const dying = dyingSender(rig, () => true);
    await rig.producer.enqueueForCall(CALL_1, CUSTOMER, decisionWith([BILL]), { phone: CUSTOMER });
    const first = rig.startWorker({ sender: dying.sender, ...quick });
    await dying.called(1);
    await first.close(true);
    twilioApi.listFailsNext(twilioError(500, 20500), twilioError(503, 20500));
    rig.startWorker(quick);
    const job = await rig.settled(`${CALL_1}.bill-summary`);
    expect(job.returnvalue).toMatchObject({ kind: 'sent', afterUnknownOutcome: 'found' });
    expect(job.attemptsMade).toBe(3);
    expect(twilioApi.listRequests).toHaveLength(3);
    expect(twilioApi.accepted).toHaveLength(1);
  });
});

describe('every decided message ends in one final state', () => {
  it('a rejected text is a dead letter with its reason; retried by hand and sent, it counts as sent and leaves the list', async () => {
    rig = smsRig('dead-letter', { twilioApi });
    twilioApi.replyNext(twilioError(400, 21211));
    await rig.producer.enqueueForCall(CALL_1, CUSTOMER, decisionWith([BILL]), { phone: CUSTOMER });
    rig.startWorker();
    const job = await rig.settled(`${CALL_1}.bill-summary`);
    expect(await job.getState()).toBe('failed');
    expect(await rig.stats.deadLetters()).toEqual([
      { key: `${CALL_1}.bill-summary`, template: 'bill-summary', code: 'SMS_SEND_REJECTED', detail: expect.stringMatching(/^Twilio answered 400 \(error 21211\)/), atMs: rig.clock.now(), phone: expect.stringMatching(/\*/) },
    ]);
    expect(await rig.stats.accounting(0)).toMatchObject({ decided: 1, sent: 0, failed: 1, unaccounted: 0 });

    twilioApi.replyNext(accept());
    await job.retry('failed');
    await rig.settled(`${CALL_1}.bill-summary`, ['completed']);
    expect(await rig.stats.deadLetters()).toEqual([]);
    expect(await rig.stats.accounting(0)).toMatchObject({ decided: 1, sent: 1, failed: 0, unaccounted: 0 });
    expect((await rig.stats.snapshot()).total).toMatchObject({ sent: 1, failed: 0, failedByCode: {} });
  });

  it('a message dropped at decision time and one still queued: decided = sent + suppressed + failed + pending', async () => {
    rig = smsRig('identity', { twilioApi });
    await rig.producer.enqueueForCall(CALL_1, 'anonymous', decisionWith([BILL], 'zh-CN', '+'), undefined);
    await rig.producer.enqueueForCall(CALL_2, CUSTOMER, decisionWith([BILL]), { phone: CUSTOMER });
    expect(await rig.stats.accounting(1)).toMatchObject({ decided: 2, sent: 0, suppressed: 1, failed: 0, pending: 1, unaccounted: 0 });
  });

  it(`a message whose workers died ${MAX_WORKER_DEATHS} times is settled without sending: a dead letter if Twilio does not have it, sent if it does`, async () => {
    rig = smsRig('poison', { twilioApi });
    await rig.producer.enqueueForCall(CALL_1, CUSTOMER, decisionWith([BILL]), { phone: CUSTOMER });
    await rig.producer.enqueueForCall(CALL_2, '+8613800000002', decisionWith([BILL], 'zh-CN', '+8613800000002'), { phone: '+8613800000002' });
    const processor = createSmsProcessor(rig.dispatcher, rig.clock);
    const jobOf = async (callSid: string) => {
      const job = (await rig.queue.getJob(`${callSid}.bill-summary`)) as Job<SmsJob, SmsJobResult>;
      job.stalledCounter = MAX_WORKER_DEATHS;
      return job;
    };
    const err = await processor(await jobOf(CALL_1), 'token').then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(UnrecoverableError);
    expect((err as Error).message).toMatch(/^SMS_WORKER_DIED: the worker died 5 times/);
    expect((await rig.stats.deadLetters()).map((d) => d.code)).toEqual(['SMS_WORKER_DIED']);

    // The second one was claimed and posted by a worker that then died.
    const job2 = await jobOf(CALL_2);
    await rig.ledger.checkAndRecord({ key: job2.data.key, phone: job2.data.phone, template: 'bill-summary', class: 'service', atMs: rig.clock.now(), claimedAtMs: Date.now() }, loadContactPolicy().classes.service);
    await rig.twilioSender.send({ to: job2.data.phone, body: '【客户服务】您的账户余额为12.45元，本月账单详情请登录App查看。', statusCallback: 'https://ivr.example.test/sms/status' });
    expect(await processor(job2, 'token')).toMatchObject({ kind: 'sent', afterUnknownOutcome: 'found' });
    expect(twilioApi.accepted).toHaveLength(1);
    expect(await rig.stats.accounting(0)).toMatchObject({ decided: 2, sent: 1, failed: 1, unaccounted: 0 });
  });
});
