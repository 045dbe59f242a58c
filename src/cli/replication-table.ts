import type { FigureInterval } from '../core/replications/interval-statistics.js';
import type { ReplicationOutcome } from '../core/replications/replication-plan.js';
import type { DeltaInterval, DeltaIntervalsBlock, KpiIntervals, ReplicationsBlock, ScoreRanking } from '../core/replications/replication-report.js';

/** Cells: the first column left-aligned, the others right-aligned. */
function grid(cells: string[][]): string {
  const widths = cells[0]!.map((_, c) => Math.max(...cells.map((row) => row[c]!.length)));
  return cells.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd()).join('\n') + '\n';
}

const fixed = (x: number | null, scale: number, digits = 1) => (x === null ? '—' : (x * scale).toFixed(digits));

/** "84.3 ±0.6 [78.0–89.9]": mean, half-width of its interval, range of a day. */
function cell(f: FigureInterval, scale: number, digits: number): string {
  if (f.mean === null) return '—';
  const hw = f.halfWidth === null ? '' : ` ±${fixed(f.halfWidth, scale, digits)}`;
  return `${fixed(f.mean, scale, digits)}${hw} [${fixed(f.p025, scale, digits)}–${fixed(f.p975, scale, digits)}]`;
}

const KPI_COLUMNS: Array<[string, keyof KpiIntervals, number, number?]> = [
  ['calls', 'calls', 1, 0],
  ['SL %', 'serviceLevel', 100],
  ['ASA s', 'asaSec', 1],
  ['aband. %', 'abandonRate', 100],
  ['contain. %', 'containmentRate', 100],
  ['occup. %', 'occupancy', 100],
];

function targetLine(target: ReplicationOutcome['target']): string {
  if (!target) return '';
  const reached = target.reachedHalfWidthPp === null ? 'no service level to measure' : `${target.reachedHalfWidthPp} pp`;
  return `target half-width ${target.halfWidthPp} pp: ${target.met ? 'met' : 'not met (--max-replications reached)'}, ${reached}\n`;
}

/** The replay's intervals table: overall, segments and queues. */
export function formatReplications(block: ReplicationsBlock, target?: ReplicationOutcome['target']): string {
  let out = `\nReplications: ${block.n} other days (${block.method}; seed ${block.seed})\n`;
  out += `each figure: mean ±half-width of its ${block.confidence * 100}% confidence interval [2.5–97.5 percentile range of one day]\n`;
  out += targetLine(target);
  const rows: Array<[string, KpiIntervals]> = [
    ['overall', block.overall],
    ...Object.entries(block.bySegment),
    ...Object.entries(block.byQueue).map(([q, k]) => [`queue ${q}`, k] as [string, KpiIntervals]),
  ];
  const columns = KPI_COLUMNS.filter(([, kpi]) => rows.some(([, k]) => k[kpi].mean !== null));
  out += grid([['', ...columns.map(([h]) => h)], ...rows.map(([name, k]) => [name, ...columns.map(([, kpi, scale, digits]) => cell(k[kpi], scale, digits ?? 1))])]);
  return out;
}

const DELTA_COLUMNS: Array<[string, string]> = [
  ['SL pp', 'serviceLevelPp'],
  ['ASA s', 'asaSec'],
  ['aband. pp', 'abandonRatePp'],
  ['contain. pp', 'containmentRatePp'],
  ['AHT s', 'ahtSec'],
];

const signed = (x: number) => (x > 0 ? `+${x.toFixed(1)}` : x < 0 ? `−${Math.abs(x).toFixed(1)}` : '0.0');

function deltaCell(d: DeltaInterval | undefined): string {
  if (!d || d.mean === null) return '—';
  const hw = d.ciLow === null || d.ciHigh === null ? '' : ` ±${((d.ciHigh - d.ciLow) / 2).toFixed(1)}`;
  return `${signed(d.mean)}${hw}${d.significant ? ' *' : ''}`;
}

/** Compare's paired intervals: candidate − baseline, significance marked, and how often the candidate scores first. */
export function formatDeltaIntervals(n: number, method: string, seed: number, block: DeltaIntervalsBlock, ranking: ScoreRanking, target?: ReplicationOutcome['target']): string {
  let out = `\nReplications: ${n} paired days, the same for both (${method}; seed ${seed})\n`;
  out += 'each figure: candidate − baseline, mean ±half-width of its 95% confidence interval; * the change is significant';
  out += ' (segments and queues: Holm-corrected for the number of comparisons)\n';
  out += targetLine(target);
  const rows: Array<[string, Record<string, DeltaInterval>]> = [
    ['overall', block.overall],
    ...Object.entries(block.bySegment),
    ...Object.entries(block.byQueue).map(([q, k]) => [`queue ${q}`, k] as [string, Record<string, DeltaInterval>]),
  ];
  out += grid([['', ...DELTA_COLUMNS.map(([h]) => h), 'SL: candidate better'], ...rows.map(([name, k]) => [name, ...DELTA_COLUMNS.map(([, f]) => deltaCell(k[f])), share(k['serviceLevelPp']?.candidateWinsShare)])]);
  out += `composite score: candidate first in ${pct(ranking.candidateFirstShare)} of replications, baseline first in ${pct(ranking.baselineFirstShare)}, tied in ${pct(ranking.tiedShare)}\n`;
  return out;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const share = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${pct(x)} of days`);
