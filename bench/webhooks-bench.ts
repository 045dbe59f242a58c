/**
 * Signed Twilio webhooks under load on loopback: the voice service in a child process with its
 * call state in a real Redis, autocannon in this one. Each connection plays one caller through
 * the standard flow (bill balance → "anything else?" → back to the menu → …), so every gather
 * reads the call, moves the flow, compare-and-sets it back and answers with TwiML. A second run
 * measures new calls (/voice/incoming), a third GET /health (Nest plus one Redis PING) for scale.
 * Prints requests per second and p50/p99 latency.
 *
 * Build and run (Redis at $REDIS_URL, default redis://127.0.0.1:6379):
 *   npx tsc -p tsconfig.bench.json && node dist-bench/bench/webhooks-bench.js
 * Options (environment): BENCH_CONNECTIONS (default 50), BENCH_SECONDS (default 10),
 * BENCH_SERVER_NODE_ARGS (node flags for the service process, e.g. "--cpu-prof").
 */

import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import twilio from 'twilio';
import { loadAppEnv } from '../src/app/config/app-env.js';
import { createApp } from '../src/app/create-app.js';

const AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
const ACCOUNT_SID = 'AC' + 'a1'.repeat(16);
const BASE_URL = 'https://ivr.bench.test';
const CALLER = '+8613800000300';
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 50);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
/** The target load: latency is judged at this offered rate (open loop), not at saturation. */
const RATE = Number(process.env['BENCH_RATE'] ?? 500);

/** The parts of autocannon's API used here (it ships no types). */
interface CannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}
interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  pipelining: number;
  requests: {
    setupRequest: (req: CannonRequest, context: Record<string, unknown>) => CannonRequest;
    onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
  }[];
}) => Promise<CannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

function signed(req: CannonRequest, path: string, params: Record<string, string>): CannonRequest {
  req.method = 'POST';
  req.path = path;
  req.body = new URLSearchParams(params).toString();
  req.headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, BASE_URL + path, params),
  };
  return req;
}

/** Child process: the service, as `npm start` runs it, on an ephemeral loopback port. */
async function serve(prefix: string): Promise<void> {
  const env = loadAppEnv({
    PUBLIC_BASE_URL: BASE_URL,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    CONFIG_WATCH: 'off',
  });
  // Log lines are written (their cost is part of a webhook) but to /dev/null.
  const logger = pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: false }));
  const app = await createApp({ env, logger });
  const server = await app.listen(0, '127.0.0.1');
  process.once('SIGTERM', () => {
    // Exit through process.exit so flags such as --cpu-prof get to write their output.
    void app.close().finally(() => process.exit(0));
  });
  process.send!({ port: (server.address() as { port: number }).port });
}

async function run(): Promise<void> {
  const prefix = `bench:${randomUUID().slice(0, 8)}:`;
  const execArgv = (process.env['BENCH_SERVER_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const child = fork(fileURLToPath(import.meta.url), ['serve', prefix], { stdio: 'inherit', execArgv });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`service exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  let calls = 0;
  const newCallSid = () => `CA${prefix.slice(6, 14)}${String(++calls).padStart(24, '0')}`;

  try {
    // Warm-up: JIT, Redis script load, memoised flow steps.
    await gathers(url, newCallSid, 2);
    const g = await gathers(url, newCallSid, SECONDS);
    const atRate = await gathers(url, newCallSid, SECONDS, RATE);
    const i = await autocannon({
      url,
      connections: CONNECTIONS,
      duration: SECONDS,
      pipelining: 1,
      requests: [{ setupRequest: (req) => signed(req, '/voice/incoming', { CallSid: newCallSid(), From: CALLER, AccountSid: ACCOUNT_SID }) }],
    });
    const health = await autocannon({
      url,
      connections: CONNECTIONS,
      duration: SECONDS,
      pipelining: 1,
      requests: [{ setupRequest: (req) => Object.assign(req, { method: 'GET', path: '/health', headers: {}, body: '' }) }],
    });
    const row = (name: string, r: CannonResult, faults: number) =>
      `${name.padEnd(34)} ${r.requests.average.toFixed(0).padStart(7)} req/s   p50 ${String(r.latency.p50).padStart(3)} ms   p99 ${String(r.latency.p99).padStart(3)} ms   (${r.requests.total} requests, ${r.non2xx} non-2xx, ${r.errors} errors, ${faults} fault turns)`;
    process.stdout.write(
      [
        `webhooks-bench: ${CONNECTIONS} connections, ${SECONDS} s per run, node ${process.version}, Redis ${REDIS_URL}`,
        row('POST /voice/gather (advancing)', g.result, g.faults),
        row(`POST /voice/gather at ${RATE} req/s`, atRate.result, atRate.faults),
        row('POST /voice/incoming (new calls)', i, 0),
        row('GET /health (baseline)', health, 0),
        '',
      ].join('\n'),
    );
  } finally {
    child.kill();
    await exited;
    const redis = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  }
}

/** Each connection is one caller: an incoming call, then gathers at the step the last TwiML named. */
async function gathers(url: string, newCallSid: () => string, seconds: number, rate?: number): Promise<{ result: CannonResult; faults: number }> {
  let faults = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    pipelining: 1,
    ...(rate !== undefined ? { overallRate: rate } : {}),
    requests: [
      {
        setupRequest: (req, ctx) => {
          if (ctx['step'] === undefined) {
            ctx['callSid'] = newCallSid();
            return signed(req, '/voice/incoming', { CallSid: ctx['callSid'] as string, From: CALLER, AccountSid: ACCOUNT_SID });
          }
          const step = ctx['step'] as number;
          // Standard flow: menu → 2 (bill) → "anything else?" → 1 (menu again) → 2 → …
          const digit = step % 2 === 1 ? '2' : '1';
          return signed(req, `/voice/gather?step=${step}`, { CallSid: ctx['callSid'] as string, Digits: digit, AccountSid: ACCOUNT_SID });
        },
        onResponse: (_status, body, ctx) => {
          const m = /gather\?step=(\d+)"/.exec(body);
          if (m) ctx['step'] = Number(m[1]);
          else {
            if (body.includes('<Enqueue')) faults++;
            delete ctx['step'];
          }
        },
      },
    ],
  });
  return { result, faults };
}

if (process.argv[2] === 'serve') await serve(process.argv[3]!);
else await run();
