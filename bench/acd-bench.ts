// npm run bench:acd: 1,000,000 queue-level trace lines (one queue, 30 agents, M/M/c+M; see
// acd-trace.ts), generated with a fixed seed into a temporary directory, through `replay`,
// each round in a fresh process; the time counts reading, parsing, the contact centre and the
// report (not Node's start-up, printed apart as the whole process's wall time). In the same run,
// the same lines through SimPy 2.3 (bench/acd_simpy.py, Debian's python3-simpy) when
// /usr/bin/python3 can import it; the two must answer and lose the same calls.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACD_AGENTS, writeAcdStaffing, writeAcdTrace } from './acd-trace.js';
import { median, run } from './bench-util.js';

const calls = Number(process.env['BENCH_CALLS'] ?? 1_000_000);
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 5);
const simpyRounds = Number(process.env['BENCH_SIMPY_ROUNDS'] ?? 1);
const python = process.env['BENCH_PYTHON'] ?? '/usr/bin/python3';
const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '..', '..');

const dir = mkdtempSync(join(tmpdir(), 'ivr-sim-acd-'));
try {
  const trace = join(dir, `acd-${calls}.jsonl`);
  const staffing = join(dir, 'one-queue.json');
  await writeAcdTrace(trace, calls, 1);
  writeAcdStaffing(staffing);
  process.stderr.write(`trace ${trace}: ${calls} queue-level lines, one queue, ${ACD_AGENTS} agents\n`);

  interface Round {
    seconds: number;
    cpuSeconds: number;
    wallSeconds: number;
    calls: number;
    answered: number;
    abandoned: number;
    peakRssMiB: number;
    reportSha256: string;
  }
  const results: Round[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    const out = await run(process.execPath, [join(here, 'replay-child.js'), trace, '--staffing', staffing]);
    const r = { ...(JSON.parse(out) as Omit<Round, 'wallSeconds'>), wallSeconds: Number(process.hrtime.bigint() - t0) / 1e9 };
    results.push(r);
    process.stderr.write(`round ${i + 1}: replay ${r.seconds.toFixed(2)} s (whole process ${r.wallSeconds.toFixed(2)} s), CPU ${r.cpuSeconds.toFixed(2)} s, peak RSS ${r.peakRssMiB.toFixed(0)} MiB\n`);
  }
  const secs = median(results.map((r) => r.seconds));

  let simpy: { available: boolean; note?: string; medianSeconds?: number; callsPerSecond?: number; sameOutcomes?: boolean; timesSimPy?: number } = { available: false };
  const probe = spawnSync(python, ['-c', 'import SimPy.Simulation'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    simpy.note = `${python} cannot import SimPy (apt-get install python3-simpy): not compared`;
    process.stderr.write(`${simpy.note}\n`);
  } else {
    const runs: Array<{ seconds: number; answered: number; abandoned: number; calls: number }> = [];
    for (let i = 0; i < simpyRounds; i++) {
      const r = JSON.parse(await run(python, [join(root, 'bench', 'acd_simpy.py'), trace, String(ACD_AGENTS)])) as (typeof runs)[number];
      runs.push(r);
      process.stderr.write(`SimPy round ${i + 1}: ${r.seconds.toFixed(2)} s (reading included), ${(r.calls / r.seconds).toFixed(0)} calls/s\n`);
    }
    const simpySecs = median(runs.map((r) => r.seconds));
    const same = runs.every((r) => r.answered === results[0]!.answered && r.abandoned === results[0]!.abandoned && r.calls === results[0]!.calls);
    simpy = { available: true, medianSeconds: Math.round(simpySecs * 100) / 100, callsPerSecond: Math.round(calls / simpySecs), sameOutcomes: same, timesSimPy: Math.round((simpySecs / secs) * 10) / 10 };
    if (!same) process.exitCode = 1;
  }

  console.log(
    JSON.stringify({
      benchmark: 'acd',
      calls,
      agents: ACD_AGENTS,
      rounds,
      medianSeconds: Math.round(secs * 100) / 100,
      medianWholeProcessSeconds: Math.round(median(results.map((r) => r.wallSeconds)) * 100) / 100,
      callsPerSecond: Math.round(calls / secs),
      medianCpuSeconds: Math.round(median(results.map((r) => r.cpuSeconds)) * 100) / 100,
      medianPeakRssMiB: Math.round(median(results.map((r) => r.peakRssMiB))),
      sameReportEveryRound: results.every((r) => r.reportSha256 === results[0]!.reportSha256),
      answered: results[0]!.answered,
      abandoned: results[0]!.abandoned,
      simpy,
      node: process.version,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
