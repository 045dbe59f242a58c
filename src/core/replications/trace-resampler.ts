import { SeededRandom } from '../random/seeded-random.js';
import type { DecideInput, ReplayCall } from '../replay/compact-decision.js';
import type { TraceReadStats } from '../trace/trace-reader.js';
import { poisson, volumeFactor } from './random-variates.js';

/** A recorded call as the resampler keeps it: what the contact centre and the decision read. */
export interface RecordedCall {
  call: ReplayCall;
  input: DecideInput;
}

/**
 * The recorded trace in memory, arrival times on the replay's clock (a trace written with
 * arrivalTime already shifted to its first call's time of day). Plain data: it crosses to
 * worker threads as it is.
 */
export interface RecordedDay {
  calls: RecordedCall[];
  origin?: TraceReadStats['origin'];
}

/** How the other days are drawn from the recorded one. */
export interface ResamplingPlan {
  seed: number;
  /** Length of the intervals whose call counts are resampled (the reporting interval). */
  intervalSec: number;
  /** Coefficient of variation of the day-level volume factor; 0: every day has the recorded expected volume. */
  volumeCv: number;
}

/** One plausible other day: calls in arrival order, with fresh call ids. */
export interface ResampledDay {
  calls: ReplayCall[];
  inputs: DecideInput[];
  origin?: TraceReadStats['origin'];
  volumeFactor: number;
}

/** The `method` the report names. */
export function resamplingMethod(plan: ResamplingPlan): string {
  const volume = plan.volumeCv > 0 ? `, day volume factor gamma(mean 1, cv ${plan.volumeCv})` : '';
  return `poisson-bootstrap per ${plan.intervalSec / 60}-minute interval, jittered arrivals, fresh call ids${volume}`;
}

/**
 * Draws replication `index` (0-based) of a recorded day. Within every interval of the trace's
 * span the number of calls is Poisson with the recorded count as its mean (times the day's
 * volume factor); each call is a copy of one of that interval's recorded calls, drawn with
 * replacement (its caller, keys, talk, wrap and patience together), arriving at a uniformly
 * random time within the part of the interval the trace covers. So the time-of-day profile,
 * the caller mix and every per-call behaviour are those of the recording, while which calls
 * come, how many and when vary as between days. The draw depends only on (seed, index).
 */
export function resampleDay(day: RecordedDay, plan: ResamplingPlan, index: number): ResampledDay {
  const random = SeededRandom.stream(plan.seed, `replication ${index}`);
  const factor = volumeFactor(random, plan.volumeCv);
  const drawn: { arrivalSec: number; from: RecordedCall }[] = [];
  const { calls } = day;
  if (calls.length > 0) {
    const first = calls[0]!.call.arrivalSec;
    const last = calls[calls.length - 1]!.call.arrivalSec;
    const L = plan.intervalSec;
    // Calls are in arrival order, so each interval is a run of them.
    for (let start = 0; start < calls.length; ) {
      const interval = Math.floor(calls[start]!.call.arrivalSec / L);
      let end = start;
      while (end < calls.length && Math.floor(calls[end]!.call.arrivalSec / L) === interval) end++;
      const n = end - start;
      const lo = Math.max(interval * L, first);
      const hi = Math.min((interval + 1) * L, last);
      const k = poisson(random, n * factor);
      for (let j = 0; j < k; j++) {
        const from = calls[start + Math.floor(random.next() * n)]!;
        const arrivalSec = Math.round((lo + random.next() * (hi - lo)) * 1000) / 1000;
        drawn.push({ arrivalSec, from });
      }
      start = end;
    }
  }
  // A stable sort: calls drawn at the same millisecond keep their draw order.
  drawn.sort((a, b) => a.arrivalSec - b.arrivalSec);
  const out: ResampledDay = { calls: [], inputs: [], volumeFactor: factor };
  if (day.origin) out.origin = day.origin;
  const width = String(drawn.length).length;
  drawn.forEach(({ arrivalSec, from }, i) => {
    const callId = `r${index + 1}-${String(i + 1).padStart(width, '0')}`;
    out.calls.push({ ...from.call, callId, arrivalSec });
    out.inputs.push({ ...from.input, callId });
  });
  return out;
}
