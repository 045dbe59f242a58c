/**
 * Replications in local threads, driven directly: LocalReplicationRunner on the sample day with
 * 1 thread (this one) and with 2 (this one and a worker thread), each run in a fresh process as a
 * command would, paired (1, 2, then 2, 1, …), for 100, 200 and 400 replications. It shows where a
 * worker thread starts to pay for its start on this machine (MIN_CALLS_FOR_THREADS).
 *
 *   npm run bench:local-threads   (tsc -p tsconfig.bench.json && node dist-bench/bench/local-threads-bench.js [--rounds 3])
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadConfiguration, PACKAGE_ROOT } from '../src/core/configuration/configuration.js';
import { readRecordedDay } from '../src/core/replications/recorded-day.js';
import { plainScenario } from '../src/core/replications/replication.js';
import { LocalReplicationRunner } from '../src/core/replications/replication-pool.js';
import { loadStaffingFile } from '../src/core/staffing/staffing-file.js';
import { median, run } from './bench-util.js';

const f2 = (x: number) => x.toFixed(2);

/** One run in this process: prints wall seconds, CPU seconds and how many replications this thread computed. */
async function once(threads: number, replications: number): Promise<void> {
  const day = await readRecordedDay(join(PACKAGE_ROOT, 'data/traces/sample.jsonl'), { onError: 'fail', sort: false });
  const { staffing } = await loadStaffingFile(join(PACKAGE_ROOT, 'data/staffing.json'));
  const job = { day, plan: { seed: 1, intervalSec: staffing.intervalMin * 60, volumeCv: 0 }, scenarios: [plainScenario({ config: loadConfiguration(), staffing, staffingSource: 'bench', seed: 1 })] };
  const runner = new LocalReplicationRunner(job, threads);
  const started = performance.now();
  const cpu = process.cpuUsage();
  await runner.run(Array.from({ length: replications }, (_, i) => i));
  const wall = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await runner.close();
  console.log(JSON.stringify({ wall, cpu: (used.user + used.system) / 1e6, here: runner.split.here }));
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--rounds');
  const rounds = i >= 0 ? Number(process.argv[i + 1]) : 3;
  const self = fileURLToPath(import.meta.url);
  const sample = async (threads: number, replications: number) => JSON.parse(await run(process.execPath, [self, 'once', String(threads), String(replications)])) as { wall: number; cpu: number; here: number };
  const calls = (await readRecordedDay(join(PACKAGE_ROOT, 'data/traces/sample.jsonl'), { onError: 'fail', sort: false })).calls.length;
  console.log(`load average before ${loadavg().map(f2).join(' ')}; ${rounds} pairs each`);
  for (const replications of [100, 200, 400]) {
    const one: Awaited<ReturnType<typeof sample>>[] = [];
    const two: Awaited<ReturnType<typeof sample>>[] = [];
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) {
        one.push(await sample(1, replications));
        two.push(await sample(2, replications));
      } else {
        two.push(await sample(2, replications));
        one.push(await sample(1, replications));
      }
    }
    const ratios = one.map((x, k) => x.wall / two[k]!.wall);
    console.log(
      `${replications} replications (${(replications * calls).toLocaleString('en-US')} calls): 1 thread ${f2(median(one.map((x) => x.wall)))} s, 2 threads ${f2(median(two.map((x) => x.wall)))} s ` +
        `(this thread computed ${median(two.map((x) => x.here))}); paired ratio median ${f2(median(ratios))}×; CPU ${f2(median(one.map((x) => x.cpu)))} s and ${f2(median(two.map((x) => x.cpu)))} s`,
    );
  }
  console.log(`load average after ${loadavg().map(f2).join(' ')}`);
}

if (process.argv[2] === 'once') await once(Number(process.argv[3]), Number(process.argv[4]));
else await main();
