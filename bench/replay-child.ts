// Runs one replay in its own process and prints wall time, CPU time, peak RSS and a hash of the
// report as JSON, so the benchmark measures the replay alone (not the generator, not the
// parent) and can check that every way of running it prints the same report.
import { createHash } from 'node:crypto';
import { bufferIO } from '../src/cli/cli-io.js';
import { runCli } from '../src/cli/main.js';

// The replay command's modules are loaded before the clock starts: `ivr-sim` imports a command's
// modules when it runs it, and module loading belongs with Node's start-up, which the benchmarks
// print apart as the whole process's time. The clock measures the replay itself.
await import('../src/cli/commands/replay.js');

const args = process.argv.slice(2);
const io = bufferIO();
const started = process.hrtime.bigint();
const cpu = process.cpuUsage();
const code = await runCli(['replay', ...args, '--json'], io);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const used = process.cpuUsage(cpu);
if (code !== 0) {
  process.stderr.write(io.stderr);
  process.exit(code);
}
const report = JSON.parse(io.stdout) as { calls: number; serviceLevel: number | null; answered: number; abandoned: number };
process.stdout.write(
  JSON.stringify({
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    calls: report.calls,
    answered: report.answered,
    abandoned: report.abandoned,
    serviceLevel: report.serviceLevel,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    reportSha256: createHash('sha256').update(io.stdout).digest('hex'),
    reportBytes: Buffer.byteLength(io.stdout),
  }) + '\n',
);
