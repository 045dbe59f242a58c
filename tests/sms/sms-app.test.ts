import { Queue } from 'bullmq';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/infra/logging/logger.js';
import { loadConfiguration } from '../../src/core/configuration/configuration.js';
import { CallDecider } from '../../src/core/decision/call-decider.js';
import type { Turn } from '../../src/core/telephony/turn.js';
import type { SmsJob } from '../../src/core/sms/sms-job.js';
import { smsKeyPrefixes, SMS_QUEUE_NAME } from '../../src/infra/sms/sms-queue.js';
import { loadSmsWorkerEnv } from '../../src/worker/sms-worker-env.js';
import { startSmsWorkerRuntime, type SmsWorkerRuntime } from '../../src/worker/sms-worker-runtime.js';
import { driveCall } from '../app/call-driver.js';
import { callSid, messageSid, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_BASE_URL, twilioPost } from '../helpers/twilio.js';
import { TwilioRestStandIn } from '../helpers/twilio-rest-stand-in.js';
import { REDIS_URL } from './redis-fixtures.js';
import { ADDON_OFFER, decisionWith } from './sms-rig.js';
import { startSmsApp, type SmsAppHarness } from './sms-app-harness.js';

const DIAMOND = '+8613800000001';
const UNKNOWN = '+8613000000000';

let twilioApi: TwilioRestStandIn;
beforeAll(async () => (twilioApi = await new TwilioRestStandIn().start()));
afterAll(() => twilioApi.close());
beforeEach(() => (twilioApi.requests.length = 0));

let h: SmsAppHarness | undefined;
let worker: SmsWorkerRuntime | undefined;
let queue: Queue<SmsJob> | undefined;
afterEach(async () => {
  await worker?.close();
  await queue?.close();
  await h?.close();
  h = worker = queue = undefined;
});

/** The worker process's runtime, configured from the environment as `npm run worker` would be. */
function startWorker(prefix: string): SmsWorkerRuntime {
  const env = loadSmsWorkerEnv({
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    TWILIO_SMS_FROM: '+8610086',
    PUBLIC_BASE_URL: TEST_BASE_URL,
    SMS_RATE_PER_SEC: '50',
    TWILIO_API_BASE_URL: twilioApi.baseUrl,
  });
  return startSmsWorkerRuntime(env, { logger: createLogger('silent'), clock: h!.clock });
}

async function settled(q: Queue<SmsJob>, id: string): Promise<string> {
  for (;;) {
    const state = await q.getJobState(id);
    if (state === 'completed' || state === 'failed') return state;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function endTurn(callSid: string): Promise<Turn> {
  return (await h!.store.get(callSid))!.value.turn;
}

describe('SMS in the voice service', () => {
  it('a self-served bill enquiry: the webhook that ends the IVR queues the bill SMS, the worker sends it, Twilio\'s delivery report is counted once', async () => {
    h = await startSmsApp('call');
    queue = new Queue<SmsJob>(SMS_QUEUE_NAME, { connection: { url: REDIS_URL }, prefix: smsKeyPrefixes(h.prefix).bull });
    const call = await driveCall(h, callSid(1), DIAMOND, [{ key: '2' }]);
    const turn = await endTurn(call.callSid);
    expect(turn.end?.outcome).toBe('selfServed');
    await h.sms.callDecided(turn); // as if Twilio had retried the last webhook
    const job = (await queue.getJob(`${call.callSid}.bill-summary`))!;
    expect(job.data).toMatchObject({ phone: DIAMOND, template: 'bill-summary', class: 'service', language: 'zh-CN', timeZone: 'Asia/Shanghai', vars: { balance: 12.45 } });
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
    expect((await request(h.internal).get('/sms/stats').expect(200)).body.accounting).toMatchObject({ decided: 1, sent: 0, pending: 1, unaccounted: 0 });

    worker = startWorker(h.prefix);
    expect(await settled(queue, job.id!)).toBe('completed');
    expect(twilioApi.accepted).toHaveLength(1);
    const sent = twilioApi.accepted[0]!;
    const statusPath = `/sms/status?template=bill-summary&key=${call.callSid}.bill-summary`;
    expect(sent.form['StatusCallback']).toBe(TEST_BASE_URL + statusPath);

    const report = { AccountSid: TEST_ACCOUNT_SID, MessageSid: sent.sid!, To: DIAMOND, From: '+8610086' };
    await twilioPost(h.server, statusPath, { ...report, MessageStatus: 'sent' }).expect(204);
    await twilioPost(h.server, statusPath, { ...report, MessageStatus: 'delivered' }).expect(204);
    await twilioPost(h.server, statusPath, { ...report, MessageStatus: 'delivered' }).expect(204);
    const stats = (await request(h.internal).get('/sms/stats').expect(200)).body;
    expect(stats.byTemplate['bill-summary']).toEqual({ sent: 1, deferred: 0, suppressed: {}, failed: 0, failedByCode: {}, delivered: 1, undelivered: 0 });
    expect(stats.recent[0]).toMatchObject({ kind: 'delivered', template: 'bill-summary', messageKey: `${call.callSid}.bill-summary` });
    expect(stats.accounting).toMatchObject({ decided: 1, sent: 1, pending: 0, unaccounted: 0 });
  });

  it('a call handed to an agent after a bill enquiry gets the bill SMS too; a call that queues none adds no job', async () => {
    h = await startSmsApp('handoff');
    queue = new Queue<SmsJob>(SMS_QUEUE_NAME, { connection: { url: REDIS_URL }, prefix: smsKeyPrefixes(h.prefix).bull });
    const handedOff = await driveCall(h, callSid(10), DIAMOND, [{ key: '2' }, { key: '1' }]);
    expect((await endTurn(handedOff.callSid)).end?.outcome).toBe('handoff');
    expect((await queue.getJob(`${handedOff.callSid}.bill-summary`))?.data.template).toBe('bill-summary');
    await driveCall(h, callSid(11), DIAMOND, [{ key: '0' }]);
    expect(await queue.getJobCounts('waiting', 'delayed')).toEqual({ waiting: 1, delayed: 0 });
  });

  it('an unknown caller\'s data SMS lacks {plan}: its job fails with the named error and nothing is sent', async () => {
    h = await startSmsApp('template');
    queue = new Queue<SmsJob>(SMS_QUEUE_NAME, { connection: { url: REDIS_URL }, prefix: smsKeyPrefixes(h.prefix).bull });
    const call = await driveCall(h, callSid(2), UNKNOWN, [{ key: '1' }, { key: '9' }]);
    worker = startWorker(h.prefix);
    const id = `${call.callSid}.data-usage-summary`;
    expect(await settled(queue, id)).toBe('failed');
    expect((await queue.getJob(id))!.failedReason).toMatch(/^SMS_TEMPLATE_VARIABLE_MISSING: SMS template "data-usage-summary" \(zh-CN\) needs \{plan\}, \{dataUsedPct\}, \{dataRemainingGb\}/);
    expect(twilioApi.requests).toHaveLength(0);
    const stats = (await request(h.internal).get('/sms/stats').expect(200)).body;
    expect(stats.total).toMatchObject({ sent: 0, failed: 1, failedByCode: { SMS_TEMPLATE_VARIABLE_MISSING: 1 } });
    expect(stats.deadLetters).toEqual([expect.objectContaining({ key: id, code: 'SMS_TEMPLATE_VARIABLE_MISSING', detail: expect.stringMatching(/^SMS template "data-usage-summary"/) })]);
  });

  it('STOP (or 退订) texted to our number opts the sender out of marketing; START opts back in; other texts change nothing', async () => {
    h = await startSmsApp('stop');
    const inbound = (from: string, body: string) => twilioPost(h!.server, '/sms/inbound', { AccountSid: TEST_ACCOUNT_SID, MessageSid: messageSid(1), From: from, To: '+8610086', Body: body });
    const res = await inbound(DIAMOND, ' Stop ').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(res.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    await inbound('+8613800000002', '退订').expect(200);
    await inbound('+8613800000003', 'please stop calling me').expect(200);
    expect((await request(h.internal).get('/sms/stats').expect(200)).body.optedOut).toBe(2);

    const offer = decisionWith([ADDON_OFFER]);
    expect(await h.sms.enqueueForCall(callSid(3), DIAMOND, offer, { phone: DIAMOND })).toEqual([{ template: 'addon-offer', key: `${callSid(3)}.addon-offer`, action: 'suppressed', reason: 'opted-out' }]);
    await inbound(DIAMOND, 'START').expect(200);
    expect((await h.sms.enqueueForCall(callSid(4), DIAMOND, offer, { phone: DIAMOND }))[0]!.action).toBe('queued');
    expect((await request(h.internal).get('/sms/stats').expect(200)).body.optedOut).toBe(1);
  });

  it('the SMS webhooks are signed like the voice ones: unsigned 400, forged 403, and a report without MessageSid 400', async () => {
    h = await startSmsApp('signed');
    const params = { AccountSid: TEST_ACCOUNT_SID, From: DIAMOND, Body: 'STOP' };
    expect((await twilioPost(h.server, '/sms/inbound', params, { signature: null }).expect(400)).body.error).toBe('TWILIO_SIGNATURE_MISSING');
    expect((await twilioPost(h.server, '/sms/inbound', params, { signature: 'forged' }).expect(403)).body.error).toBe('TWILIO_SIGNATURE_INVALID');
    expect((await twilioPost(h.server, '/sms/status?template=bill-summary&key=k', { AccountSid: TEST_ACCOUNT_SID, MessageStatus: 'delivered' }).expect(400)).body.error).toBe('WEBHOOK_PARAM_INVALID');
    expect((await request(h.internal).get('/sms/stats').expect(200)).body.optedOut).toBe(0);
  });

  it('with Redis unreachable the service still starts, and a call\'s SMS hook returns without throwing (it logs)', async () => {
    h = await startSmsApp('redis-down', { REDIS_URL: 'redis://127.0.0.1:1' });
    const decision = new CallDecider(loadConfiguration()).decide({ callId: callSid(5), caller: DIAMOND, keys: [{ key: '2' }] });
    const turn = { callSid: callSid(5), end: { outcome: 'selfServed', handoff: null, decision } } as unknown as Turn;
    await h.sms.callDecided(turn);
    expect(h.logs.some((l) => l.msg === 'call SMS not queued' && l['callSid'] === callSid(5))).toBe(true);
  });
});
