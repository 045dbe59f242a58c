import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutgoingSms, SmsSender } from '../../src/core/sms/sms-sender.js';
import { limiterFor } from '../../src/infra/sms/sms-queue.js';
import { callSid } from '../helpers/twilio.js';
import { TwilioRestStandIn } from '../helpers/twilio-rest-stand-in.js';
import { BILL, decisionWith, SENDER, smsRig, type SmsRig } from './sms-rig.js';

let twilioApi: TwilioRestStandIn;
let rig: SmsRig;
beforeAll(async () => (twilioApi = await new TwilioRestStandIn().start()));
afterAll(() => twilioApi.close());
beforeEach(() => {
  twilioApi.requests.length = 0;
  twilioApi.listRequests.length = 0;
});
afterEach(() => rig?.close());

const CUSTOMER = '+8613800000001';

describe('a message is never sent twice', () => {
  it('a worker that dies after Twilio took the message, before the queue heard of it: the next worker finds it at Twilio and does not send it again', async () => {
    rig = smsRig('restart', { twilioApi });
    const twilioSender = rig.twilioSender;
    let sent!: () => void;
    const sentOnce = new Promise<void>((r) => (sent = r));
    // Sends, then never returns: as if the process died right after the HTTP call.
    const diesAfterSending: SmsSender = {
      async send(sms: OutgoingSms) {
        await twilioSender.send(sms);
        sent();
        return new Promise(() => undefined);
      },
      findSent: (lookup) => twilioSender.findSent(lookup),
    };
    await rig.producer.enqueueForCall(callSid(701), CUSTOMER, decisionWith([BILL]), { phone: CUSTOMER });
    const first = rig.startWorker({ sender: diesAfterSending, lockDurationMs: 1000, stalledIntervalMs: 300 });
    await sentOnce;
    await first.close(true);
    expect(await rig.queue.getJobState(`${callSid(701)}.bill-summary`)).toBe('active');

    // A new worker finds the job stalled (its lock lapsed), takes it over, and finds the text in Twilio's list.
    rig.startWorker({ lockDurationMs: 1000, stalledIntervalMs: 300 });
    const job = await rig.settled(`${callSid(701)}.bill-summary`);
    const [only] = twilioApi.accepted;
    expect(twilioApi.accepted).toHaveLength(1);
    expect(job.returnvalue).toEqual({ kind: 'sent', sid: only!.sid, status: 'sent', afterUnknownOutcome: 'found' });
    expect(twilioApi.listRequests.map((q) => Object.fromEntries(q))).toEqual([{ To: CUSTOMER, From: SENDER, PageSize: '50' }]);
    // Counted as sent once, and as found after an unknown outcome: not as a resend.
    expect((await rig.stats.snapshot()).byTemplate['bill-summary']).toMatchObject({ sent: 1 });
    expect(await rig.stats.accounting(0)).toMatchObject({ decided: 1, sent: 1, unaccounted: 0, foundAfterUnknownOutcome: 1, resentAfterUnknownOutcome: 0 });
    expect(await rig.ledger.claimOf({ key: `${callSid(701)}.bill-summary`, phone: CUSTOMER, template: 'bill-summary', class: 'service' })).toEqual({ state: 'sent', sid: only!.sid });
  });

  it('the same job queued again after its record was cleaned up is recognised and not sent', async () => {
    rig = smsRig('requeue', { twilioApi });
    rig.startWorker();
    await rig.producer.enqueueForCall(callSid(702), CUSTOMER, decisionWith([BILL]), { phone: CUSTOMER });
    const job = await rig.settled(`${callSid(702)}.bill-summary`);
    expect(job.returnvalue).toMatchObject({ kind: 'sent' });
    await job.remove();
    rig.clock.advance(2 * 86_400_000);
    await rig.producer.enqueueForCall(callSid(702), CUSTOMER, decisionWith([BILL]), { phone: CUSTOMER });
    expect((await rig.settled(`${callSid(702)}.bill-summary`)).returnvalue).toEqual({ kind: 'duplicate' });
    expect(twilioApi.accepted).toHaveLength(1);
  });
});

describe('the sender rate limit', () => {
  it('is the queue limiter: N per second, or one per 1/rate seconds for fractions', () => {
    expect(limiterFor(10)).toEqual({ max: 10, duration: 1000 });
    expect(limiterFor(0.5)).toEqual({ max: 1, duration: 2000 });
    expect(limiterFor(2.5)).toEqual({ max: 1, duration: 400 });
    expect(() => limiterFor(0)).toThrow(RangeError);
  });

  it('spreads a burst: twelve texts at 4 per second take at least two more windows, never many more than 4 in one', async () => {
    rig = smsRig('rate', { twilioApi });
    const phones = Array.from({ length: 12 }, (_, i) => `+86139000000${String(i).padStart(2, '0')}`);
    for (const [i, p] of phones.entries()) await rig.producer.enqueueForCall(callSid(800 + i), p, decisionWith([BILL], 'zh-CN', p), { phone: p });
    const worker = rig.startWorker({ ratePerSec: 4, concurrency: 12 });
    expect(worker.opts.limiter).toEqual({ max: 4, duration: 1000 });
    const jobs = [];
    for (let i = 0; i < phones.length; i++) jobs.push(await rig.settled(`${callSid(800 + i)}.bill-summary`));
    expect(twilioApi.accepted).toHaveLength(12);
    const started = jobs.map((j) => j.processedOn!).sort((a, b) => a - b);
    const t0 = started[0]!;
    // Generous bounds: windows need not line up with whole seconds from the first job.
    const perWindow = new Map<number, number>();
    for (const t of started) perWindow.set(Math.floor((t - t0) / 1000), (perWindow.get(Math.floor((t - t0) / 1000)) ?? 0) + 1);
    for (const n of perWindow.values()) expect(n).toBeLessThanOrEqual(8);
    expect(started.at(-1)! - t0).toBeGreaterThanOrEqual(1500);
  });
});
