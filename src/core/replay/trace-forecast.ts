import type { QueueForecast } from '../staffing/staffing-plan.js';
import type { CompactDecision, ReplayCall } from './compact-decision.js';

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
 * times: what the Erlang planner needs. Calls count in the interval they reach the queue.
 */
export class TraceForecaster {
  private readonly queues = new Map<string, QueueSums>();
  private firstSec = Infinity;
  private lastSec = -Infinity;
  private readonly perDay: number;

  constructor(private readonly intervalMin: number) {
    this.perDay = (24 * 60) / intervalMin;
  }

  add(call: ReplayCall, decision: CompactDecision | null): void {
    const queue = decision ? decision.route?.queue : call.queue;
    if (!queue) return;
    const queuedSec = call.arrivalSec + (decision?.ivrSec ?? 0);
    this.firstSec = Math.min(this.firstSec, queuedSec);
    this.lastSec = Math.max(this.lastSec, queuedSec);
    let q = this.queues.get(queue);
    if (!q) this.queues.set(queue, (q = { arrivals: new Array(this.perDay).fill(0), talkSec: 0, wrapSec: 0, wrapCount: 0, handled: 0, patienceSec: 0, withPatience: 0 }));
    const secOfDay = ((queuedSec % DAY_SEC) + DAY_SEC) % DAY_SEC;
    q.arrivals[Math.floor(secOfDay / (this.intervalMin * 60))]! += 1;
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

  /** Days the trace covers (at least one): interval counts are averaged over them. */
  days(): number {
    if (this.lastSec < this.firstSec) return 1;
    return Math.max(1, Math.ceil((this.lastSec - Math.floor(this.firstSec / DAY_SEC) * DAY_SEC) / DAY_SEC));
  }

  /**
   * One forecast per queue. Handle time is talk plus after-call work (the trace's, else
   * `defaultWrapSec`); patience is used (Erlang A) only when most callers of the queue have one.
   */
  forecasts(defaultWrapSec: number, queueOrder: readonly string[]): QueueForecast[] {
    const days = this.days();
    const ordered: string[] = [...queueOrder.filter((q) => this.queues.has(q)), ...[...this.queues.keys()].filter((q) => !queueOrder.includes(q)).sort()];
    // Queues without traffic stay in the plan (with no agents) so routes that name them still load.
    for (const queue of queueOrder) if (!this.queues.has(queue)) ordered.push(queue);
    return ordered.map((queue) => {
      const q = this.queues.get(queue);
      if (!q) return { queue, arrivals: new Array<number>(this.perDay).fill(0), ahtSec: 1, wrapSec: Math.round(defaultWrapSec) };
      const wrapSec = q.wrapCount > 0 ? q.wrapSec / q.wrapCount : defaultWrapSec;
      const f: QueueForecast = {
        queue,
        arrivals: q.arrivals.map((n) => n / days),
        ahtSec: q.talkSec / q.handled + wrapSec,
        wrapSec: Math.round(wrapSec),
      };
      if (q.withPatience > q.handled / 2) f.patienceSec = q.patienceSec / q.withPatience;
      return f;
    });
  }
}
