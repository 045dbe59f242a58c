import type { Readable } from 'node:stream';
import type { CallDecider } from '../decision/call-decider.js';
import { decideInputOf, decideTraceCall, replayCallOf, type CompactDecision } from '../replay/compact-decision.js';
import { inputInfo } from '../replay/decided-batches.js';
import type { InputInfo, ReplayReport, ScenarioInfo } from '../replay/replay-report.js';
import { ReplayRun, type Scenario } from '../replay/replay-run.js';
import type { CallOutcome } from '../simulation/call-outcome.js';
import type { OfferedCall } from '../simulation/offered-call.js';
import { readTrace, type TraceReaderOptions } from '../trace/trace-reader.js';
import type { RecordedDay } from './trace-resampler.js';

/**
 * Reads a trace into memory as the replay reads it (same checks, same handling of bad lines),
 * with arrivals on the replay's clock: a trace written with arrivalTime counts from its first
 * call's time of day.
 */
export async function readRecordedDay(source: string | Readable, options: TraceReaderOptions): Promise<RecordedDay> {
  return (await readRecordedTrace(source, options)).day;
}

/** `readRecordedDay`, with the account of the lines read that a replay of the file reports as its `input`. */
export async function readRecordedTrace(source: string | Readable, options: TraceReaderOptions): Promise<{ day: RecordedDay; input: InputInfo }> {
  const reader = readTrace(source, options);
  const day: RecordedDay = { calls: [] };
  let offset: number | undefined;
  for await (const call of reader) {
    if (offset === undefined) {
      const origin = reader.stats().origin;
      offset = origin?.secOfDay ?? 0;
      if (origin) day.origin = origin;
    }
    day.calls.push({ call: replayCallOf(call, call.arrivalSec + offset), input: decideInputOf(call) });
  }
  return { day, input: inputInfo(reader.stats()) };
}

export interface RecordedDayReplayOptions {
  /** How the report names the inputs; blanks by default. */
  info?: Partial<Omit<ScenarioInfo, 'configVersion' | 'seed' | 'thresholdSec' | 'serviceLevelTarget' | 'intervalMin' | 'staffing'>>;
  /** Sees every simulated call's outcome, with the call as offered and the first call of its chain of retries. */
  onOutcome?: (o: CallOutcome, call: OfferedCall, firstCallOfChain: string) => void;
  /** The report's `input` (e.g. `readRecordedTrace`'s, for the report a replay of the file gives); by default every call counts as a line read. */
  input?: InputInfo;
  /**
   * Decides the calls instead of a decider of the run's own: one kept across days for the same
   * configuration and seed (decisions depend only on the call, the configuration and the seed).
   */
  decider?: CallDecider;
}

/**
 * Replays a trace held in memory (`readRecordedDay`) against one scenario, as `replay` replays
 * the file: the same calls, decisions and report. Meant to be called many times on one day,
 * e.g. with the scenario's seed changed to vary the patience and retrial draws of a
 * queue-behaviour model (arrivals and talk times stay as recorded); each call is independent.
 * The report gives the KPIs overall, per interval, per day and per queue, and `retrials`.
 */
export function replayRecordedDay(day: RecordedDay, scenario: Scenario, opts: RecordedDayReplayOptions = {}): ReplayReport {
  const run = new ReplayRun(scenario);
  const decider: CallDecider = opts.decider ?? run.decider;
  if (scenario.behaviour) {
    const retried = new Set<string>();
    for (const { call } of day.calls) if (call.retryOf !== undefined) retried.add(call.retryOf);
    run.setRecordedRetries(retried);
  }
  if (opts.onOutcome) {
    const listener = opts.onOutcome;
    run.observeOutcomes((o, call) => listener(o, call, run.firstCallOfChain(o.callId)));
  }
  run.setTraceOrigin(day.origin);
  const recipients = scenario.contactPolicy !== undefined;
  for (const { call, input } of day.calls) {
    const decision: CompactDecision | null = decideTraceCall(decider, scenario.seed, input, recipients);
    run.offer(call, decision);
  }
  const input: InputInfo = opts.input ?? { lines: day.calls.length, calls: day.calls.length, skipped: 0, skippedByReason: {}, blank: 0 };
  const paths = scenario.config.paths;
  return run.report({ trace: '', flowsDir: paths.flowsDir, rulesDir: paths.rulesDir, customersFile: paths.customersFile, ...opts.info }, input);
}
