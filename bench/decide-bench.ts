// Deciding alone, as a replay decides trace calls (`decideTraceCall`: seed 1, recipients kept):
// reads every call of a trace first, then decides them all with a fresh decider, several rounds
// in one process, and prints the CPU and wall time of each round (the first round pays for the
// memoised steps and the JIT). For A/B runs, build two checkouts and run each one's copy.
//   npx tsc -p tsconfig.bench.json && node dist-bench/bench/decide-bench.js TRACE [ROUNDS]
import { loadConfiguration } from '../src/core/configuration/configuration.js';
import { CallDecider } from '../src/core/decision/call-decider.js';
import { decideTraceCall } from '../src/core/replay/compact-decision.js';
import type { TraceCall } from '../src/core/trace/trace-call.js';
import { readTrace } from '../src/core/trace/trace-reader.js';

const [trace, roundsText] = process.argv.slice(2);
if (!trace) throw new Error('usage: decide-bench.js TRACE [ROUNDS]');
const calls: TraceCall[] = [];
for await (const call of readTrace(trace)) calls.push(call);
const rounds: { cpuSeconds: number; seconds: number }[] = [];
for (let r = 0; r < Number(roundsText ?? 5); r++) {
  const decider = new CallDecider(loadConfiguration());
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (const call of calls) decideTraceCall(decider, 1, call, true);
  const used = process.cpuUsage(cpu);
  rounds.push({ cpuSeconds: (used.user + used.system) / 1e6, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
}
process.stdout.write(JSON.stringify({ calls: calls.length, rounds }) + '\n');
