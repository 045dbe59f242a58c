/**
 * Replications spread over BullMQ workers: wall time of 100 replications of the sample day
 * (`replay data/traces/sample.jsonl --replications 100 --redis-url …`) with 1 and with 2
 * `ivr-sim replication-worker` processes, and the speed-up between them (target ≥ 1.8× on two
 * free cores). Checks that every run prints the same report. Needs Redis on 127.0.0.1:6379;
 * everything is under a key prefix of its own and removed at the end.
 *
 * Workers are long-lived in a real deployment: the bench starts them, waits until they are
 * ready, and times their first run (fetching the job's trace and configuration from Redis and
 * building the deciders) apart from the rounds that follow, which find the deciders built. It
 * also times the same replay without --replications: the part of the command (process start,
 * configuration, replay of the recorded day) that no number of workers shortens.
 *
 *   npm run bench:replications   (tsc -p tsconfig.bench.json && node dist-bench/bench/replications-bench.js)
 *
 * For comparison it times the same replications in local threads (no --redis-url, --threads 1
 * and 2), and how much slower one process's replications get while a second process computes
 * them too: the ceiling two workers sharing this machine's cores can reach.
 *
 * Options: --replications N (default 100), --workers 1,2, --block-size N (default: the CLI's),
 * --rounds 3.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { PACKAGE_ROOT } from '../src/core/configuration/configuration.js';
import { median, run } from './bench-util.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : dflt;
}
const REPLICATIONS = arg('replications', '100');
const WORKERS = arg('workers', '1,2').split(',').map(Number);
const BLOCK_SIZE = arg('block-size', '');
const ROUNDS = Number(arg('rounds', '3'));
const TRACE = join(PACKAGE_ROOT, 'data/traces/sample.jsonl');

// The compiled CLI of this bench build (dist-bench/src/cli/main.js).
const cliMain = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const cli = join(tmpdir(), `ivr-sim-bench-cli-${process.pid}.mjs`);
writeFileSync(cli, `const { runCli } = await import(${JSON.stringify(cliMain)});\nprocess.exitCode = await runCli(process.argv.slice(2));\n`);

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

async function timed(args: string[]): Promise<{ sec: number; out: string }> {
  const started = performance.now();
  const out = await run(process.execPath, [cli, ...args]);
  return { sec: (performance.now() - started) / 1000, out };
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const secs = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');

async function main(): Promise<void> {
  const prefix = `bench:replications:${randomUUID().slice(0, 8)}:`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const outputs = new Set<string>();
  const rows: Array<{ workers: number; sec: number }> = [];
  console.log(`cores ${availableParallelism()}, load average before ${load()}`);
  const replicated = ['replay', TRACE, '--json', '--replications', REPLICATIONS, '--redis-url', REDIS_URL, '--prefix', prefix, ...(BLOCK_SIZE ? ['--block-size', BLOCK_SIZE] : [])];
  try {
    const plain: number[] = [];
    for (let r = 0; r < ROUNDS; r++) plain.push((await timed(['replay', TRACE, '--json'])).sec);
    console.log(`replay without --replications (process start, configuration, the recorded day): ${median(plain).toFixed(2)} s (median of ${secs(plain)})`);
    for (const n of WORKERS) {
      const workers = await Promise.all(Array.from({ length: n }, () => startWorker(prefix)));
      try {
        const first = await timed(replicated);
        outputs.add(first.out);
        const times: number[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          const t = await timed(replicated);
          times.push(t.sec);
          outputs.add(t.out);
        }
        rows.push({ workers: n, sec: median(times) });
        console.log(`${n} worker(s): ${median(times).toFixed(2)} s for ${REPLICATIONS} replications (median of ${secs(times)}); first run on fresh workers ${first.sec.toFixed(2)} s`);
      } finally {
        await Promise.all(workers.map(stop));
      }
    }
  } finally {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  }
  const threads: Record<number, number[]> = { 1: [], 2: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const t of [1, 2]) {
      const local = await timed(['replay', TRACE, '--json', '--replications', REPLICATIONS, '--threads', String(t)]);
      threads[t]!.push(local.sec);
      outputs.add(local.out);
    }
  }
  console.log(`local threads (no --redis-url): 1 thread ${median(threads[1]!).toFixed(2)} s, 2 threads ${median(threads[2]!).toFixed(2)} s, ${(median(threads[1]!) / median(threads[2]!)).toFixed(2)}× (medians of ${ROUNDS})`);
  // Two processes computing replications at once, each in one thread, against one alone.
  const shared = ['replay', TRACE, '--json', '--no-parallel', '--replications', String(Math.max(2, Math.round(Number(REPLICATIONS) / 2))), '--threads', '1'];
  const alone: number[] = [];
  const together: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    alone.push((await timed(shared)).sec);
    const pair = await Promise.all([timed(shared), timed(shared)]);
    together.push(Math.max(...pair.map((p) => p.sec)));
  }
  console.log(
    `one process alone ${median(alone).toFixed(2)} s, two at once ${median(together).toFixed(2)} s each: ${(median(together) / median(alone)).toFixed(2)}× slower side by side (${shared.slice(3).join(' ')}; medians of ${ROUNDS})`,
  );
  const base = rows[0]!;
  for (const r of rows.slice(1)) console.log(`speed-up ${base.workers} → ${r.workers} workers: ${(base.sec / r.sec).toFixed(2)}×`);
  console.log(`same report from every run: ${outputs.size === 1 ? 'yes' : `NO (${outputs.size} different)`}`);
  console.log(`load average after ${load()}`);
  if (outputs.size !== 1) process.exitCode = 1;
}

await main();
