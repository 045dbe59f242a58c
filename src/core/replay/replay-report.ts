import type { ContactPolicyReport } from '../sms/replay-contact-policy.js';
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

export interface IntervalRow extends KpiRow {
  interval: number;
  /** Start of the interval, simulated seconds since midnight of day 0. */
  startSec: number;
  /** "HH:MM" (day 0) or "d1 HH:MM". */
  start: string;
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
  bySegment: Record<string, KpiRow>;
  byQueue: Record<string, KpiRow>;
  byInterval: IntervalRow[];
  /** Occupancy per agent group. */
  byGroup: Record<string, { staffedAgentHours: number; busyAgentHours: number; occupancy: number | null }>;
  /** Time series for charts, per interval: service level and queue length per queue, agents per group. */
  series: { serviceLevel: QueueServiceLevel[]; queues: QueueIntervalStats[]; groups: GroupIntervalStats[] };
  /** What the contact policy would do with the SMS (only when the scenario has a policy): sent, deferred, suppressed by reason. */
  contactPolicy?: ContactPolicyReport;
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

export function clockLabel(startSec: number): string {
  const day = Math.floor(startSec / 86_400);
  const s = startSec - day * 86_400;
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  return day === 0 ? `${hh}:${mm}` : `d${day} ${hh}:${mm}`;
}
