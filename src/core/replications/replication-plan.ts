import { summarise } from './interval-statistics.js';
import type { ReplicationRows } from './replication.js';
import type { ReplicationRunner } from './replication-pool.js';

export const DEFAULT_MAX_REPLICATIONS = 1000;
/** Replications to start with when only a target half-width is given. */
export const DEFAULT_FIRST_REPLICATIONS = 10;

export interface ReplicationCount {
  /** Replications to run (or to start with, under a target). */
  replications: number;
  /** Keep adding replications until the overall service-level interval's half-width is at most this many percentage points. */
  targetHalfWidthPp?: number;
  maxReplications: number;
}

export interface ReplicationOutcome {
  /** Per replication, each scenario's rows. */
  days: ReplicationRows[][];
  /** Under a target: the half-width reached (pp) and whether it met the target before the cap. */
  target?: { halfWidthPp: number; reachedHalfWidthPp: number | null; met: boolean };
}

/** Half-width, in percentage points, of the interval a target is checked on (replay: service level; compare: its paired delta). */
export function serviceLevelHalfWidthPp(days: readonly ReplicationRows[][]): number | null {
  if (days[0]!.length === 1) return scaled(summarise(days.map((d) => d[0]!.overall.serviceLevel)).halfWidth);
  const deltas = days.map(([a, b]) => (a!.overall.serviceLevel === null || b!.overall.serviceLevel === null ? null : b!.overall.serviceLevel - a!.overall.serviceLevel));
  return scaled(summarise(deltas).halfWidth);
}

const scaled = (x: number | null) => (x === null ? null : x * 100);

/**
 * Runs the replications. With a target, adds replications in rounds: after each, the
 * replications still needed are estimated from the half-width so far (it shrinks as 1/√n),
 * until the target is met or `maxReplications` is reached. Each round depends only on the
 * figures before it, so the count, like the figures, is the same on any number of threads.
 */
export async function runReplications(runner: ReplicationRunner, count: ReplicationCount, onDone?: (done: number, planned: number) => void): Promise<ReplicationOutcome> {
  const days: ReplicationRows[][] = [];
  let planned = Math.min(count.replications, count.maxReplications);
  for (;;) {
    const from = days.length;
    const indices = Array.from({ length: planned - from }, (_, i) => from + i);
    days.push(...(await runner.run(indices, (n) => onDone?.(from + n, planned))));
    if (count.targetHalfWidthPp === undefined) return { days };
    const hw = serviceLevelHalfWidthPp(days);
    const met = hw !== null && hw <= count.targetHalfWidthPp;
    if (met || hw === null || days.length >= count.maxReplications) {
      return { days, target: { halfWidthPp: count.targetHalfWidthPp, reachedHalfWidthPp: hw === null ? null : Math.round(hw * 100) / 100, met } };
    }
    const needed = Math.ceil(days.length * (hw / count.targetHalfWidthPp) ** 2 * 1.1);
    planned = Math.min(count.maxReplications, Math.max(needed, days.length + 2));
  }
}
