// Runs one replay in its own process and prints wall time and peak RSS as JSON, so the
// benchmark measures the replay alone (not the generator, not the parent).
import { bufferIO } from '../src/cli/cli-io.js';
import { runCli } from '../src/cli/main.js';

const args = process.argv.slice(2);
const io = bufferIO();
const started = process.hrtime.bigint();
const code = await runCli(['replay', ...args, '--json'], io);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
if (code !== 0) {
  process.stderr.write(io.stderr);
  process.exit(code);
}
const report = JSON.parse(io.stdout) as { calls: number; serviceLevel: number | null };
process.stdout.write(
  JSON.stringify({ seconds, calls: report.calls, serviceLevel: report.serviceLevel, peakRssMiB: process.resourceUsage().maxRSS / 1024 }) + '\n',
);
