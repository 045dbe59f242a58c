import { scoreScenarios } from '../replay/composite-score.js';
import { kpiDelta, type KpiDelta } from '../replay/report-delta.js';
import type { KpiRow } from '../replay/replay-report.js';
import { CONFIDENCE, holm, roundInterval, summarise, type FigureInterval } from './interval-statistics.js';
import type { ReplicationRows } from './replication.js';

/** The KPIs the replications describe, named and scaled as in the report (rates as fractions). */
export const REPLICATED_KPIS = [
  'calls', 'offered', 'answered', 'abandoned', 'selfServed', 'handedOff', 'hungUpInIvr',
  'serviceLevel', 'asaSec', 'ahtSec', 'abandonRate', 'containmentRate', 'occupancy', 'avgIvrSec',
] as const;
export type ReplicatedKpi = (typeof REPLICATED_KPIS)[number];

const FRACTIONS: ReadonlySet<string> = new Set(['serviceLevel', 'abandonRate', 'containmentRate', 'occupancy']);

export type KpiIntervals = Record<ReplicatedKpi, FigureInterval>;

export interface ReplicationsBlock {
  n: number;
  seed: number;
  method: string;
  confidence: number;
  overall: KpiIntervals;
  bySegment: Record<string, KpiIntervals>;
  byQueue: Record<string, KpiIntervals>;
  /** With --target-half-width: the target, the half-width reached and whether it was met. */
  target?: { halfWidthPp: number; reachedHalfWidthPp: number | null; met: boolean };
}

/** The rows of a key absent from a day: no calls, no rates. */
export const EMPTY_ROW: KpiRow = {
  calls: 0, selfServed: 0, handedOff: 0, hungUpInIvr: 0, offered: 0, answered: 0, abandoned: 0, unanswered: 0, answeredWithinThreshold: 0,
  serviceLevel: null, asaSec: null, ahtSec: null, abandonRate: null, containmentRate: null, occupancy: null, avgIvrSec: null, hotKeys: {}, sms: {}, tags: {},
};

function keysOf(rows: readonly Record<string, KpiRow>[], order?: readonly string[]): string[] {
  const seen = new Set(rows.flatMap((r) => Object.keys(r)));
  return order ? order.filter((k) => seen.has(k)) : [...seen].sort();
}

/**
 * The interval of the mean kept within what the figure can be: a rate between 0 and 1, a count
 * or a time at least 0. A t-interval over few days can reach past them (a segment's service
 * level of 0.9 ± 0.6 over five days); `halfWidth` stays the t half-width, the precision asked
 * of --target-half-width.
 */
function withinRange(s: FigureInterval, fraction: boolean): FigureInterval {
  const clip = (x: number | null) => (x === null ? null : Math.min(fraction ? 1 : Infinity, Math.max(0, x)));
  return { ...s, ciLow: clip(s.ciLow), ciHigh: clip(s.ciHigh) };
}

function kpiIntervals(rows: readonly KpiRow[]): KpiIntervals {
  const out = {} as KpiIntervals;
  for (const kpi of REPLICATED_KPIS) {
    const fraction = FRACTIONS.has(kpi);
    out[kpi] = roundInterval(withinRange(summarise(rows.map((r) => r[kpi])), fraction), fraction ? 4 : 2);
  }
  return out;
}

/**
 * One scenario's replications block: each KPI's mean, 95 % interval of the mean and 2.5–97.5
 * percentile range, overall, per segment and per queue. A segment or queue a day lacks counts
 * as no calls that day (counts 0; its rates are left out of that KPI's figures).
 */
export function replicationsBlock(days: readonly ReplicationRows[], meta: { seed: number; method: string; queueOrder: readonly string[] }): ReplicationsBlock {
  const segments = keysOf(days.map((d) => d.bySegment));
  const queues = keysOf(days.map((d) => d.byQueue), meta.queueOrder);
  return {
    n: days.length,
    seed: meta.seed,
    method: meta.method,
    confidence: CONFIDENCE,
    overall: kpiIntervals(days.map((d) => d.overall)),
    bySegment: Object.fromEntries(segments.map((s) => [s, kpiIntervals(days.map((d) => d.bySegment[s] ?? EMPTY_ROW))])),
    byQueue: Object.fromEntries(queues.map((q) => [q, kpiIntervals(days.map((d) => d.byQueue[q] ?? EMPTY_ROW))])),
  };
}

/** Delta fields (as in `delta`) and which way is better for the candidate; null: neither. */
export const DELTA_FIELDS: ReadonlyArray<[keyof KpiDelta, 1 | -1 | null]> = [
  ['calls', null], ['serviceLevelPp', 1], ['asaSec', -1], ['ahtSec', -1], ['abandonRatePp', -1], ['containmentRatePp', 1], ['occupancyPp', 1],
  ['avgIvrSec', -1], ['answered', 1], ['abandoned', -1], ['selfServed', 1], ['handedOff', null], ['hungUpInIvr', -1],
];

export interface DeltaInterval {
  mean: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  p025: number | null;
  p975: number | null;
  /** Two-sided p-value of the paired t-test (Holm-adjusted for segments and queues). */
  p: number | null;
  /** The paired interval excludes 0 (for segments and queues: after Holm's correction). */
  significant: boolean;
  /** Share of replications in which the candidate is strictly better on this figure; null where neither direction is better. */
  candidateWinsShare: number | null;
}

export type DeltaIntervals = Record<string, DeltaInterval>;

export interface DeltaIntervalsBlock {
  correction: string;
  overall: DeltaIntervals;
  bySegment: Record<string, DeltaIntervals>;
  byQueue: Record<string, DeltaIntervals>;
}

const ALPHA = 1 - CONFIDENCE;
const r2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100 + 0);
const r4 = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000 + 0);

function deltaIntervals(deltas: readonly KpiDelta[], adjust?: Map<keyof KpiDelta, number | null>): DeltaIntervals {
  const out: DeltaIntervals = {};
  for (const [field, better] of DELTA_FIELDS) {
    const values = deltas.map((d) => d[field] as number | null);
    const s = summarise(values);
    const present = values.filter((v): v is number => v !== null);
    const p = adjust ? (adjust.get(field) ?? null) : s.p;
    const significant = adjust ? p !== null && p < ALPHA : s.ciLow !== null && s.ciHigh !== null && (s.ciLow > 0 || s.ciHigh < 0);
    out[field] = {
      mean: r2(s.mean),
      ciLow: r2(s.ciLow),
      ciHigh: r2(s.ciHigh),
      p025: r2(s.p025),
      p975: r2(s.p975),
      p: r4(p),
      significant,
      candidateWinsShare: better === null || present.length === 0 ? null : r4(present.filter((v) => v * better > 0).length / present.length),
    };
  }
  return out;
}

/** Per key, the intervals of its deltas, with p-values adjusted by Holm across the keys (one family per delta field). */
function familyIntervals(keys: readonly string[], deltasOf: (key: string) => KpiDelta[]): Record<string, DeltaIntervals> {
  const deltas = new Map(keys.map((k) => [k, deltasOf(k)]));
  const adjusted = new Map(keys.map((k) => [k, new Map<keyof KpiDelta, number | null>()]));
  for (const [field] of DELTA_FIELDS) {
    const raw = keys.map((k) => summarise(deltas.get(k)!.map((d) => d[field] as number | null)).p);
    holm(raw).forEach((p, i) => adjusted.get(keys[i]!)!.set(field, p));
  }
  return Object.fromEntries(keys.map((k) => [k, deltaIntervals(deltas.get(k)!, adjusted.get(k)!)]));
}

/**
 * Paired intervals of candidate − baseline over replications both replayed on the same days
 * (common random numbers): the day-to-day noise both share cancels out of the difference.
 */
export function deltaIntervalsBlock(base: readonly ReplicationRows[], cand: readonly ReplicationRows[], queueOrder: readonly string[]): DeltaIntervalsBlock {
  const segments = keysOf([...base, ...cand].map((d) => d.bySegment));
  const queues = keysOf([...base, ...cand].map((d) => d.byQueue), queueOrder);
  const pairDeltas = (pick: (d: ReplicationRows) => Record<string, KpiRow>) => (key: string) =>
    base.map((b, i) => kpiDelta(pick(b)[key] ?? EMPTY_ROW, pick(cand[i]!)[key] ?? EMPTY_ROW));
  return {
    correction: `holm: for segments and for queues, each delta field's p-values are adjusted across the ${segments.length} segments and, separately, the ${queues.length} queues; overall is one test per field`,
    overall: deltaIntervals(base.map((b, i) => kpiDelta(b.overall, cand[i]!.overall))),
    bySegment: familyIntervals(segments, pairDeltas((d) => d.bySegment)),
    byQueue: familyIntervals(queues, pairDeltas((d) => d.byQueue)),
  };
}

/** How often each scenario scores higher on the composite score, replication by replication. */
export interface ScoreRanking {
  candidateFirstShare: number;
  baselineFirstShare: number;
  tiedShare: number;
}

export function scoreRanking(base: readonly ReplicationRows[], cand: readonly ReplicationRows[], marketingTemplates: ReadonlySet<string>): ScoreRanking {
  let c = 0;
  let b = 0;
  base.forEach((x, i) => {
    const [sb, sc] = scoreScenarios([{ name: 'baseline', row: x.overall }, { name: 'candidate', row: cand[i]!.overall }], undefined, marketingTemplates);
    if (sc!.score > sb!.score) c++;
    else if (sb!.score > sc!.score) b++;
  });
  const n = base.length;
  return { candidateFirstShare: r4(c / n)!, baselineFirstShare: r4(b / n)!, tiedShare: r4((n - c - b) / n)! };
}
