import type { ContactPolicyReport } from '../sms/replay-contact-policy.js';
import type { RetrialCounts } from './retrials.js';
import type { GroupIntervalStats, QueueIntervalStats } from '../simulation/interval-stats.js';
import type { Kpis } from '../simulation/queue-kpi-accumulator.js';
import type { IvrSums } from './ivr-kpis.js';
import type { StaffingWarning } from './staffing-gaps.js';

/**
 * The figures a contact centre is judged by, for one group of calls (overall, a segment, a
 * queue or an interval). Ratios with nothing to divide by are null.
 *
 * - calls: calls that arrived (IVR included); selfServed + handedOff + hungUpInIvr = calls.
 * - answered / abandoned / unanswered: of the calls offered to agents.
 * - serviceLevel: answered within the threshold ÷ (answered + abandoned).
 * - asaSec: mean queue wait of answered calls. ahtSec: mean talk + after-call work.
 * - abandonRate: abandoned ÷ (answered + abandoned).
 * - containmentRate: selfServed ÷ calls (finished in the IVR without an agent).
 * - occupancy: agent busy time ÷ staffed time (overall and per interval; null per segment/queue).
 */
export interface KpiRow
  extends Pick<Kpis, 'offered' | 'answered' | 'abandoned' | 'unanswered' | 'answeredWithinThreshold' | 'asaSec' | 'ahtSec' | 'occupancy'> {
  calls: number;
  selfServed: number;
  handedOff: number;
  hungUpInIvr: number;
  /** Answered within the threshold ÷ (answered + abandoned). */
  serviceLevel: number | null;
  /** Abandoned ÷ (answered + abandoned). */
  abandonRate: number | null;
  containmentRate: number | null;
  avgIvrSec: number | null;
  hotKeys: Record<string, number>;
  sms: Record<string, number>;
  tags: Record<string, number>;
}

/** How much of a reporting period (an interval, a day) the trace covers. */
export interface Coverage {
  /** Seconds of the period inside the trace's span; less than the period at the ends of the trace. */
  lengthSec: number;
  /** The trace covers only part of the period: its rates (calls per hour, occupancy) are over lengthSec. */
  partial: boolean;
  /** Calls that arrived ÷ lengthSec, per hour; null when the trace does not cover the period. */
  callsPerHour: number | null;
}

export interface IntervalRow extends Coverage, KpiRow {
  interval: number;
  /** Start of the interval, simulated seconds since midnight of day 0. */
  startSec: number;
  /** "HH:MM" (day 0) or "d1 HH:MM". */
  start: string;
}

/** One calendar day of the trace (days run midnight to midnight of the trace's clock). */
export interface DayRow extends Coverage, KpiRow {
  /** 0 for the day of the first call. */
  day: number;
  startSec: number;
  /** The local date ("2025-03-03") when the trace gives arrival times; null when it counts seconds. */
  date: string | null;
}

/** One interval of the day (e.g. 09:00–09:30), summed over every day of the trace. */
export interface TimeOfDayRow extends KpiRow {
  /** Position in the day: 0 for the interval starting at 00:00. */
  slot: number;
  startSecOfDay: number;
  /** "HH:MM". */
  start: string;
  /** Days whose trace covers some of this interval. */
  days: number;
  /** Seconds covered, over all those days; calls per hour and occupancy are over this time. */
  lengthSec: number;
  callsPerHour: number | null;
}

/**
 * The time the trace covers: from the start of the minute of its first arrival to the end of the
 * minute of its last. Agent time (occupancy) is counted over this span only: after the trace ends
 * agents sit idle for want of calls the trace does not hold, not for want of demand.
 */
export interface TraceSpan {
  startSec: number;
  endSec: number;
  start: string;
  end: string;
  /** Calendar days the span touches. */
  days: number;
}

/** Chart series by time of day, summed over the days of a trace that spans more than one. */
export interface TimeOfDaySeries {
  serviceLevel: Array<{ queue: string; slot: number; startSecOfDay: number; offered: number; serviceLevel: number | null }>;
  queues: Array<{ queue: string; slot: number; startSecOfDay: number; avgWaiting: number; maxWaiting: number }>;
  groups: Array<{ group: string; slot: number; startSecOfDay: number; occupancy: number | null }>;
}

export interface ScenarioInfo {
  trace: string;
  configVersion: string;
  flowsDir: string;
  rulesDir: string;
  customersFile: string;
  staffing: string;
  seed: number;
  thresholdSec: number;
  serviceLevelTarget: number;
  intervalMin: number;
}

export interface InputInfo {
  /** Non-blank lines read. */
  lines: number;
  /** Calls replayed. */
  calls: number;
  /** Lines left out for errors (`--on-error skip`), by reason. */
  skipped: number;
  skippedByReason: Record<string, number>;
  /** The first skipped lines (up to 10): line number, the field at fault (JSON Pointer, empty for the whole line), reason and message. */
  skippedLines?: { line: number; field: string; reason: string; message: string }[];
  blank: number;
}

export interface QueueServiceLevel {
  queue: string;
  interval: number;
  startSec: number;
  offered: number;
  serviceLevel: number | null;
}

export interface ReplayReport extends KpiRow {
  scenario: ScenarioInfo;
  input: InputInfo;
  /** Calls that reached a queue with no agent on shift, per run of intervals; empty when every call met one. */
  warnings: StaffingWarning[];
  span: TraceSpan;
  bySegment: Record<string, KpiRow>;
  byQueue: Record<string, KpiRow>;
  byInterval: IntervalRow[];
  byDay: DayRow[];
  byTimeOfDay: TimeOfDayRow[];
  /** Occupancy per agent group. */
  byGroup: Record<string, { staffedAgentHours: number; busyAgentHours: number; occupancy: number | null }>;
  /** Time series for charts, per interval: service level and queue length per queue, agents per group. */
  series: {
    serviceLevel: QueueServiceLevel[];
    queues: QueueIntervalStats[];
    groups: GroupIntervalStats[];
    /** Only for traces that span more than one day: what the HTML report charts instead of every interval. */
    byTimeOfDay?: TimeOfDaySeries;
  };
  /** What the contact policy would do with the SMS (only when the scenario has a policy): sent, deferred, suppressed by reason. */
  contactPolicy?: ContactPolicyReport;
  /** Only with a queue-behaviour model: retries the model generated, recorded ones replayed and recorded ones left out. */
  retrials?: RetrialCounts;
}

const round = (x: number | null, digits = 4): number | null => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);
const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
function sorted(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** One report row from the IVR sums and the queue figures of the same calls. */
export function kpiRow(ivr: IvrSums, q: Kpis | undefined, withOccupancy: boolean): KpiRow {
  const answered = q?.answered ?? 0;
  const abandoned = q?.abandoned ?? 0;
  const within = q?.answeredWithinThreshold ?? 0;
  return {
    calls: ivr.calls,
    selfServed: ivr.selfServed,
    handedOff: ivr.handedOff,
    hungUpInIvr: ivr.hungUpInIvr,
    offered: q?.offered ?? 0,
    answered,
    abandoned,
    unanswered: q?.unanswered ?? 0,
    answeredWithinThreshold: within,
    serviceLevel: round(ratio(within, answered + abandoned)),
    asaSec: round(q?.asaSec ?? null, 2),
    ahtSec: round(q?.ahtSec ?? null, 2),
    abandonRate: round(ratio(abandoned, answered + abandoned)),
    containmentRate: round(ratio(ivr.selfServed, ivr.calls)),
    occupancy: withOccupancy ? round(q?.occupancy ?? null) : null,
    avgIvrSec: round(ratio(ivr.ivrSec, ivr.calls), 2),
    hotKeys: sorted(ivr.hotKeys),
    sms: sorted(ivr.sms),
    tags: sorted(ivr.tags),
  };
}

/** calls ÷ seconds, per hour (one decimal); null over no time. */
export function perHour(calls: number, sec: number): number | null {
  return sec > 0 ? Math.round((calls / sec) * 36_000) / 10 : null;
}

// In its own file so that staffing-gaps.ts, whose warnings this report carries, imports no report.
export { clockLabel } from './clock-label.js';
