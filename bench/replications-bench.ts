/**
 * Replications spread over BullMQ workers: 100 replications of the sample day with 1 and with 2
 * `ivr-sim replication-worker` processes (target ≥ 1.8× from 1 to 2 workers). Needs Redis on
 * 127.0.0.1:6379; everything is under key prefixes of its own and removed at the end.
 *
 *   npm run bench:replications   (tsc -p tsconfig.bench.json && node dist-bench/bench/replications-bench.js)
 *
 * Two figures are timed, both with 1 and with 2 workers, the two alternating run by run (1, 2,
 * then 2, 1, …) so that a change in the machine's load hits both alike; the speed-up is the
 * median of the ratios of each such pair:
 *
 * - the whole command, `replay data/traces/sample.jsonl --json --replications 100 --redis-url …`,
 *   from process start to exit: start-up, configuration, reading the trace, queueing, waiting for
 *   the workers (one of which replays the recorded day too, as the flow's first job), the report;
 * - the replication phase alone: from queueing the replications to holding every block's figures
 *   (the queue runner the command uses, driven in this process).
 *
 * With each, CPU seconds: the command's own (user + system, from /usr/bin/time when present) and
 * the workers' (from /proc). The workers are started and ready before anything is timed, as in a
 * deployment where they keep running; their first run (fetching the job's trace and
 * configuration from Redis and building the deciders) is reported apart. The bench also times the
 * same replay without --replications; the same replications in local threads (--threads 1 against
 * 2 and against the default, paired; and the default against --threads 1 on four times as many
 * replications, where the default starts worker threads); and how much slower one process's
 * replications get while a second process computes them too: the ceiling two workers sharing
 * this machine's cores can reach. Every run must print the same report, and every replication
 * phase return the same figures.
 *
 * Options: --replications N (default 100), --block-size N (default: the CLI's), --rounds 5.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { loadConfiguration, PACKAGE_ROOT } from '../src/core/configuration/configuration.js';
import { readRecordedDay } from '../src/core/replications/recorded-day.js';
import { plainScenario } from '../src/core/replications/replication.js';
import type { ReplicationJob } from '../src/core/replications/replication-worker.js';
import { loadStaffingFile } from '../src/core/staffing/staffing-file.js';
import { BullmqReplicationRunner } from '../src/infra/replications/bullmq-replication-runner.js';
import { connectRedis } from '../src/infra/replications/redis-connection.js';
import { deleteKeysUnder, median } from './bench-util.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : dflt;
}
const REPLICATIONS = Number(arg('replications', '100'));
const BLOCK_SIZE = arg('block-size', '');
const ROUNDS = Number(arg('rounds', '5'));
const TRACE = join(PACKAGE_ROOT, 'data/traces/sample.jsonl');
const TIME = '/usr/bin/time';

// The compiled CLI of this bench build (dist-bench/src/cli/main.js), started as `ivr-sim` is.
const cliMain = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const cli = join(tmpdir(), `ivr-sim-bench-cli-${process.pid}.mjs`);
writeFileSync(cli, `const { main } = await import(${JSON.stringify(cliMain)});\nawait main(process.argv.slice(2));\n`);
const cpuFile = join(tmpdir(), `ivr-sim-bench-cpu-${process.pid}.txt`);

function startWorker(prefix: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cli, 'replication-worker', '--redis-url', REDIS_URL, '--prefix', prefix], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('taking blocks')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`replication worker exited (${code}): ${err}`)));
  });
}

const stop = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM'))));

/** User + system CPU seconds a running process has used so far (Linux /proc; clock ticks of 1/100 s). */
function cpuOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
const cpuOfAll = (children: ChildProcess[]) => children.reduce((s, c) => s + cpuOf(c.pid!), 0);

interface Timed {
  wall: number;
  /** The command's own user + system seconds (undefined without /usr/bin/time). */
  cpu: number | undefined;
  out: string;
}

/** Runs the CLI, from process start to exit. */
function timed(args: string[]): Promise<Timed> {
  const withTime = existsSync(TIME);
  const [cmd, argv] = withTime ? [TIME, ['-f', '%U %S', '-o', cpuFile, process.execPath, cli, ...args]] : [process.execPath, [cli, ...args]];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, argv, { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = (performance.now() - started) / 1000;
      if (code !== 0) return reject(new Error(`ivr-sim ${args.join(' ')} exited ${code}\n${err}`));
      const cpu = withTime ? readFileSync(cpuFile, 'utf8').trim().split(/\s+/).map(Number).reduce((a, b) => a + b, 0) : undefined;
      resolve({ wall, cpu, out });
    });
  });
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const f2 = (x: number) => x.toFixed(2);
const spread = (xs: number[]) => `median ${f2(median(xs))}, min ${f2(Math.min(...xs))}, max ${f2(Math.max(...xs))}`;

interface Sample {
  wall: number;
  cpu?: number;
  workerCpu: number;
}

/** Alternates `one` and `two` (1, 2, then 2, 1, …) and returns each one's samples. */
async function paired(rounds: number, one: () => Promise<Sample>, two: () => Promise<Sample>): Promise<[Sample[], Sample[]]> {
  const a: Sample[] = [];
  const b: Sample[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      a.push(await one());
      b.push(await two());
    } else {
      b.push(await two());
      a.push(await one());
    }
  }
  return [a, b];
}

function printPaired(what: string, a: Sample[], b: Sample[]): number {
  const ratios = a.map((x, i) => x.wall / b[i]!.wall);
  const line = (n: number, xs: Sample[]) => {
    const cpu = xs.every((x) => x.cpu !== undefined) ? `; command CPU ${f2(median(xs.map((x) => x.cpu!)))} s` : '';
    return `  ${n} worker${n === 1 ? ' ' : 's'}: wall ${spread(xs.map((x) => x.wall))} s${cpu}; workers' CPU ${f2(median(xs.map((x) => x.workerCpu)))} s`;
  };
  console.log(`${what} (${a.length} pairs)`);
  console.log(line(1, a));
  console.log(line(2, b));
  console.log(`  speed-up 1 → 2 workers: paired ratios ${ratios.map(f2).join(', ')}; median ${f2(median(ratios))}× (ratio of medians ${f2(median(a.map((x) => x.wall)) / median(b.map((x) => x.wall)))}×)`);
  return median(ratios);
}

async function main(): Promise<void> {
  const run = randomUUID().slice(0, 8);
  const prefixes = { 1: `bench:replications:${run}:one:`, 2: `bench:replications:${run}:two:` } as const;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const outputs = new Set<string>();
  const figures = new Set<string>();
  const workers: { 1: ChildProcess[]; 2: ChildProcess[] } = { 1: [], 2: [] };
  console.log(`cores ${availableParallelism()}, load average before ${load()}; ${REPLICATIONS} replications of ${TRACE}, ${ROUNDS} rounds`);
  const replicated = (n: 1 | 2) => ['replay', TRACE, '--json', '--replications', String(REPLICATIONS), '--redis-url', REDIS_URL, '--prefix', prefixes[n], ...(BLOCK_SIZE ? ['--block-size', BLOCK_SIZE] : [])];
  try {
    const plain: Timed[] = [];
    for (let r = 0; r < ROUNDS; r++) plain.push(await timed(['replay', TRACE, '--json']));
    console.log(`replay without --replications (process start, configuration, the recorded day): wall ${spread(plain.map((p) => p.wall))} s${plain[0]!.cpu === undefined ? '' : `; CPU ${f2(median(plain.map((p) => p.cpu!)))} s`}`);

    workers[1] = [await startWorker(prefixes[1])];
    workers[2] = await Promise.all([startWorker(prefixes[2]), startWorker(prefixes[2])]);
    const command = async (n: 1 | 2): Promise<Sample> => {
      const before = cpuOfAll(workers[n]);
      const t = await timed(replicated(n));
      outputs.add(t.out);
      return { wall: t.wall, ...(t.cpu === undefined ? {} : { cpu: t.cpu }), workerCpu: cpuOfAll(workers[n]) - before };
    };
    const first1 = await command(1);
    const first2 = await command(2);
    console.log(`first run on fresh workers (not counted): 1 worker ${f2(first1.wall)} s, 2 workers ${f2(first2.wall)} s`);
    const [cmd1, cmd2] = await paired(ROUNDS, () => command(1), () => command(2));
    const commandRatio = printPaired(`whole command: replay --json --replications ${REPLICATIONS} --redis-url …`, cmd1, cmd2);

    // The replication phase alone, through the runner the command uses.
    const day = await readRecordedDay(TRACE, { onError: 'fail', sort: false });
    const { staffing } = await loadStaffingFile(join(PACKAGE_ROOT, 'data/staffing.json'));
    const job: ReplicationJob = { day, plan: { seed: 1, intervalSec: staffing.intervalMin * 60, volumeCv: 0 }, scenarios: [plainScenario({ config: loadConfiguration(), staffing, staffingSource: 'bench', seed: 1 })] };
    const indices = Array.from({ length: REPLICATIONS }, (_, i) => i);
    const queueRedis = await connectRedis(REDIS_URL, REDIS_URL);
    const phase = async (n: 1 | 2): Promise<Sample> => {
      const runner = new BullmqReplicationRunner(job, { redis: queueRedis, shownUrl: REDIS_URL, keyPrefix: prefixes[n], blockSize: BLOCK_SIZE ? Number(BLOCK_SIZE) : 5, workerTimeoutSec: 30 });
      const before = cpuOfAll(workers[n]);
      const started = performance.now();
      const rows = await runner.run(indices);
      const wall = (performance.now() - started) / 1000;
      figures.add(JSON.stringify(rows));
      return { wall, workerCpu: cpuOfAll(workers[n]) - before };
    };
    await phase(1); // the workers fetch this job's bundle and build its deciders once
    await phase(2);
    const [ph1, ph2] = await paired(ROUNDS, () => phase(1), () => phase(2));
    const phaseRatio = printPaired(`replication phase alone: ${REPLICATIONS} replications queued and collected`, ph1, ph2);
    queueRedis.disconnect();
    console.log(`SUMMARY speed-up 1 → 2 workers (median of paired ratios): whole command ${f2(commandRatio)}×, replication phase ${f2(phaseRatio)}×`);
  } finally {
    await Promise.all([...workers[1], ...workers[2]].map(stop));
    await deleteKeysUnder(redis, `bench:replications:${run}:`);
    await redis.quit();
  }

  // Local threads: --threads 1, the default and --threads 2 on this run's replications, and the
  // default against --threads 1 on four times as many (past MIN_CALLS_FOR_THREADS, where the
  // default starts worker threads).
  const longOutputs = new Set<string>();
  const localRun = (replications: number, threads: number | undefined, into: Set<string>) => async (): Promise<Sample> => {
    const t = await timed(['replay', TRACE, '--json', '--replications', String(replications), ...(threads === undefined ? [] : ['--threads', String(threads)])]);
    into.add(t.out);
    return { wall: t.wall, ...(t.cpu === undefined ? {} : { cpu: t.cpu }), workerCpu: 0 };
  };
  const local = (label: string, a: Sample[], b: Sample[]) =>
    console.log(
      `local threads, ${label}: ${f2(median(a.map((x) => x.wall)))} s and ${f2(median(b.map((x) => x.wall)))} s (wall medians); paired ratio median ${f2(median(a.map((x, i) => x.wall / b[i]!.wall)))}×` +
        (a[0]!.cpu === undefined ? '' : `; CPU ${f2(median(a.map((x) => x.cpu!)))} s and ${f2(median(b.map((x) => x.cpu!)))} s`),
    );
  const [t1, t2] = await paired(ROUNDS, localRun(REPLICATIONS, 1, outputs), localRun(REPLICATIONS, 2, outputs));
  local(`${REPLICATIONS} replications, --threads 1 → 2`, t1, t2);
  const [d1, dd] = await paired(ROUNDS, localRun(REPLICATIONS, 1, outputs), localRun(REPLICATIONS, undefined, outputs));
  local(`${REPLICATIONS} replications, --threads 1 → default`, d1, dd);
  const [l1, ld] = await paired(ROUNDS, localRun(4 * REPLICATIONS, 1, longOutputs), localRun(4 * REPLICATIONS, undefined, longOutputs));
  local(`${4 * REPLICATIONS} replications, --threads 1 → default`, l1, ld);

  // Two processes computing replications at once, each in one thread, against one alone.
  const shared = ['replay', TRACE, '--json', '--no-parallel', '--replications', String(Math.max(2, Math.round(REPLICATIONS / 2))), '--threads', '1'];
  const slowdown: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const alone = await timed(shared);
    const pair = await Promise.all([timed(shared), timed(shared)]);
    slowdown.push(Math.max(...pair.map((p) => p.wall)) / alone.wall);
  }
  console.log(`two processes side by side: each ${f2(median(slowdown))}× slower than one alone (paired ratios ${slowdown.map(f2).join(', ')}; ${shared.slice(3).join(' ')})`);
  console.log(`same report from every run: ${outputs.size === 1 && longOutputs.size === 1 ? 'yes' : `NO (${outputs.size} and ${longOutputs.size} different)`}; same figures from every replication phase: ${figures.size === 1 ? 'yes' : `NO (${figures.size} different)`}`);
  console.log(`load average after ${load()}`);
  rmSync(cli, { force: true });
  rmSync(cpuFile, { force: true });
  if (outputs.size !== 1 || longOutputs.size !== 1 || figures.size !== 1) process.exitCode = 1;
}

await main();
