import type { GroupIntervalStats, QueueIntervalStats } from '../simulation/interval-stats.js';
import type { IntervalKpis } from '../simulation/queue-kpi-accumulator.js';
import type { TraceReadStats } from '../trace/trace-reader.js';
import { clockLabel, perHour, type Coverage, type TimeOfDaySeries, type TraceSpan } from './replay-report.js';

/**
 * The periods a replay report is cut into besides its intervals: the trace's span, calendar days
 * and intervals of the day across days, and how much of each period the trace covers.
 */

export const DAY_SEC = 86_400;

/** From the start of the minute of the first arrival to the end of the minute of the last. */
export function traceSpan(firstArrivalSec: number, lastArrivalSec: number): TraceSpan {
  const startSec = Math.floor(firstArrivalSec / 60) * 60;
  const endSec = Math.floor(lastArrivalSec / 60) * 60 + 60;
  return { startSec, endSec, start: clockLabel(startSec), end: clockLabel(endSec), days: Math.floor((endSec - 1) / DAY_SEC) - Math.floor(startSec / DAY_SEC) + 1 };
}

/** Seconds of [fromSec, fromSec + lengthSec) inside the span. */
export function coveredSec(span: TraceSpan, fromSec: number, lengthSec: number): number {
  return Math.max(0, Math.min(fromSec + lengthSec, span.endSec) - Math.max(fromSec, span.startSec));
}

export function coverage(span: TraceSpan, fromSec: number, periodSec: number, calls: number): Coverage {
  const lengthSec = coveredSec(span, fromSec, periodSec);
  return { lengthSec, partial: lengthSec < periodSec, callsPerHour: perHour(calls, lengthSec) };
}

/** The local date of day `day` when the trace gives arrival times (day 0 is the date of its first call). */
export function dateOfDay(origin: TraceReadStats['origin'] | undefined, day: number): string | null {
  const m = origin ? /^(\d{4})-(\d{2})-(\d{2})/.exec(origin.arrivalTime) : null;
  if (!m) return null;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + day)).toISOString().slice(0, 10);
}

/** Position of an interval in its day (0 for the one starting at midnight). */
export function slotOfDay(interval: number, intervalSec: number): number {
  const perDay = DAY_SEC / intervalSec;
  return ((interval % perDay) + perDay) % perDay;
}

function bucket<T>(map: Map<string, T>, key: string, make: () => T): T {
  let v = map.get(key);
  if (!v) map.set(key, (v = make()));
  return v;
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * The chart series summed by interval of the day: service level per queue (answered within the
 * threshold ÷ answered + abandoned, over all days), calls waiting per queue (time average over
 * the time covered) and occupancy per agent group (busy ÷ staffed time).
 */
export function timeOfDaySeries(
  intervalSec: number,
  queueKpis: Array<{ queue: string; intervals: IntervalKpis[] }>,
  queueRows: readonly QueueIntervalStats[],
  groupRows: readonly GroupIntervalStats[],
): TimeOfDaySeries {
  const startOf = (slot: number) => slot * intervalSec;
  const sl = new Map<string, { queue: string; slot: number; within: number; decided: number; offered: number }>();
  for (const q of queueKpis) {
    for (const i of q.intervals) {
      const slot = slotOfDay(i.interval, intervalSec);
      const b = bucket(sl, `${q.queue}\u0000${slot}`, () => ({ queue: q.queue, slot, within: 0, decided: 0, offered: 0 }));
      b.within += i.answeredWithinThreshold;
      b.decided += i.answered + i.abandoned;
      b.offered += i.offered;
    }
  }
  const waiting = new Map<string, { queue: string; slot: number; area: number; sec: number; max: number }>();
  for (const r of queueRows) {
    const slot = slotOfDay(r.interval, intervalSec);
    const b = bucket(waiting, `${r.queue}\u0000${slot}`, () => ({ queue: r.queue, slot, area: 0, sec: 0, max: 0 }));
    b.area += r.avgWaiting * r.coveredSec;
    b.sec += r.coveredSec;
    b.max = Math.max(b.max, r.maxWaiting);
  }
  const groups = new Map<string, { group: string; slot: number; busy: number; staffed: number }>();
  for (const r of groupRows) {
    const slot = slotOfDay(r.interval, intervalSec);
    const b = bucket(groups, `${r.group}\u0000${slot}`, () => ({ group: r.group, slot, busy: 0, staffed: 0 }));
    b.busy += r.busyAgentSec;
    b.staffed += r.staffedAgentSec;
  }
  // Rows come out per queue (or group) in the order first seen, then by time of day.
  const ordered = <T extends { slot: number }>(m: Map<string, T>, name: (t: T) => string): T[] => {
    const names = [...new Set([...m.values()].map(name))];
    return names.flatMap((n) => [...m.values()].filter((t) => name(t) === n).sort((a, b) => a.slot - b.slot));
  };
  return {
    serviceLevel: ordered(sl, (b) => b.queue).map((b) => ({
      queue: b.queue,
      slot: b.slot,
      startSecOfDay: startOf(b.slot),
      offered: b.offered,
      serviceLevel: b.decided > 0 ? round4(b.within / b.decided) : null,
    })),
    queues: ordered(waiting, (b) => b.queue).map((b) => ({
      queue: b.queue,
      slot: b.slot,
      startSecOfDay: startOf(b.slot),
      avgWaiting: b.sec > 0 ? round4(b.area / b.sec) : 0,
      maxWaiting: b.max,
    })),
    groups: ordered(groups, (b) => b.group).map((b) => ({
      group: b.group,
      slot: b.slot,
      startSecOfDay: startOf(b.slot),
      occupancy: b.staffed > 0 ? round4(b.busy / b.staffed) : null,
    })),
  };
}
