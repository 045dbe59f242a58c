/**
 * Signed Twilio webhooks driving real calls, on loopback, with the call state in a real Redis.
 * Three kinds of process on the same machine: this one (orchestration only, idle while timing),
 * the voice service as `npm start` runs it (WEB_CONCURRENCY processes behind the same Redis), and
 * the load generator (bench/webhook-load.ts) in a process of its own. Each call is a signed
 * /voice/incoming, then signed /voice/gather requests that advance it through the standard flow
 * (see webhook-load.ts); only gathers that moved their call count.
 *
 * Two measurements per round, each in a fresh load-generator process against the same service:
 * - closed loop: BENCH_CONNECTIONS callers back to back, the maximum gathers per second;
 * - open loop: BENCH_RATE gathers/s offered on a fixed schedule, latency from each request's due
 *   time (p50, p99, p99.9) and errors.
 * Rounds are repeated (BENCH_ROUNDS) and medians printed, with the load average before and after.
 *
 * Build and run (Redis at $REDIS_URL, default redis://127.0.0.1:6379):
 *   npm run bench:webhooks
 * Options (environment): BENCH_WORKERS (service processes, default 2: one per core),
 * BENCH_CONNECTIONS (closed loop, default 64), BENCH_RATE (open loop, gathers/s, default 1000),
 * BENCH_LANES (open loop, calls in progress, default = rate), BENCH_GATHERS_PER_CALL (8),
 * BENCH_SECONDS (10), BENCH_WARMUP_SEC (3), BENCH_ROUNDS (3), BENCH_MODES (closed,open),
 * BENCH_SERVER_NODE_ARGS (node flags for the service processes, e.g. "--cpu-prof").
 */

import cluster from 'node:cluster';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { loadAppEnv } from '../src/app/config/app-env.js';
import { createApp } from '../src/app/create-app.js';
import { createLogger } from '../src/infra/logging/logger.js';
import { runWebCluster } from '../src/app/web-cluster.js';
import { deleteKeysUnder, median } from './bench-util.js';
import { watchServiceStats, type ServiceStats } from './service-stats.js';
import type { LatencySummary, LoadResult, LoadSpec } from './webhook-load.js';

const AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
const ACCOUNT_SID = 'AC' + 'a1'.repeat(16);
const BASE_URL = 'https://ivr.bench.test';
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const num = (name: string, dflt: number) => Number(process.env[name] ?? dflt);
const WORKERS = num('BENCH_WORKERS', 2);
const CONNECTIONS = num('BENCH_CONNECTIONS', 64);
const RATE = num('BENCH_RATE', 1000);
const LANES = num('BENCH_LANES', RATE);
const GATHERS_PER_CALL = num('BENCH_GATHERS_PER_CALL', 8);
const SECONDS = num('BENCH_SECONDS', 10);
const WARMUP_SEC = num('BENCH_WARMUP_SEC', 3);
const ROUNDS = num('BENCH_ROUNDS', 3);
const MODES = (process.env['BENCH_MODES'] ?? 'closed,open').split(',').map((m) => m.trim()) as ('closed' | 'open')[];

/** The service process(es): what `npm start` runs, on an ephemeral loopback port. */
async function serve(prefix: string, workers: number): Promise<void> {
  const env = loadAppEnv({
    PUBLIC_BASE_URL: BASE_URL,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    CONFIG_WATCH: 'off',
    INTERNAL_PORT: '0',
    SPOOL_DIR: `/tmp/ivr-sim-bench-spool-${prefix.slice(6, 14)}`,
    WEB_CONCURRENCY: String(workers),
    WEB_WORKER_INDEX: process.env['WEB_WORKER_INDEX'],
  });
  // The service's own logger, as `npm start` makes it: one line per webhook on stdout, which the
  // bench sends to /dev/null (the lines' cost is part of a webhook).
  const logger = createLogger('info');
  await runWebCluster({
    concurrency: workers,
    log: logger,
    startWorker: async () => {
      // Each service process watches its event loop and its garbage collector for the measured windows.
      const stats = watchServiceStats();
      process.on('message', (m: { serviceStats?: 'reset' | 'report' }) => {
        if (m?.serviceStats === 'reset') stats.reset();
        if (m?.serviceStats === 'report') process.send?.({ serviceStatsReport: stats.report() });
      });
      const app = await createApp({ env, logger });
      const server = await app.listen(0, '127.0.0.1');
      process.once('SIGTERM', () => {
        // Exit through process.exit so flags such as --cpu-prof get to write their output.
        void app.close().finally(() => process.exit(0));
      });
      return (server.address() as { port: number }).port;
    },
    onReady: (port) => process.send?.({ port }),
  });
  if (cluster.isPrimary && workers > 1) {
    // The primary relays the bench's requests for statistics to every worker and answers with all of theirs.
    let reports: ServiceStats[] = [];
    cluster.on('message', (_w, m: { serviceStatsReport?: ServiceStats }) => {
      if (!m?.serviceStatsReport) return;
      reports.push(m.serviceStatsReport);
      if (reports.length === Object.keys(cluster.workers ?? {}).length) {
        process.send?.({ serviceStatsReports: reports });
        reports = [];
      }
    });
    process.on('message', (m: { serviceStats?: string }) => {
      if (m?.serviceStats) for (const w of Object.values(cluster.workers ?? {})) w?.send(m);
    });
  }
}

/** Asks the service processes to start a window (`reset`) or for what they saw since (`report`). */
function serviceStats(child: ChildProcess, what: 'reset'): void;
function serviceStats(child: ChildProcess, what: 'report'): Promise<ServiceStats[]>;
function serviceStats(child: ChildProcess, what: 'reset' | 'report'): void | Promise<ServiceStats[]> {
  child.send({ serviceStats: what });
  if (what === 'reset') return;
  return new Promise((resolve) => {
    const on = (m: { serviceStatsReports?: ServiceStats[]; serviceStatsReport?: ServiceStats }) => {
      const reports = m?.serviceStatsReports ?? (m?.serviceStatsReport ? [m.serviceStatsReport] : null);
      if (!reports) return;
      child.off('message', on);
      resolve(reports);
    };
    child.on('message', on);
  });
}

const statsLine = (ss: ServiceStats[]) =>
  ss
    .map(
      (s, i) =>
        `process ${i + 1}: loop delay p99 ${s.loopP99Ms.toFixed(1)} ms max ${s.loopMaxMs.toFixed(1)} ms; ` +
        `GC ${s.gcCount} pauses ${s.gcMs.toFixed(0)} ms (longest ${s.gcMaxMs.toFixed(1)} ms, ${s.gcMajorCount} major ${s.gcMajorMs.toFixed(0)} ms); ` +
        `waited for a core ${s.runQueueWaitMs.toFixed(0)} ms`,
    )
    .join('; ');

function startService(prefix: string): { child: ChildProcess; port: Promise<number>; exited: Promise<unknown> } {
  const execArgv = (process.env['BENCH_SERVER_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const child = fork(fileURLToPath(import.meta.url), ['serve', prefix, String(WORKERS)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const port = new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`service exited with ${code}`)));
  });
  return { child, port, exited };
}

/** CPU time (user + system, ms) of a process and its children so far, from /proc (Linux); NaN elsewhere. */
function treeCpuMs(pid: number): number {
  try {
    const ticks = (p: number): number => {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const own = Number(f[11]) + Number(f[12]);
      const kids = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      return own + kids.reduce((a, k) => a + ticks(k), 0);
    };
    return (ticks(pid) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

/** One measurement in a fresh load-generator process. */
function load(spec: LoadSpec): Promise<LoadResult> {
  const child = fork(fileURLToPath(new URL('./webhook-load.js', import.meta.url)), [], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('message', (r) => resolve(r as LoadResult));
    child.once('exit', (code) => reject(new Error(`load generator exited with ${code}`)));
    child.send(spec);
  });
}

const ms = (x: number | null) => x === null || Number.isNaN(x) ? '     -' : (x < 10 ? x.toFixed(2) : x.toFixed(1)).padStart(6);
const lat = (l: LatencySummary) => `p50 ${ms(l.p50)} ms  p99 ${ms(l.p99)} ms  p99.9 ${ms(l.p999)} ms  max ${ms(l.max)} ms`;
const load1 = () => loadavg().map((x) => x.toFixed(2)).join(' ');

async function run(): Promise<void> {
  const prefix = `bench:${randomBytes(4).toString('hex')}:`;
  const loadBefore = load1();
  const service = startService(prefix);
  const port = await service.port;
  const spec = (mode: 'closed' | 'open', round: number, seconds = SECONDS, warmupSec = WARMUP_SEC): LoadSpec => ({
    mode,
    url: `http://127.0.0.1:${port}`,
    baseUrl: BASE_URL,
    authToken: AUTH_TOKEN,
    accountSid: ACCOUNT_SID,
    // CallSids: CA + 8 hex digits of this run and round + 24 of the call's number.
    sidPrefix: prefix.slice(6, 12) + (mode === 'closed' ? 'c' : 'd') + round.toString(16),
    gathersPerCall: GATHERS_PER_CALL,
    lanes: mode === 'closed' ? CONNECTIONS : LANES,
    rate: RATE,
    warmupSec,
    seconds,
  });
  const out = (line: string) => process.stdout.write(line + '\n');
  out(
    `webhooks-bench: ${WORKERS} service process(es), ${cpus().length} cores, node ${process.version}, Redis ${REDIS_URL}; ` +
      `${GATHERS_PER_CALL} gathers per call; ${SECONDS} s measured after ${WARMUP_SEC} s warm-up; ${ROUNDS} rounds; load average before ${loadBefore}`,
  );
  const results: Record<string, LoadResult[]> = { closed: [], open: [] };
  const serviceCpu: Record<string, number[]> = { closed: [], open: [] };
  try {
    // Warm-up of the service itself (JIT, Redis scripts, memoised flow steps), not counted.
    await load(spec('closed', 15, 3, 0));
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of MODES) {
        const cpuBefore = treeCpuMs(service.child.pid!);
        const windowStarts = setTimeout(() => serviceStats(service.child, 'reset'), WARMUP_SEC * 1000);
        const r = await load(spec(mode, round));
        clearTimeout(windowStarts);
        const seen = await serviceStats(service.child, 'report');
        const cpuPerRequestUs = ((treeCpuMs(service.child.pid!) - cpuBefore) / r.answered) * 1000;
        results[mode]!.push(r);
        serviceCpu[mode]!.push(cpuPerRequestUs);
        const head = mode === 'closed' ? `closed loop, ${CONNECTIONS} callers:` : `open loop, ${RATE} gathers/s offered:`;
        out(
          `  round ${round + 1} ${head.padEnd(34)} ${r.gathersPerSec.toFixed(0).padStart(5)} gathers/s  gathers ${lat(r.gathers)}  ` +
            `incoming p99 ${ms(r.incoming.p99)} ms  errors ${r.errors}  generator CPU ${((r.cpuMs / (SECONDS * 1000)) * 100).toFixed(0)}%` +
            `  service CPU ${cpuPerRequestUs.toFixed(0)} µs/request` +
            (mode === 'open' ? `  max send lag ${r.maxSendLagMs.toFixed(1)} ms` : ''),
        );
        out(
          `      gathers from their send: p50 ${ms(r.gathersFromSend.p50)} ms  p99 ${ms(r.gathersFromSend.p99)} ms  p99.9 ${ms(r.gathersFromSend.p999)} ms;  ` +
            `send lag p99 ${ms(r.gatherSendLag.p99)} ms  p99.9 ${ms(r.gatherSendLag.p999)} ms`,
        );
        out(`      service ${statsLine(seen)}`);
        for (const e of r.errorSamples) out(`      error: ${e}`);
      }
    }
  } finally {
    service.child.kill('SIGTERM');
    await service.exited;
    await cleanRedis(prefix);
  }
  const med = (rs: LoadResult[], f: (r: LoadResult) => number) => median(rs.map(f));
  out(`medians of ${ROUNDS} rounds (load average after ${load1()}):`);
  for (const mode of MODES) {
    const rs = results[mode]!;
    if (!rs.length) continue;
    const name = mode === 'closed' ? `closed loop, ${CONNECTIONS} callers` : `open loop, ${RATE} gathers/s offered`;
    out(
      `  ${name.padEnd(36)} ${med(rs, (r) => r.gathersPerSec).toFixed(0).padStart(5)} gathers/s  ` +
        `p50 ${ms(med(rs, (r) => r.gathers.p50))} ms  p99 ${ms(med(rs, (r) => r.gathers.p99))} ms  p99.9 ${ms(med(rs, (r) => r.gathers.p999))} ms  ` +
        `errors ${rs.map((r) => r.errors).join('/')}  service CPU ${median(serviceCpu[mode]!).toFixed(0)} µs/request`,
    );
  }
}

async function cleanRedis(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  await deleteKeysUnder(redis, prefix);
  await redis.quit();
}

if (process.argv[2] === 'serve') await serve(process.argv[3]!, Number(process.argv[4]));
else await run();
