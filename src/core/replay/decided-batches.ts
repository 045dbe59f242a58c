import type { TraceReader, TraceReadStats } from '../trace/trace-reader.js';
import { decideInputOf, replayCallOf, type CompactDecision, type DecideInput, type ReplayCall } from './compact-decision.js';
import type { InputInfo } from './replay-report.js';

/** Calls in trace order with their decisions, ready to be offered to the runs. */
export interface DecidedBatch {
  calls: ReplayCall[];
  /** Per call, one decision per scenario in the order of the runs (null for ACD-level lines). */
  decisions: (CompactDecision | null)[][];
  /** On the first batch of a trace written with arrivalTime: where its clock starts. */
  origin?: TraceReadStats['origin'];
}

/** Calls read and checked but left for the receiving thread to decide. */
export interface UndecidedBatch {
  calls: ReplayCall[];
  inputs: DecideInput[];
  origin?: TraceReadStats['origin'];
}

export type TraceBatch = DecidedBatch | UndecidedBatch;

/** Decides a trace call for one scenario. */
export type TraceCallDecider = (call: DecideInput) => CompactDecision | null;

/**
 * What makes two scenarios decide every call alike: the same flows and rules (the configuration
 * version), the same customers file, the same seed (the rolling promotions) and whether the
 * decisions say whom the SMS go to. compare's baseline and candidate often differ only in
 * staffing; they then share one decision per call.
 */
export function decisionsKey(scenario: { version: string; customersFile: string; seed: number; recipients: boolean }): string {
  return JSON.stringify([scenario.version, scenario.customersFile, scenario.seed, scenario.recipients]);
}

/**
 * Deciders in which a scenario with the same `decisionsKey` as an earlier one hands out the
 * decision the earlier one made for the same call (deciders run in order, call by call) instead
 * of deciding it again. Decisions are plain data that no run changes, so sharing one is safe.
 */
export function shareDecisions(deciders: readonly TraceCallDecider[], keys: readonly string[]): TraceCallDecider[] {
  const last = deciders.map(() => ({ call: undefined as DecideInput | undefined, decision: null as CompactDecision | null }));
  return deciders.map((decide, k) => {
    const first = keys.indexOf(keys[k]!);
    if (first !== k) {
      const made = last[first]!;
      return (call) => (made.call === call ? made.decision : decide(call));
    }
    if (!keys.some((key, j) => j > k && key === keys[k])) return decide;
    const made = last[k]!;
    return (call) => {
      made.call = undefined;
      made.decision = decide(call);
      made.call = call;
      return made.decision;
    };
  });
}

/** Calls per batch: large enough that messages between threads are few, small enough to stay cheap. */
export const DEFAULT_BATCH_SIZE = 2000;

/**
 * Reads a trace and decides each call for every scenario, in batches. Runs in the replay's
 * thread or in a worker; either way the calls come out in the same order with the same
 * decisions. A failure (a bad line, a decider's error) first lets out the calls before it, so
 * the runs see what they would have seen call by call, then is rethrown.
 *
 * @param leaveUndecided asked as each batch starts: true leaves its calls for the receiving
 * thread to decide (see `decideHere`); decisions do not depend on which thread makes them
 */
export async function* decideTrace(
  reader: TraceReader,
  deciders: readonly TraceCallDecider[],
  batchSize = DEFAULT_BATCH_SIZE,
  leaveUndecided: () => boolean = () => false,
): AsyncGenerator<TraceBatch> {
  const next = (): TraceBatch => (leaveUndecided() ? { calls: [], inputs: [] } : { calls: [], decisions: [] });
  let batch = next();
  // A trace written with arrivalTime counts seconds from its first call; shift it to that call's
  // time of day so it meets the shifts that were on duty then.
  let offset: number | undefined;
  try {
    // A chunk of calls per await: an await per call would cost more than reading it.
    for await (const reads of reader.batches()) for (const read of reads) {
      if (offset === undefined) {
        const origin = reader.stats().origin;
        offset = origin?.secOfDay ?? 0;
        if (origin) batch.origin = origin;
      }
      if ('inputs' in batch) batch.inputs.push(decideInputOf(read));
      else batch.decisions.push(deciders.map((decide) => decide(read)));
      // The trace call itself is the replay's call when its clock needs no shift (no copy per call).
      batch.calls.push(offset === 0 ? read : replayCallOf(read, read.arrivalSec + offset));
      if (batch.calls.length >= batchSize) {
        yield batch;
        batch = next();
      }
    }
  } catch (err) {
    if (batch.calls.length > 0) yield batch;
    throw err;
  }
  if (batch.calls.length > 0) yield batch;
}

/** Calls decided in the receiving thread per batch it hands on (see `decideHere`). */
export const DECIDE_HERE_CHUNK = 64;

/**
 * A batch as the runs take it: decided already, or decided now with this thread's deciders, a
 * few calls at a time (`chunk`): decisions offered soon after they are made die young, where the
 * decisions of a whole batch held until its last call is decided outlive minor collections.
 * As in `decideTrace`, a decider's error lets out the calls decided before it first.
 */
export function* decideHere(batch: TraceBatch, deciders: readonly TraceCallDecider[], chunk = DECIDE_HERE_CHUNK): Generator<DecidedBatch> {
  if (!('inputs' in batch)) {
    yield batch;
    return;
  }
  let decided: DecidedBatch = { calls: [], decisions: [] };
  if (batch.origin) decided.origin = batch.origin;
  try {
    for (let i = 0; i < batch.calls.length; i++) {
      const input = batch.inputs[i]!;
      decided.decisions.push(deciders.map((decide) => decide(input)));
      decided.calls.push(batch.calls[i]!);
      if (decided.calls.length >= chunk && i + 1 < batch.calls.length) {
        yield decided;
        decided = { calls: [], decisions: [] };
      }
    }
  } catch (err) {
    if (decided.calls.length > 0) yield decided;
    throw err;
  }
  yield decided;
}

/** The report's account of the input, from the reader's final counts. */
export function inputInfo(s: TraceReadStats): InputInfo {
  const skippedByReason = Object.fromEntries(Object.entries(s.skippedByReason).filter(([, v]) => v > 0));
  const info: InputInfo = { lines: s.read, calls: s.calls, skipped: s.skipped, skippedByReason, blank: s.blank };
  if (s.skippedLines.length) info.skippedLines = s.skippedLines.map(({ line, field, reason, message }) => ({ line, field, reason, message }));
  return info;
}
