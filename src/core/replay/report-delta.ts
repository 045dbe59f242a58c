import type { KpiRow, ReplayReport } from './replay-report.js';

/** Differences between two rows: rates in percentage points, times in seconds, counts as counts. */
export interface KpiDelta {
  calls: number;
  serviceLevelPp: number | null;
  asaSec: number | null;
  ahtSec: number | null;
  abandonRatePp: number | null;
  containmentRatePp: number | null;
  occupancyPp: number | null;
  avgIvrSec: number | null;
  answered: number;
  abandoned: number;
  selfServed: number;
  handedOff: number;
  hungUpInIvr: number;
}

const d = (a: number | null, b: number | null, scale: number) => (a === null || b === null ? null : Math.round((b - a) * scale * 100) / 100);

export function kpiDelta(base: KpiRow, cand: KpiRow): KpiDelta {
  return {
    calls: cand.calls - base.calls,
    serviceLevelPp: d(base.serviceLevel, cand.serviceLevel, 100),
    asaSec: d(base.asaSec, cand.asaSec, 1),
    ahtSec: d(base.ahtSec, cand.ahtSec, 1),
    abandonRatePp: d(base.abandonRate, cand.abandonRate, 100),
    containmentRatePp: d(base.containmentRate, cand.containmentRate, 100),
    occupancyPp: d(base.occupancy, cand.occupancy, 100),
    avgIvrSec: d(base.avgIvrSec, cand.avgIvrSec, 1),
    answered: cand.answered - base.answered,
    abandoned: cand.abandoned - base.abandoned,
    selfServed: cand.selfServed - base.selfServed,
    handedOff: cand.handedOff - base.handedOff,
    hungUpInIvr: cand.hungUpInIvr - base.hungUpInIvr,
  };
}

export interface ReportDelta {
  overall: KpiDelta;
  bySegment: Record<string, KpiDelta>;
  byQueue: Record<string, KpiDelta>;
  /** SMS the contact policy would send, defer and suppress (by reason): candidate − baseline; when both have a policy. */
  contactPolicy?: { requested: number; sent: number; deferred: number; suppressed: Record<string, number> };
}

export const EMPTY_KPI_ROW: KpiRow = {
  calls: 0, selfServed: 0, handedOff: 0, hungUpInIvr: 0, offered: 0, answered: 0, abandoned: 0, unanswered: 0, answeredWithinThreshold: 0,
  serviceLevel: null, asaSec: null, ahtSec: null, abandonRate: null, containmentRate: null, occupancy: null, avgIvrSec: null, hotKeys: {}, sms: {}, tags: {},
};

function byKey(a: Record<string, KpiRow>, b: Record<string, KpiRow>): Record<string, KpiDelta> {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return Object.fromEntries(keys.map((k) => [k, kpiDelta(a[k] ?? EMPTY_KPI_ROW, b[k] ?? EMPTY_KPI_ROW)]));
}

export function reportDelta(base: ReplayReport, cand: ReplayReport): ReportDelta {
  const delta: ReportDelta = { overall: kpiDelta(base, cand), bySegment: byKey(base.bySegment, cand.bySegment), byQueue: byKey(base.byQueue, cand.byQueue) };
  const a = base.contactPolicy;
  const b = cand.contactPolicy;
  if (a && b) {
    const reasons = [...new Set([...Object.keys(a.suppressed), ...Object.keys(b.suppressed)])].sort();
    delta.contactPolicy = {
      requested: b.requested - a.requested,
      sent: b.sent - a.sent,
      deferred: b.deferred - a.deferred,
      suppressed: Object.fromEntries(reasons.map((r) => [r, (b.suppressed[r] ?? 0) - (a.suppressed[r] ?? 0)])),
    };
  }
  return delta;
}

const sign = (x: number) => (x > 0 ? '+' : x < 0 ? '−' : '±');
const num = (x: number) => Math.abs(x).toFixed(1);

/** "30-second service level +0.7 pp, ASA −3.1 s, AHT −2.7 s, …" */
export function describeDelta(x: KpiDelta, thresholdSec: number): string {
  return deltaParts(x, thresholdSec).join(', ');
}

/**
 * The same with the baseline's and the candidate's values after each delta:
 * "30-second service level +0.7 pp (78.1% → 78.8%), ASA −3.1 s (20.4 s → 17.3 s), …"
 */
export function describeChange(base: KpiRow, cand: KpiRow, thresholdSec: number): string {
  return deltaParts(kpiDelta(base, cand), thresholdSec, [base, cand]).join(', ');
}

const pctOf = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const secOf = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} s`);

function deltaParts(x: KpiDelta, thresholdSec: number, rows?: [KpiRow, KpiRow]): string[] {
  const parts: string[] = [];
  const values = (f: (r: KpiRow) => string) => (rows ? ` (${f(rows[0])} → ${f(rows[1])})` : '');
  if (x.calls !== 0) parts.push(`calls ${x.calls > 0 ? '+' : '−'}${Math.abs(x.calls)}${values((r) => String(r.calls))}`);
  if (x.serviceLevelPp !== null) parts.push(`${thresholdSec}-second service level ${sign(x.serviceLevelPp)}${num(x.serviceLevelPp)} pp${values((r) => pctOf(r.serviceLevel))}`);
  if (x.asaSec !== null) parts.push(`ASA ${sign(x.asaSec)}${num(x.asaSec)} s${values((r) => secOf(r.asaSec))}`);
  if (x.ahtSec !== null) parts.push(`AHT ${sign(x.ahtSec)}${num(x.ahtSec)} s${values((r) => secOf(r.ahtSec))}`);
  if (x.abandonRatePp !== null) parts.push(`abandonment ${sign(x.abandonRatePp)}${num(x.abandonRatePp)} pp${values((r) => pctOf(r.abandonRate))}`);
  if (x.containmentRatePp !== null) parts.push(`containment ${sign(x.containmentRatePp)}${num(x.containmentRatePp)} pp${values((r) => pctOf(r.containmentRate))}`);
  if (x.occupancyPp !== null) parts.push(`occupancy ${sign(x.occupancyPp)}${num(x.occupancyPp)} pp${values((r) => pctOf(r.occupancy))}`);
  if (x.avgIvrSec !== null) parts.push(`IVR time ${sign(x.avgIvrSec)}${num(x.avgIvrSec)} s${values((r) => secOf(r.avgIvrSec))}`);
  if (x.hungUpInIvr !== 0) parts.push(`hung up in the IVR ${x.hungUpInIvr > 0 ? '+' : '−'}${Math.abs(x.hungUpInIvr)}${values((r) => String(r.hungUpInIvr))}`);
  return parts;
}
