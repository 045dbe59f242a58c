/**
 * Folds call outcomes into the figures a contact-centre report shows, overall, per queue and
 * per reporting interval. Only running sums are kept (one set per queue per interval), never
 * the calls themselves.
 *
 * Definitions:
 * - offered: calls that reached the agent queues (answered + abandoned + unanswered, where
 *   unanswered are calls still waiting when the simulation drained with nobody to take them).
 * - serviceLevel = answeredWithinThreshold ÷ offered. A call that hangs up counts against the
 *   service level however quickly it hangs up; this is the Erlang A definition (erlang-a.ts),
 *   so simulated and analytic figures compare directly.
 * - asaSec: mean queue wait of answered calls, immediate answers included.
 * - ahtSec: mean talk + after-call work of answered calls.
 * - abandonRate = abandoned ÷ offered.
 * - occupancy = agent busy time (talk and after-call work) ÷ agent staffed time, from the
 *   simulator's group series. Agents are staffed per group, not per queue, so per-queue
 *   figures carry no occupancy (null); the overall and per-interval figures use all groups.
 * A ratio with nothing to divide by is null.
 * Calls belong to the interval in which they entered the queues, and by default to the queue
 * they were answered from (or last offered to); `keyBy` can group them otherwise, e.g. by
 * entry queue.
 */

import type { CallOutcome } from './call-outcome.js';

export interface Kpis {
  offered: number;
  answered: number;
  abandoned: number;
  /** Neither answered nor abandoned: no agent could ever take the call. */
  unanswered: number;
  answeredWithinThreshold: number;
  serviceLevel: number | null;
  asaSec: number | null;
  ahtSec: number | null;
  abandonRate: number | null;
  staffedAgentSec: number;
  busyAgentSec: number;
  occupancy: number | null;
}

export interface IntervalKpis extends Kpis {
  interval: number;
  startSec: number;
}

export interface QueueKpis {
  queue: string;
  overall: Kpis;
  intervals: IntervalKpis[];
}

export interface GroupOccupancy {
  group: string;
  staffedAgentSec: number;
  busyAgentSec: number;
  occupancy: number | null;
  intervals: Array<{ interval: number; startSec: number; staffedAgentSec: number; busyAgentSec: number; occupancy: number | null }>;
}

export interface KpiReport {
  thresholdSec: number;
  intervalSec: number;
  overall: Kpis;
  /** All queues together; every interval from the first to the last with any call or agent time. */
  intervals: IntervalKpis[];
  queues: QueueKpis[];
  groups: GroupOccupancy[];
}

/** Agent time of one group in one interval; ContactCentre.groupSeries() rows fit. */
export interface AgentTimeSample {
  group: string;
  interval: number;
  staffedAgentSec: number;
  busyAgentSec: number;
}

export interface QueueKpiOptions {
  thresholdSec: number;
  intervalSec: number;
  /** Which queue a call counts under; defaults to `outcome.queue`. */
  keyBy?: (outcome: CallOutcome) => string;
  /** Order of queues in the report (e.g. the staffing file's); others follow alphabetically. */
  queueOrder?: readonly string[];
}

interface Sums {
  offered: number;
  answered: number;
  abandoned: number;
  unanswered: number;
  answeredWithinThreshold: number;
  waitOfAnswered: number;
  handleOfAnswered: number;
  staffedAgentSec: number;
  busyAgentSec: number;
}

function emptySums(): Sums {
  return {
    offered: 0,
    answered: 0,
    abandoned: 0,
    unanswered: 0,
    answeredWithinThreshold: 0,
    waitOfAnswered: 0,
    handleOfAnswered: 0,
    staffedAgentSec: 0,
    busyAgentSec: 0,
  };
}

export class QueueKpiAccumulator {
  private readonly thresholdSec: number;
  private readonly intervalSec: number;
  private readonly keyBy: (outcome: CallOutcome) => string;
  private readonly queueOrder: readonly string[];
  /** queue → interval → sums */
  private readonly calls = new Map<string, Map<number, Sums>>();
  /** group → interval → sums (agent time only) */
  private readonly agents = new Map<string, Map<number, Sums>>();
  private firstInterval = Infinity;
  private lastInterval = -Infinity;
  /** The sums the last call went to, with their queue key and interval. */
  private lastSums: Sums | undefined;
  private lastKey = '';
  private lastCallInterval = NaN;

  constructor(options: QueueKpiOptions) {
    if (!(options.thresholdSec >= 0)) throw new RangeError(`threshold must be >= 0 seconds, got ${options.thresholdSec}`);
    if (!(options.intervalSec > 0)) throw new RangeError(`interval must be > 0 seconds, got ${options.intervalSec}`);
    this.thresholdSec = options.thresholdSec;
    this.intervalSec = options.intervalSec;
    this.keyBy = options.keyBy ?? ((o) => o.queue);
    this.queueOrder = options.queueOrder ?? [];
  }

  add(outcome: CallOutcome): void {
    const interval = Math.floor(outcome.queuedSec / this.intervalSec);
    const key = this.keyBy(outcome);
    let sums = this.lastSums;
    // Calls come mostly in queue-entry order: the previous call's sums are usually this one's.
    if (sums === undefined || interval !== this.lastCallInterval || key !== this.lastKey) {
      sums = this.lastSums = this.slot(this.calls, key, interval);
      this.lastKey = key;
      this.lastCallInterval = interval;
    }
    sums.offered += 1;
    if (outcome.answered) {
      sums.answered += 1;
      sums.waitOfAnswered += outcome.waitSec;
      sums.handleOfAnswered += outcome.talkSec + outcome.wrapSec;
      if (outcome.waitSec <= this.thresholdSec) sums.answeredWithinThreshold += 1;
    } else if (outcome.abandoned) {
      sums.abandoned += 1;
    } else {
      sums.unanswered += 1;
    }
  }

  addAgentTime(sample: AgentTimeSample): void {
    const sums = this.slot(this.agents, sample.group, sample.interval);
    sums.staffedAgentSec += sample.staffedAgentSec;
    sums.busyAgentSec += sample.busyAgentSec;
  }

  report(): KpiReport {
    const range: number[] = [];
    for (let i = this.firstInterval; i <= this.lastInterval; i++) range.push(i);

    const agentTotals = range.map((interval) => {
      const sums = emptySums();
      for (const byInterval of this.agents.values()) addInto(sums, byInterval.get(interval));
      return sums;
    });
    const callTotals = range.map((interval) => {
      const sums = emptySums();
      for (const byInterval of this.calls.values()) addInto(sums, byInterval.get(interval));
      return sums;
    });

    const overall = emptySums();
    const intervals = range.map((interval, i) => {
      const sums = emptySums();
      addInto(sums, callTotals[i]);
      addInto(sums, agentTotals[i]);
      addInto(overall, sums);
      return { interval, startSec: interval * this.intervalSec, ...kpis(sums, true) };
    });

    const queues = this.orderedQueues().map((queue) => {
      const byInterval = this.calls.get(queue)!;
      const total = emptySums();
      const rows = range.map((interval) => {
        const sums = byInterval.get(interval) ?? emptySums();
        addInto(total, sums);
        return { interval, startSec: interval * this.intervalSec, ...kpis(sums, false) };
      });
      return { queue, overall: kpis(total, false), intervals: rows };
    });

    const groups = [...this.agents.keys()].sort().map((group) => {
      const byInterval = this.agents.get(group)!;
      const total = emptySums();
      const rows = range.map((interval) => {
        const sums = byInterval.get(interval) ?? emptySums();
        addInto(total, sums);
        return {
          interval,
          startSec: interval * this.intervalSec,
          staffedAgentSec: sums.staffedAgentSec,
          busyAgentSec: sums.busyAgentSec,
          occupancy: ratio(sums.busyAgentSec, sums.staffedAgentSec),
        };
      });
      return {
        group,
        staffedAgentSec: total.staffedAgentSec,
        busyAgentSec: total.busyAgentSec,
        occupancy: ratio(total.busyAgentSec, total.staffedAgentSec),
        intervals: rows,
      };
    });

    return {
      thresholdSec: this.thresholdSec,
      intervalSec: this.intervalSec,
      overall: kpis(overall, true),
      intervals,
      queues,
      groups,
    };
  }

  /**
   * All queues and agent groups together, summed over the intervals that `keyOf` maps to the
   * same key (e.g. the day, or the time of day): what a report shows per day or per half-hour
   * of the day across days. Keys come out in ascending order.
   */
  rollUp(keyOf: (interval: number) => number): Map<number, Kpis> {
    const byKey = new Map<number, Sums>();
    for (const source of [this.calls, this.agents]) {
      for (const byInterval of source.values()) {
        for (const [interval, sums] of byInterval) {
          const key = keyOf(interval);
          let target = byKey.get(key);
          if (!target) byKey.set(key, (target = emptySums()));
          addInto(target, sums);
        }
      }
    }
    return new Map([...byKey.entries()].sort(([a], [b]) => a - b).map(([key, sums]) => [key, kpis(sums, true)]));
  }

  private slot(map: Map<string, Map<number, Sums>>, key: string, interval: number): Sums {
    let byInterval = map.get(key);
    if (!byInterval) {
      byInterval = new Map();
      map.set(key, byInterval);
    }
    let sums = byInterval.get(interval);
    if (!sums) {
      sums = emptySums();
      byInterval.set(interval, sums);
    }
    this.firstInterval = Math.min(this.firstInterval, interval);
    this.lastInterval = Math.max(this.lastInterval, interval);
    return sums;
  }

  private orderedQueues(): string[] {
    const seen = [...this.calls.keys()];
    const listed = this.queueOrder.filter((q) => this.calls.has(q));
    const rest = seen.filter((q) => !this.queueOrder.includes(q)).sort();
    return [...listed, ...rest];
  }
}

function addInto(target: Sums, source: Sums | undefined): void {
  if (!source) return;
  target.offered += source.offered;
  target.answered += source.answered;
  target.abandoned += source.abandoned;
  target.unanswered += source.unanswered;
  target.answeredWithinThreshold += source.answeredWithinThreshold;
  target.waitOfAnswered += source.waitOfAnswered;
  target.handleOfAnswered += source.handleOfAnswered;
  target.staffedAgentSec += source.staffedAgentSec;
  target.busyAgentSec += source.busyAgentSec;
}

function kpis(sums: Sums, withOccupancy: boolean): Kpis {
  return {
    offered: sums.offered,
    answered: sums.answered,
    abandoned: sums.abandoned,
    unanswered: sums.unanswered,
    answeredWithinThreshold: sums.answeredWithinThreshold,
    serviceLevel: ratio(sums.answeredWithinThreshold, sums.offered),
    asaSec: ratio(sums.waitOfAnswered, sums.answered),
    ahtSec: ratio(sums.handleOfAnswered, sums.answered),
    abandonRate: ratio(sums.abandoned, sums.offered),
    staffedAgentSec: sums.staffedAgentSec,
    busyAgentSec: sums.busyAgentSec,
    occupancy: withOccupancy ? ratio(sums.busyAgentSec, sums.staffedAgentSec) : null,
  };
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}
