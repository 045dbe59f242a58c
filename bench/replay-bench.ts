// npm run bench: generate a 1,000,000-call trace, then replay it end to end (flows, rules,
// contact centre, KPIs) several times, each in a fresh process; print calls/s and peak RSS.
// The replay decides calls in a worker thread (as the CLI does for a trace this size);
// IVR_SIM_REPLAY_WORKERS=0 npm run bench measures it in one thread.
// In the same run it also replays once in one thread (IVR_SIM_REPLAY_WORKERS=0) and checks that
// every round printed the same report, byte for byte; and it times the reference path (XState
// step by step + json-rules-engine) deciding a sample of the same calls, to print end-to-end
// calls/s as a multiple of the reference's decisions-only calls/s.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, run } from './bench-util.js';

const calls = Number(process.env['BENCH_CALLS'] ?? 1_000_000);
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
const referenceSample = Number(process.env['BENCH_REFERENCE_CALLS'] ?? 2000);
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

interface Round {
  seconds: number;
  cpuSeconds: number;
  calls: number;
  peakRssMiB: number;
  serviceLevel: number | null;
  reportSha256: string;
  reportBytes: number;
}

const replay = async (env: NodeJS.ProcessEnv = {}): Promise<Round> => JSON.parse(await run(process.execPath, [join(here, 'replay-child.js'), trace], { env })) as Round;
const line = (label: string, r: Round) =>
  `${label}: ${r.seconds.toFixed(2)} s, ${(r.calls / r.seconds).toFixed(0)} calls/s, CPU ${r.cpuSeconds.toFixed(1)} s, peak RSS ${r.peakRssMiB.toFixed(0)} MiB\n`;

const results: Round[] = [];
for (let i = 0; i < rounds; i++) {
  const r = await replay();
  results.push(r);
  process.stderr.write(line(`round ${i + 1}`, r));
}
// The single-threaded path of the same commit: the report every round must match.
const single = await replay({ IVR_SIM_REPLAY_WORKERS: '0' });
process.stderr.write(line('one thread', single));
const sameReport = results.every((r) => r.reportSha256 === single.reportSha256);

const reference = JSON.parse(await run(process.execPath, [join(here, 'reference-child.js'), trace, String(referenceSample)])) as {
  sampled: number;
  seconds: number;
  callsPerSecond: number;
};
process.stderr.write(`reference path (XState step by step + json-rules-engine), decisions only: ${reference.sampled} calls in ${reference.seconds.toFixed(2)} s, ${reference.callsPerSecond.toFixed(0)} calls/s\n`);

const secs = median(results.map((r) => r.seconds));
const callsPerSecond = calls / secs;
console.log(
  JSON.stringify({
    benchmark: 'replay',
    calls,
    rounds,
    medianSeconds: Math.round(secs * 100) / 100,
    callsPerSecond: Math.round(callsPerSecond),
    medianCpuSeconds: Math.round(median(results.map((r) => r.cpuSeconds)) * 10) / 10,
    medianPeakRssMiB: Math.round(median(results.map((r) => r.peakRssMiB))),
    oneThreadSeconds: Math.round(single.seconds * 100) / 100,
    referenceDecisionsPerSecond: Math.round(reference.callsPerSecond),
    timesReference: Math.round((callsPerSecond / reference.callsPerSecond) * 10) / 10,
    sameReportAsOneThread: sameReport,
    reportSha256: single.reportSha256,
    serviceLevel: results[0]!.serviceLevel,
    workers: process.env['IVR_SIM_REPLAY_WORKERS'] ?? 'auto',
    node: process.version,
  }),
);
if (!sameReport) {
  process.stderr.write(`REPORTS DIFFER: rounds ${results.map((r) => r.reportSha256.slice(0, 12)).join(', ')}; one thread ${single.reportSha256.slice(0, 12)}\n`);
  process.exitCode = 1;
}
