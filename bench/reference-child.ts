// The yardstick of `npm run bench`: the reference path (XState step by step and json-rules-engine
// itself, `CallDecider.decideReference`) deciding a sample of the trace's calls, spread over the
// whole trace, each call given exactly what the replay gives it. Decisions only: no reading
// (the sample is read before the clock starts), no contact centre, no KPIs. Prints calls/s.
import { loadConfiguration } from '../src/core/configuration/configuration.js';
import { CallDecider, rotationOf, type CallInput } from '../src/core/decision/call-decider.js';
import { readTrace } from '../src/core/trace/trace-reader.js';
import type { TraceCall } from '../src/core/trace/trace-call.js';

const [trace, sampleText, seedText] = process.argv.slice(2);
const sample = Number(sampleText ?? 2000);
const seed = Number(seedText ?? 1);
const all: TraceCall[] = [];
let total = 0;
for await (const call of readTrace(trace!)) {
  total++;
  if (call.queue === undefined) all.push(call);
}
const every = Math.max(1, Math.floor(all.length / sample));
const calls = all.filter((_, i) => i % every === 0).slice(0, sample);
all.length = 0;

// As decideTraceCall builds it for the fast path.
const inputOf = (call: TraceCall): CallInput => {
  const input: CallInput = { callId: call.callId, keys: call.keys, rotation: rotationOf(`${seed}:${call.callId}`) };
  if (call.caller !== undefined) input.caller = call.caller;
  if (call.profile !== undefined) input.profile = call.profile;
  if (call.language !== undefined) input.language = call.language;
  if (call.hangupInIvrSec !== undefined) input.hangupInIvrSec = call.hangupInIvrSec;
  return input;
};
const decider = new CallDecider(loadConfiguration());
for (const call of calls.slice(0, Math.min(200, calls.length))) await decider.decideReference(inputOf(call)); // warm-up
const started = process.hrtime.bigint();
for (const call of calls) await decider.decideReference(inputOf(call));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(JSON.stringify({ traceCalls: total, sampled: calls.length, seconds, callsPerSecond: calls.length / seconds }) + '\n');
