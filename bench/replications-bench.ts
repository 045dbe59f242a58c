/**
 * Replications spread over BullMQ workers: wall time of 100 replications of the sample day
 * (`replay data/traces/sample.jsonl --replications 100 --redis-url …`) with 1 and with 2
 * `ivr-sim replication-worker` processes, and the speed-up between them (target ≥ 1.8× on two
 * free cores). Checks that every run prints the same report. Needs Redis on 127.0.0.1:6379;
 * everything is under a key prefix of its own and removed at the end.
 *
 *   npm run bench:replications   (tsc -p tsconfig.bench.json && node dist-bench/bench/replications-bench.js)
 *
 * Options: --replications N (default 100), --workers 1,2, --block-size 5, --rounds 1.
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
const BLOCK_SIZE = arg('block-size', '5');
const ROUNDS = Number(arg('rounds', '1'));

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

async function main(): Promise<void> {
  const prefix = `bench:replications:${randomUUID().slice(0, 8)}:`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const outputs = new Set<string>();
  const rows: Array<{ workers: number; sec: number }> = [];
  try {
    for (const n of WORKERS) {
      const workers = await Promise.all(Array.from({ length: n }, () => startWorker(prefix)));
      const times: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const started = performance.now();
        const out = await run(process.execPath, [cli, 'replay', join(PACKAGE_ROOT, 'data/traces/sample.jsonl'), '--json', '--replications', REPLICATIONS, '--redis-url', REDIS_URL, '--prefix', prefix, '--block-size', BLOCK_SIZE]);
        times.push((performance.now() - started) / 1000);
        outputs.add(out);
      }
      await Promise.all(workers.map(stop));
      rows.push({ workers: n, sec: median(times) });
      console.log(`${n} worker(s): ${median(times).toFixed(1)} s for ${REPLICATIONS} replications (median of ${ROUNDS})`);
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
  const base = rows[0]!;
  for (const r of rows.slice(1)) console.log(`speed-up ${base.workers} → ${r.workers} workers: ${(base.sec / r.sec).toFixed(2)}×`);
  console.log(`same report from every run: ${outputs.size === 1 ? 'yes' : `NO (${outputs.size} different)`}`);
  console.log(`cores ${availableParallelism()}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  if (outputs.size !== 1) process.exitCode = 1;
}

await main();
