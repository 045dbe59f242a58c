// npm run bench: generate a 1,000,000-call trace, then replay it end to end (flows, rules,
// contact centre, KPIs) several times, each in a fresh process; print calls/s and peak RSS.
// The replay decides calls in a worker thread (as the CLI does for a trace this size);
// IVR_SIM_REPLAY_WORKERS=0 npm run bench measures it in one thread.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, run } from './bench-util.js';

const calls = Number(process.env['BENCH_CALLS'] ?? 1_000_000);
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '..', '..');
const cli = join(root, 'bin', 'ivr-sim.js');
const dir = join(tmpdir(), 'ivr-sim-bench');
mkdirSync(dir, { recursive: true });
const trace = join(dir, `trace-${calls}.jsonl`);

if (!existsSync(trace)) {
  process.stderr.write(`generating ${calls} calls (the sample day profile, repeated day after day) …\n`);
  // The sample hotline's own day: about 19,600 calls a day, so a million calls is some 50 days.
  await run(process.execPath, [cli, 'gen', '--calls', String(calls), '--seed', '1', '--day-profile', join(root, 'data', 'day-profile.json'), '--out', trace]);
}
process.stderr.write(`trace ${trace}: ${(statSync(trace).size / 2 ** 20).toFixed(0)} MiB\n`);

const results: Array<{ seconds: number; calls: number; peakRssMiB: number; serviceLevel: number | null }> = [];
for (let i = 0; i < rounds; i++) {
  const out = await run(process.execPath, [join(here, 'replay-child.js'), trace]);
  const r = JSON.parse(out) as (typeof results)[number];
  results.push(r);
  process.stderr.write(`round ${i + 1}: ${r.seconds.toFixed(1)} s, ${(r.calls / r.seconds).toFixed(0)} calls/s, peak RSS ${r.peakRssMiB.toFixed(0)} MiB\n`);
}
const secs = median(results.map((r) => r.seconds));
console.log(
  JSON.stringify({
    benchmark: 'replay',
    calls,
    rounds,
    medianSeconds: Math.round(secs * 10) / 10,
    callsPerSecond: Math.round(calls / secs),
    medianPeakRssMiB: Math.round(median(results.map((r) => r.peakRssMiB))),
    serviceLevel: results[0]!.serviceLevel,
    workers: process.env['IVR_SIM_REPLAY_WORKERS'] ?? 'auto',
    node: process.version,
  }),
);
