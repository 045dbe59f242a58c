import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPaths } from '../../src/core/configuration/configuration.js';
import type { SendCheckpoint } from '../../src/core/sms/sms-dispatcher.js';
import { formatSmsStats } from '../../src/cli/commands/sms-stats.js';
import { pendingSmsJobs } from '../../src/infra/sms/sms-queue.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_BASE_URL } from '../helpers/twilio.js';
import { twilioError, TwilioRestStandIn } from '../helpers/twilio-rest-stand-in.js';
import { REDIS_URL } from './redis-fixtures.js';
import { BILL, decisionWith, SENDER, smsRig, type SmsRig } from './sms-rig.js';
import { workerBuild, type WorkerBuild } from './worker-build.js';

/**
 * `kill -9` of the SMS worker, again and again, at each point of a send: before the request,
 * with requests in flight (Twilio took them or never saw them), after Twilio answered, after the
 * ledger write, after the counters. The worker is the real one (`npm run worker`) in a process of
 * its own, with the real twilio client posting to the stand-in; SMS_WORKER_CRASH_AT makes it kill
 * itself when its n-th message reaches a checkpoint, and the stand-in holds requests so that the
 * test can kill it while they are in flight.
 */
const CONCURRENCY = 10;
const LOCK_MS = 2000;

const callSid = (i: number) => `CA${i.toString(16).padStart(32, '0')}`;
const phoneOf = (i: number) => `+86139${String(i).padStart(8, '0')}`;

/** 1,986 texts to numbers of their own, 6 numbers called twice (the second text is capped), 4 numbers Twilio rejects: 2,002 jobs. */
const PLAIN = 1986;
const TWICE = 6;
const REJECTED = 4;

let twilioApi: TwilioRestStandIn;
let rig: SmsRig;
let build: WorkerBuild;
/** Every worker process started, so that none outlives a failed test. */
const children = new Set<ChildProcess>();
beforeAll(async () => {
  twilioApi = await new TwilioRestStandIn().start();
  build = await workerBuild();
}, 120_000);
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await rig?.close();
  await twilioApi?.close();
  build?.remove();
});

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function startWorker(extra: Record<string, string> = {}): { child: ChildProcess; exited: Promise<Exit> } {
  const child = spawn(process.execPath, [build.script], {
    env: {
      PATH: process.env['PATH'] ?? '',
      REDIS_URL,
      REDIS_KEY_PREFIX: rig.scope.prefix,
      TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
      TWILIO_SMS_FROM: SENDER,
      TWILIO_API_BASE_URL: twilioApi.baseUrl,
      TWILIO_TIMEOUT_MS: '10000',
      PUBLIC_BASE_URL: TEST_BASE_URL,
      SMS_RATE_PER_SEC: '10000',
      SMS_CONCURRENCY: String(CONCURRENCY),
      SMS_LOCK_MS: String(LOCK_MS),
      RULES_DIR: defaultPaths().rulesDir,
      LOG_LEVEL: 'error',
      ...extra,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
  return { child, exited };
}

async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 45_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Round = { crashAt: `${SendCheckpoint}:${number}` } | { holdInFlight: { created: boolean } };

describe('SMS survive kill -9 of the worker', () => {
  it('2,002 jobs, the worker killed six times at every point of a send and restarted: none lost, none sent twice, the counters add up', async () => {
    rig = smsRig('crash', { twilioApi });
    twilioApi.sentAfterMs = 300; // the list shows some messages still queued, without a date sent
    const phones = [
      ...Array.from({ length: PLAIN }, (_, i) => phoneOf(i)),
      ...Array.from({ length: TWICE }, (_, i) => [phoneOf(10_000 + i), phoneOf(10_000 + i)]).flat(),
      ...Array.from({ length: REJECTED }, (_, i) => phoneOf(20_000 + i)),
    ];
    for (let i = 0; i < REJECTED; i++) twilioApi.byNumber.set(phoneOf(20_000 + i), twilioError(400, 21211));
    for (let from = 0; from < phones.length; from += 50) {
      await Promise.all(phones.slice(from, from + 50).map((phone, j) => rig.producer.enqueueForCall(callSid(from + j), phone, decisionWith([BILL], 'zh-CN', phone), { phone })));
    }
    expect(await rig.queue.getJobCounts('waiting')).toEqual({ waiting: 2002 });

    const rounds: Round[] = [
      { crashAt: 'reserved:120' },
      // The reported case: requests in flight that never reached Twilio.
      { holdInFlight: { created: false } },
      { crashAt: 'answered:150' },
      // Twilio took the messages, the answers were lost.
      { holdInFlight: { created: true } },
      { crashAt: 'marked:150' },
      { crashAt: 'counted:150' },
    ];
    for (const round of rounds) {
      if ('crashAt' in round) {
        const { exited } = startWorker({ SMS_WORKER_CRASH_AT: round.crashAt });
        const exit = await exited;
        expect(exit.signal, `${round.crashAt}: ${exit.stderr}`).toBe('SIGKILL');
      } else {
        twilioApi.held = 0;
        twilioApi.hold = { fromRequest: twilioApi.requests.length + 100, created: round.holdInFlight.created };
        const { child, exited } = startWorker();
        await twilioApi.heldAtLeast(CONCURRENCY);
        child.kill('SIGKILL');
        expect((await exited).signal).toBe('SIGKILL');
        twilioApi.stopHolding();
      }
    }
    expect(await pendingSmsJobs(rig.queue)).toBeGreaterThan(0);

    // Restarted for good: it takes over the dead workers' jobs once their locks lapse, and finishes.
    const last = startWorker();
    await until('the queue to empty', async () => (await pendingSmsJobs(rig.queue)) === 0);
    last.child.kill('SIGTERM');
    expect((await last.exited).code).toBe(0);

    const texts = new Map<string, number>();
    for (const m of twilioApi.messages) texts.set(m.to, (texts.get(m.to) ?? 0) + 1);
    const expectedOnce = [...Array.from({ length: PLAIN }, (_, i) => phoneOf(i)), ...Array.from({ length: TWICE }, (_, i) => phoneOf(10_000 + i))];
    const lost = expectedOnce.filter((p) => !texts.has(p)).length;
    const sentTwice = [...texts.values()].filter((c) => c > 1).length;
    expect({ lost, sentTwice, texts: twilioApi.messages.length }).toEqual({ lost: 0, sentTwice: 0, texts: PLAIN + TWICE });

    const a = await rig.stats.accounting(await pendingSmsJobs(rig.queue));
    expect(a).toMatchObject({ decided: 2002, sent: PLAIN + TWICE, suppressed: TWICE, failed: REJECTED, pending: 0, unaccounted: 0 });
    // At least the ten held without reaching Twilio were sent again, and the ten Twilio took were found, not resent.
    expect(a.resentAfterUnknownOutcome).toBeGreaterThanOrEqual(CONCURRENCY);
    expect(a.foundAfterUnknownOutcome).toBeGreaterThanOrEqual(CONCURRENCY);
    expect(twilioApi.listRequests.length).toBeGreaterThanOrEqual(a.resentAfterUnknownOutcome + a.foundAfterUnknownOutcome);

    const shown = formatSmsStats(await rig.stats.view(rig.ledger.optOutSetKey, 20, await pendingSmsJobs(rig.queue)), 'test');
    expect(shown).toContain(`messages: decided 2002 = sent ${PLAIN + TWICE} + suppressed ${TWICE} + failed ${REJECTED} + pending 0 (adds up)\n`);

    const dead = await rig.stats.deadLetters();
    expect(dead.map((d) => [d.key, d.code])).toEqual(Array.from({ length: REJECTED }, (_, i) => [`${callSid(PLAIN + 2 * TWICE + i)}.bill-summary`, 'SMS_SEND_REJECTED']).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(await rig.queue.getJobCounts('completed', 'failed')).toEqual({ completed: 2002 - REJECTED, failed: REJECTED });
  }, 120_000);
});
