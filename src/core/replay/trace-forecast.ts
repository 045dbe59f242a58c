import type { QueueForecast } from '../staffing/staffing-plan.js';
import type { TraceReader } from '../trace/trace-reader.js';
import type { CompactDecision, ReplayCall } from './compact-decision.js';
import { decideTrace, type TraceCallDecider } from './decided-batches.js';

const DAY_SEC = 86_400;

interface QueueSums {
  arrivals: number[];
  talkSec: number;
  wrapSec: number;
  wrapCount: number;
  handled: number;
  patienceSec: number;
  withPatience: number;
}

/**
 * Folds decided calls into per-queue arrival counts per interval of the day and mean handle
 * times: what the Erlang planner needs. Calls count in the interval they reach the queue, on
 * the replay's clock (seconds since midnight of day 0).
 *
 * An interval's forecast is its calls per full interval of observation, so one covered on
 * several days is averaged over them, and one the trace covers only in part (a trace ending at
 * 11:02 sees 11:00–11:30 for two minutes) is not read as a quiet half hour: a queue with calls
 * there is forecast at the rate seen over that part and the neighbouring interval together
 * (a few minutes alone are too few calls to go by).
 */
export class TraceForecaster {
  private readonly queues = new Map<string, QueueSums>();
  private firstSec = Infinity;
  private lastSec = -Infinity;
  private routed = 0;
  private readonly perDay: number;
  private readonly intervalSec: number;

  constructor(intervalMin: number) {
    this.perDay = (24 * 60) / intervalMin;
    this.intervalSec = intervalMin * 60;
  }

  add(call: ReplayCall, decision: CompactDecision | null): void {
    const queue = decision ? decision.route?.queue : call.queue;
    if (!queue) return;
    const queuedSec = call.arrivalSec + (decision?.ivrSec ?? 0);
    this.firstSec = Math.min(this.firstSec, queuedSec);
    this.lastSec = Math.max(this.lastSec, queuedSec);
    this.routed++;
    let q = this.queues.get(queue);
    if (!q) this.queues.set(queue, (q = { arrivals: new Array(this.perDay).fill(0), talkSec: 0, wrapSec: 0, wrapCount: 0, handled: 0, patienceSec: 0, withPatience: 0 }));
    q.arrivals[this.slotOf(queuedSec)]! += 1;
    q.talkSec += call.talkSec;
    q.handled++;
    if (call.wrapSec !== undefined) {
      q.wrapSec += call.wrapSec;
      q.wrapCount++;
    }
    if (call.patienceSec !== undefined) {
      q.patienceSec += call.patienceSec;
      q.withPatience++;
    }
  }

  /** Days the trace covers (at least one). */
  days(): number {
    if (this.lastSec < this.firstSec) return 1;
    return Math.max(1, Math.ceil((this.lastSec - Math.floor(this.firstSec / DAY_SEC) * DAY_SEC) / DAY_SEC));
  }

  /** First and last queue entry, in seconds on the replay's clock; undefined when no call reached an agent queue. */
  span(): { from: number; to: number } | undefined {
    return this.lastSec < this.firstSec ? undefined : { from: this.firstSec, to: this.lastSec };
  }

  /**
   * Seconds of observation per interval of the day. The window runs from the first queue entry
   * to the last, widened by half the mean gap between entries at each end: n entries spread over
   * S seconds are then a rate of (n − 1) / S, whatever interval the edges fall in.
   */
  private coverage(): number[] {
    const covered = new Array<number>(this.perDay).fill(0);
    if (this.lastSec < this.firstSec) return covered;
    const spread = this.lastSec - this.firstSec;
    const halfGap = this.routed > 1 && spread > 0 ? spread / (this.routed - 1) / 2 : this.intervalSec / 2;
    const from = this.firstSec - halfGap;
    const to = this.lastSec + halfGap;
    for (let start = Math.floor(from / this.intervalSec) * this.intervalSec; start < to; start += this.intervalSec) {
      covered[this.slotOf(start)]! += Math.min(to, start + this.intervalSec) - Math.max(from, start);
    }
    return covered;
  }

  /** Calls per full interval in slot i: see the class comment. */
  private perInterval(counts: readonly number[], covered: readonly number[], i: number): number {
    if (counts[i] === 0) return 0;
    if (covered[i]! >= this.intervalSec) return (counts[i]! * this.intervalSec) / covered[i]!;
    const before = (i + this.perDay - 1) % this.perDay;
    const after = (i + 1) % this.perDay;
    const next = covered[before]! >= covered[after]! ? before : after;
    return ((counts[i]! + counts[next]!) * this.intervalSec) / (covered[i]! + covered[next]!);
  }

  private slotOf(sec: number): number {
    const secOfDay = ((sec % DAY_SEC) + DAY_SEC) % DAY_SEC;
    return Math.floor(secOfDay / this.intervalSec);
  }

  /**
   * One forecast per queue. Handle time is talk plus after-call work (the trace's, else
   * `defaultWrapSec`); patience is used (Erlang A) only when most callers of the queue have one.
   */
  forecasts(defaultWrapSec: number, queueOrder: readonly string[]): QueueForecast[] {
    const covered = this.coverage();
    const ordered: string[] = [...queueOrder.filter((q) => this.queues.has(q)), ...[...this.queues.keys()].filter((q) => !queueOrder.includes(q)).sort()];
    // Queues without traffic stay in the plan (with no agents) so routes that name them still load.
    for (const queue of queueOrder) if (!this.queues.has(queue)) ordered.push(queue);
    return ordered.map((queue) => {
      const q = this.queues.get(queue);
      if (!q) return { queue, arrivals: new Array<number>(this.perDay).fill(0), ahtSec: 1, wrapSec: Math.round(defaultWrapSec) };
      const wrapSec = q.wrapCount > 0 ? q.wrapSec / q.wrapCount : defaultWrapSec;
      const f: QueueForecast = {
        queue,
        arrivals: q.arrivals.map((_, i) => this.perInterval(q.arrivals, covered, i)),
        ahtSec: q.talkSec / q.handled + wrapSec,
        wrapSec: Math.round(wrapSec),
      };
      if (q.withPatience > q.handled / 2) f.patienceSec = q.patienceSec / q.withPatience;
      return f;
    });
  }
}

/**
 * Reads and decides a trace exactly as a replay does, on the same clock (a trace written with
 * arrivalTime is moved to its first call's time of day), and folds it into a forecaster: a plan
 * made from it is on the hours the replay will meet.
 */
export async function forecastTrace(
  reader: TraceReader,
  decide: TraceCallDecider,
  intervalMin: number,
  onProgress?: (calls: number) => void,
): Promise<{ forecaster: TraceForecaster; calls: number }> {
  const forecaster = new TraceForecaster(intervalMin);
  let calls = 0;
  for await (const batch of decideTrace(reader, [decide])) {
    if ('inputs' in batch) throw new Error('forecastTrace: a batch was left undecided');
    for (let i = 0; i < batch.calls.length; i++) {
      forecaster.add(batch.calls[i]!, batch.decisions[i]![0]!);
      if (++calls % 10_000 === 0) onProgress?.(calls);
    }
  }
  return { forecaster, calls };
}
