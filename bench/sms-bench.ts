/**
 * Triggered SMS throughput: jobs per second through the whole send path — the BullMQ worker,
 * the contact policy checked again at send time, the atomic ledger script in Redis, the real
 * `twilio` client posting to a local stand-in of Twilio's Messages API, the counters — for a few
 * worker concurrencies, plus how fast the voice side queues a call's messages (decision-time
 * policy check + addBulk). Needs Redis on 127.0.0.1:6379; everything it writes is under a key
 * prefix of its own and removed at the end.
 *
 *   npm run bench:sms     (tsc -p tsconfig.bench.json && node dist-bench/bench/sms-bench.js)
 *
 * Options: --jobs N (default 5000 per round), --concurrency 1,10,50, --rounds 3. The stand-in runs
 * in a child process (bench/twilio-stand-in-child.ts), so the figures are the sender side's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createLogger } from '../src/infra/logging/logger.js';
import type { Decision } from '../src/core/decision/decision.js';
import type { Clock } from '../src/core/time/clock.js';
import { loadContactPolicy } from '../src/core/sms/contact-policy-file.js';
import type { SmsJob } from '../src/core/sms/sms-job.js';
import { SmsPlanner } from '../src/core/sms/sms-planner.js';
import { RedisContactLedger } from '../src/infra/sms/redis-contact-ledger.js';
import { RedisSmsStats } from '../src/infra/sms/redis-sms-stats.js';
import { SmsProducer } from '../src/infra/sms/sms-producer.js';
import { DEFAULT_SMS_JOB_OPTIONS, smsKeyPrefixes, SMS_QUEUE_NAME } from '../src/infra/sms/sms-queue.js';
import { loadSmsWorkerEnv } from '../src/worker/sms-worker-env.js';
import { startSmsWorkerRuntime } from '../src/worker/sms-worker-runtime.js';
import { deleteKeysUnder, median } from './bench-util.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const ACCOUNT = 'AC' + 'a1'.repeat(16);

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : dflt;
}
const JOBS = Number(arg('jobs', '5000'));
const CONCURRENCIES = arg('concurrency', '1,10,50').split(',').map(Number);
const ROUNDS = Number(arg('rounds', '3'));

/** Noon in Shanghai: no quiet hours, so every message is sent at once. */
const NOON: Clock = { now: () => Date.UTC(2025, 5, 3, 4) };

const decision = (phone: string): Decision =>
  ({ callId: 'bench', caller: { phone, known: true, language: 'zh-CN' }, sms: [{ template: 'bill-summary', class: 'service', vars: { balance: 12.45 }, rule: 'bench' }] }) as unknown as Decision;

interface Round {
  enqueuePerSec: number;
  sendPerSec: number;
  /** CPU time of this process per job sent (user + system), ms: comparable on a busy machine. */
  cpuMsPerJob: number;
  sent: number;
}

/** Starts the stand-in child and returns its base URL. */
async function startStandIn(): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./twilio-stand-in-child.js', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] });
  const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
  return { child, baseUrl: (JSON.parse(String(first.value)) as { baseUrl: string }).baseUrl };
}

async function round(twilioApiBaseUrl: string, concurrency: number, redis: Redis): Promise<Round> {
  const prefix = `bench:sms:${randomUUID().slice(0, 8)}:`;
  const keys = smsKeyPrefixes(prefix);
  const queue = new Queue<SmsJob>(SMS_QUEUE_NAME, { connection: { url: REDIS_URL }, prefix: keys.bull });
  const policy = loadContactPolicy();
  const planner = new SmsPlanner({ policy: () => policy, ledger: new RedisContactLedger(redis, keys.sms), stats: new RedisSmsStats(redis, keys.sms), clock: NOON });
  const producer = new SmsProducer(queue, planner, NOON, DEFAULT_SMS_JOB_OPTIONS);

  // The voice side: one call's message at a time, as hand-offs come in (distinct numbers: no caps hit).
  let t = process.hrtime.bigint();
  for (let i = 0; i < JOBS; i++) {
    const phone = `+861390${String(i).padStart(7, '0')}`;
    await producer.enqueueForCall(`CAbench${i}`, phone, decision(phone), { phone, timeZone: 'Asia/Shanghai' });
  }
  const enqueueSec = Number(process.hrtime.bigint() - t) / 1e9;

  const env = loadSmsWorkerEnv({
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    TWILIO_ACCOUNT_SID: ACCOUNT,
    TWILIO_AUTH_TOKEN: 'bench-token',
    TWILIO_SMS_FROM: '+8610086',
    PUBLIC_BASE_URL: 'https://ivr.example.test',
    SMS_RATE_PER_SEC: '10000',
    SMS_CONCURRENCY: String(concurrency),
    TWILIO_API_BASE_URL: twilioApiBaseUrl,
  });
  let done = 0;
  let sent = 0;
  let finished!: () => void;
  const all = new Promise<void>((r) => (finished = r));
  t = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const runtime = startSmsWorkerRuntime(env, { logger: createLogger('silent'), clock: NOON });
  runtime.worker.on('completed', (_job, result) => {
    if (result.kind === 'sent') sent++;
    if (++done === JOBS) finished();
  });
  runtime.worker.on('failed', (job, err) => {
    throw new Error(`job ${job?.id} failed: ${err.message}`);
  });
  await all;
  const sendSec = Number(process.hrtime.bigint() - t) / 1e9;
  const used = process.cpuUsage(cpu);
  await runtime.close();
  await queue.close();
  await deleteKeysUnder(redis, prefix);
  return { enqueuePerSec: JOBS / enqueueSec, sendPerSec: JOBS / sendSec, cpuMsPerJob: (used.user + used.system) / 1000 / JOBS, sent };
}

async function main(): Promise<void> {
  const { child, baseUrl } = await startStandIn();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const rows: string[] = [];
  const enqueueRates: number[] = [];
  try {
    await round(baseUrl, 10, redis); // warm-up: JIT, connections, script loading
    for (const c of CONCURRENCIES) {
      const sends: number[] = [];
      const cpus: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const res = await round(baseUrl, c, redis);
        if (res.sent !== JOBS) throw new Error(`round sent ${res.sent} of ${JOBS} messages`);
        sends.push(res.sendPerSec);
        cpus.push(res.cpuMsPerJob);
        enqueueRates.push(res.enqueuePerSec);
      }
      rows.push(
        `  concurrency ${String(c).padStart(3)}: ${median(sends).toFixed(0).padStart(6)} jobs/s sent, ${median(cpus).toFixed(2)} ms CPU per job (median of ${ROUNDS}; ${sends.map((s) => s.toFixed(0)).join(', ')} jobs/s)`,
      );
    }
  } finally {
    child.stdin!.end();
    redis.disconnect();
  }
  process.stdout.write(
    `SMS send path, ${JOBS} jobs per round (policy re-check + ledger script + twilio client → local stand-in + counters):\n` +
      rows.join('\n') +
      `\nQueueing at hand-off (decision-time policy check + add), one call at a time: ${median(enqueueRates).toFixed(0)} calls/s (median of ${enqueueRates.length})\n` +
      `node ${process.version}, ${process.platform} ${process.arch}, ${availableParallelism()} CPUs, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`,
  );
}

await main();
