import type { Readable } from 'node:stream';
import type { Decision } from '../decision/decision.js';
import type { TraceCall } from '../trace/trace-call.js';
import { readTrace, type TraceReadStats } from '../trace/trace-reader.js';
import type { InputInfo } from './replay-report.js';
import type { ReplayRun } from './replay-run.js';

export interface ReplayOptions {
  /** `fail` (default): stop at bad lines and list them; `skip`: leave them out and count them. */
  onError?: 'fail' | 'skip';
  /** Sort by arrival instead of refusing out-of-order lines (holds the trace in memory). */
  sort?: boolean;
  /** Called every `progressEvery` calls with the number of calls done. */
  onProgress?: (calls: number) => void;
  progressEvery?: number;
  /** Sees each call with its decision in every run (compare uses it to spot differences). */
  onCall?: (call: TraceCall, decisions: (Decision | null)[]) => void;
}

/**
 * Streams a trace through one or more runs in lockstep: each call is read once, decided by
 * every run's configuration, and offered to every run's contact centre. Memory stays bounded
 * by the calls in progress (plus the set of call ids the reader checks for duplicates).
 */
export async function replayTrace(source: string | Readable, runs: readonly ReplayRun[], opts: ReplayOptions = {}): Promise<InputInfo> {
  const queues = new Set(runs.flatMap((r) => r.scenario.staffing.queues.map((q) => q.id)));
  const reader = readTrace(source, { onError: opts.onError ?? 'fail', sort: opts.sort ?? false, queues });
  const every = opts.progressEvery ?? 10_000;
  let n = 0;
  // A trace written with arrivalTime counts seconds from its first call; shift it to that call's
  // time of day so it meets the shifts that were on duty then.
  let offset: number | undefined;
  for await (const read of reader) {
    offset ??= reader.stats().origin?.secOfDay ?? 0;
    if (n === 0) for (const r of runs) r.setTraceOrigin(reader.stats().origin);
    const call = offset === 0 ? read : { ...read, arrivalSec: read.arrivalSec + offset };
    const decisions = runs.map((r) => r.decide(call));
    runs.forEach((r, i) => r.offer(call, decisions[i]!));
    opts.onCall?.(call, decisions);
    if (++n % every === 0) opts.onProgress?.(n);
  }
  opts.onProgress?.(n);
  return inputInfo(reader.stats());
}

function inputInfo(s: TraceReadStats): InputInfo {
  const skippedByReason = Object.fromEntries(Object.entries(s.skippedByReason).filter(([, v]) => v > 0));
  return { lines: s.read, calls: s.calls, skipped: s.skipped, skippedByReason, blank: s.blank };
}
