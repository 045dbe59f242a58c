import { CALL_FIELDS, callsByField, type ChangedCallsSummary } from './changed-calls.js';
import type { ScoredScenario } from './composite-score.js';
import type { DecisionDiffSummary } from './decision-diff.js';
import { esc, lineChart, type ChartOptions, type Series } from './report-chart.js';
import { EMPTY_KPI_ROW, type KpiDelta, type ReportDelta } from './report-delta.js';
import type { KpiRow, ReplayReport } from './replay-report.js';
import { warningsHtml } from './report-warnings-html.js';
import { DELTA_FIELDS } from '../replications/replication-report.js';

/**
 * The paired interval of one delta over replications, in the delta's units (pp, s, calls), as
 * compare's `deltaIntervals` gives it when the run had replications.
 */
export interface DeltaInterval {
  mean: number;
  ciLow: number;
  ciHigh: number;
  p025?: number;
  p975?: number;
  /** The interval excludes 0 (for segments and queues after the correction for many comparisons). */
  significant?: boolean;
  candidateWinsShare?: number;
}

type IntervalsOf = Partial<Record<keyof KpiDelta, DeltaInterval>>;

/** compare's `deltaIntervals`: absent without replications. */
export interface DeltaIntervals {
  overall?: IntervalsOf;
  bySegment?: Record<string, IntervalsOf>;
  byQueue?: Record<string, IntervalsOf>;
}

/** compare's `replications` (the part the page shows): absent without replications. */
export interface CompareReplications {
  n: number;
  seed: number;
  method: string;
  /** Share of the replicated days on which each scenario has the higher composite score. */
  score?: { candidateFirstShare: number; baselineFirstShare: number; tiedShare: number };
}

/** What the comparison page shows: the two full reports and what compare made of them. */
export interface CompareView {
  trace: string;
  baseline: { dir: string; report: ReplayReport };
  candidate: { dir: string; report: ReplayReport };
  delta: ReportDelta;
  decisions: DecisionDiffSummary;
  changedCalls: ChangedCallsSummary;
  score: ScoredScenario[];
  deltaIntervals?: DeltaIntervals;
  replications?: CompareReplications;
}

const NB = '\u00a0';
const int = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const sec = (x: number | null) => (x === null ? '—' : `${x.toFixed(1)}${NB}s`);
const signed = (x: number, digits: number) => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(digits)}`;

/** A figure of the report, its delta field and how both read. */
interface Metric {
  name: string;
  value: (r: KpiRow) => string;
  delta: keyof KpiDelta;
  unit: string;
  digits: number;
}

/** Which way each delta is better, for colouring it: as the replications' `candidateWinsShare` reads it. */
const BETTER = new Map(DELTA_FIELDS);

const METRICS: Metric[] = [
  { name: 'calls', value: (r) => int(r.calls), delta: 'calls', unit: '', digits: 0 },
  { name: 'service level', value: (r) => pct(r.serviceLevel), delta: 'serviceLevelPp', unit: 'pp', digits: 1 },
  { name: 'ASA', value: (r) => sec(r.asaSec), delta: 'asaSec', unit: 's', digits: 1 },
  { name: 'AHT', value: (r) => sec(r.ahtSec), delta: 'ahtSec', unit: 's', digits: 1 },
  { name: 'abandon rate', value: (r) => pct(r.abandonRate), delta: 'abandonRatePp', unit: 'pp', digits: 1 },
  { name: 'containment', value: (r) => pct(r.containmentRate), delta: 'containmentRatePp', unit: 'pp', digits: 1 },
  { name: 'occupancy', value: (r) => pct(r.occupancy), delta: 'occupancyPp', unit: 'pp', digits: 1 },
  { name: 'avg IVR', value: (r) => sec(r.avgIvrSec), delta: 'avgIvrSec', unit: 's', digits: 1 },
  { name: 'answered', value: (r) => int(r.answered), delta: 'answered', unit: '', digits: 0 },
  { name: 'abandoned', value: (r) => int(r.abandoned), delta: 'abandoned', unit: '', digits: 0 },
  { name: 'self-served', value: (r) => int(r.selfServed), delta: 'selfServed', unit: '', digits: 0 },
  { name: 'hung up in IVR', value: (r) => int(r.hungUpInIvr), delta: 'hungUpInIvr', unit: '', digits: 0 },
];

/** The few figures per segment and per queue: one column each, so the table stays narrow. */
const GROUP_METRICS = ['calls', 'service level', 'ASA', 'abandon rate', 'AHT'].map((n) => METRICS.find((m) => m.name === n)!);

function deltaText(m: Metric, x: number | null): string {
  if (x === null) return '—';
  return `${signed(x, m.digits)}${m.unit ? NB + m.unit : ''}`;
}

/** The class of a delta's cell: `d up` better (green), `d down` worse (red), `d` neither. */
export function deltaClass(m: Pick<Metric, 'delta'>, x: number | null): string {
  const better = BETTER.get(m.delta) ?? null;
  if (x === null || x === 0 || better === null) return 'd';
  return x * better > 0 ? 'd up' : 'd down';
}

/**
 * The slot for a delta's interval over replications: the 95 % confidence interval of the mean
 * paired difference, the 2.5–97.5 percentile range when given, and whether it is significant.
 * Empty when the run had no replications. `compact` (segment and queue cells): the interval in
 * brackets and the significance only, so that a row of five figures fits a narrow window.
 */
export function deltaIntervalHtml(m: Pick<Metric, 'unit' | 'digits'>, iv: DeltaInterval | undefined, compact = false): string {
  if (!iv) return '';
  const f = (x: number) => signed(x, m.digits);
  const unit = m.unit ? NB + m.unit : '';
  const sig = iv.significant === undefined ? '' : iv.significant ? '<span class="sig">significant</span>' : '<span class="nsig">not significant</span>';
  if (compact) return `<span class="ci">[${f(iv.ciLow)}, ${f(iv.ciHigh)}]</span>${sig ? `<br>${sig}` : ''}`;
  let out = `<span class="ci">95%${NB}CI ${f(iv.ciLow)}${NB}…${NB}${f(iv.ciHigh)}${unit}</span>`;
  if (iv.p025 !== undefined && iv.p975 !== undefined) out += ` <span class="pr">days ${f(iv.p025)}${NB}…${NB}${f(iv.p975)}${unit}</span>`;
  if (sig) out += ` ${sig}`;
  return out;
}

function overallTable(v: CompareView): string {
  const a = v.baseline.report;
  const b = v.candidate.report;
  const ivs = v.deltaIntervals?.overall;
  const withIntervals = ivs !== undefined;
  const head = `<tr><th></th><th>baseline</th><th>candidate</th><th>delta</th>${withIntervals ? '<th class="iv">over replications</th>' : ''}</tr>`;
  const rows = METRICS.map((m) => {
    const x = v.delta.overall[m.delta];
    const iv = withIntervals ? `<td class="iv">${deltaIntervalHtml(m, ivs[m.delta])}</td>` : '';
    return `<tr><th>${esc(m.name)}</th><td>${esc(m.value(a))}</td><td>${esc(m.value(b))}</td><td class="${deltaClass(m, x)}">${esc(deltaText(m, x))}</td>${iv}</tr>`;
  }).join('');
  return `<table class="kpi overall"><thead>${head}</thead><tbody>${rows}</tbody></table>`;
}

/** Segments or queues: per figure "baseline → candidate" over the delta (and its interval). */
function groupTable(kind: 'segment' | 'queue', base: Record<string, KpiRow>, cand: Record<string, KpiRow>, delta: Record<string, KpiDelta>, ivs: Record<string, IntervalsOf> | undefined): string {
  const note = ivs
    ? `<p class="note">Under each delta: its 95% confidence interval over the replications, and whether it is significant: the interval excludes 0 once corrected for the number of ${kind}s compared (Holm's method). The interval shown is not corrected, so one that just excludes 0 may still be not significant.</p>`
    : '';
  const head = `<tr><th>${kind}</th>${GROUP_METRICS.map((m) => `<th>${esc(m.name)}</th>`).join('')}</tr>`;
  const rows = Object.keys(delta)
    .map((k) => {
      const a = base[k] ?? EMPTY_KPI_ROW;
      const b = cand[k] ?? EMPTY_KPI_ROW;
      const cells = GROUP_METRICS.map((m) => {
        const x = delta[k]![m.delta];
        const iv = deltaIntervalHtml(m, ivs?.[k]?.[m.delta], true);
        return `<td><span class="v">${esc(m.value(a))} → ${esc(m.value(b))}</span><br><span class="${deltaClass(m, x)}">${esc(deltaText(m, x))}</span>${iv ? `<br>${iv}` : ''}</td>`;
      }).join('');
      return `<tr><th>${esc(k)}</th>${cells}</tr>`;
    })
    .join('');
  return `${note}<table class="kpi group"><thead>${head}</thead><tbody>${rows}</tbody></table>`;
}

/** Transitions of a field shown open; a field with more is folded, its largest named in the summary. */
const OPEN_ROWS = 10;

function transitionsSection(v: CompareView): string {
  const c = v.changedCalls;
  const calls = v.baseline.report.input.calls;
  if (c.count === 0) return `<h2>Changed calls</h2><p>None of the ${int(calls)} calls was treated differently or ended differently.</p>`;
  const byField = callsByField(c);
  const fields = [...byField]
    .map(([field, n]) => {
      const ts = c.transitions.filter((t) => t.field === field);
      const rows = ts.map((t) => `<tr><td class="t">${esc(t.from)}</td><td class="t">${esc(t.to)}</td><td>${int(t.count)}</td></tr>`).join('');
      const top = ts.slice(0, 3).map((t) => `${esc(t.from)} → ${esc(t.to)} ${int(t.count)}`).join(', ');
      const summary = `<summary><b>${esc(field)}</b>: ${int(n)} calls${ts.length > OPEN_ROWS ? `, ${ts.length} transitions (${top}, …)` : ''}</summary>`;
      return `<details class="field"${ts.length <= OPEN_ROWS ? ' open' : ''}>${summary}<table class="transitions"><thead><tr><th class="t">baseline</th><th class="t">candidate</th><th>calls</th></tr></thead><tbody>${rows}</tbody></table></details>`;
    })
    .join('');
  return (
    `<h2>Changed calls</h2>` +
    `<p>${int(c.count)} of ${int(calls)} calls were treated differently or ended differently. A call counts once in that figure and once per field it changed in ` +
    `(${CALL_FIELDS.join(', ')}); <code>compare --calls-out FILE</code> lists every one with its before and after.</p>` +
    fields +
    `<p>Decided differently by the flows and rules: ${int(v.decisions.different)} of ${int(v.decisions.compared)} calls.</p>`
  );
}

function scoreSection(v: CompareView): string {
  const rows = v.score
    .map((s) => `<tr><th>${esc(s.name)}</th><td>${s.score}</td><td>${s.dimensions.efficiency}</td><td>${s.dimensions.quality}</td><td>${s.dimensions.marketing}</td></tr>`)
    .join('');
  const share = (x: number) => `${Math.round(x * 100)}%`;
  const ranked = v.replications?.score;
  const overDays = ranked
    ? `<p>Over the ${int(v.replications!.n)} replicated days: the candidate scores first on ${share(ranked.candidateFirstShare)} of them, the baseline on ${share(ranked.baselineFirstShare)}, tied on ${share(ranked.tiedShare)}. The table is the recorded day's.</p>`
    : '';
  return `<h2>Composite score</h2><p>Min-max across the two scenarios: on each figure the better scores 1, the worse 0 (0.5 when equal), weighted into efficiency, quality and marketing; it ranks these two and means nothing on its own.</p>` +
    `<table class="kpi score"><thead><tr><th></th><th>score</th><th>efficiency</th><th>quality</th><th>marketing</th></tr></thead><tbody>${rows}</tbody></table>` +
    overDays;
}

interface Point {
  x: number;
  y: number | null;
}

/** Baseline and candidate as two series of one chart. */
const pair = (a: Point[], b: Point[]): Series[] => [
  { name: 'baseline', points: a.map((p) => [p.x, p.y]) },
  { name: 'candidate', points: b.map((p) => [p.x, p.y]), dash: '6 4' },
];

function sumBy<T>(rows: T[], x: (t: T) => number, y: (t: T) => number): Point[] {
  const sums = new Map<number, number>();
  for (const r of rows) sums.set(x(r), (sums.get(x(r)) ?? 0) + y(r));
  return [...sums].sort((p, q) => p[0] - q[0]).map(([px, py]) => ({ x: px, y: py }));
}

/** The two scenarios' charts over time, overlaid: per interval for one day, by time of day for several. */
function charts(v: CompareView): string {
  const a = v.baseline.report;
  const b = v.candidate.report;
  const multiDay = a.series.byTimeOfDay !== undefined && b.series.byTimeOfDay !== undefined;
  const percent: ChartOptions = { yMax: 1, yFormat: (y) => `${Math.round(y * 100)}%` };
  const t = a.scenario.thresholdSec;
  let opts: ChartOptions;
  let rows: (r: ReplayReport) => Array<KpiRow & { x: number }>;
  let waiting: (r: ReplayReport) => Point[];
  let queueSl: (r: ReplayReport, q: string) => Point[];
  let when: string;
  if (multiDay) {
    opts = { xStep: 3 * 3600 };
    when = `by time of day, ${a.span.days} days together`;
    rows = (r) => r.byTimeOfDay.map((s) => ({ ...s, x: s.startSecOfDay }));
    waiting = (r) => sumBy(r.series.byTimeOfDay!.queues, (s) => s.startSecOfDay, (s) => s.avgWaiting);
    queueSl = (r, q) => r.series.byTimeOfDay!.serviceLevel.filter((s) => s.queue === q).map((s) => ({ x: s.startSecOfDay, y: s.serviceLevel }));
  } else {
    const partial = new Set(a.byInterval.filter((i) => i.partial).map((i) => i.startSec));
    opts = { partial: { xs: partial, note: '○ partial interval: the trace covers only part of it' } };
    when = 'per interval';
    rows = (r) => r.byInterval.map((i) => ({ ...i, x: i.startSec }));
    waiting = (r) => sumBy(r.series.queues, (s) => s.startSec, (s) => s.avgWaiting);
    queueSl = (r, q) => r.series.serviceLevel.filter((s) => s.queue === q).map((s) => ({ x: s.startSec, y: s.serviceLevel }));
  }
  const of = (r: ReplayReport, y: (k: KpiRow) => number | null) => rows(r).map((k) => ({ x: k.x, y: y(k) }));
  const overall =
    lineChart(`Service level ${when} (answered within ${t}${NB}s ÷ answered + abandoned)`, pair(of(a, (k) => k.serviceLevel), of(b, (k) => k.serviceLevel)), {
      ...opts,
      ...percent,
      target: a.scenario.serviceLevelTarget,
    }) +
    lineChart(`ASA ${when} (seconds)`, pair(of(a, (k) => k.asaSec), of(b, (k) => k.asaSec)), opts) +
    lineChart(`Calls waiting, all queues (${multiDay ? 'average by time of day' : 'interval average'})`, pair(waiting(a), waiting(b)), opts) +
    lineChart(`Occupancy of all agents ${when}`, pair(of(a, (k) => k.occupancy), of(b, (k) => k.occupancy)), { ...opts, ...percent });
  const queues = [...new Set([...Object.keys(a.byQueue), ...Object.keys(b.byQueue)])];
  const perQueue = queues
    .map((q) => lineChart(`Queue ${q}: service level ${when}`, pair(queueSl(a, q), queueSl(b, q)), { ...opts, ...percent, target: a.scenario.serviceLevelTarget }))
    .join('');
  return `${overall}<h3>Service level per queue</h3><div class="small">${perQueue}</div>`;
}

/** The comparison as one self-contained HTML page (inline CSS and SVG; works offline). */
export function renderCompareHtml(v: CompareView): string {
  const a = v.baseline.report;
  const b = v.candidate.report;
  const ivs = v.deltaIntervals;
  const scenario = (name: string, dir: string, r: ReplayReport) =>
    `<tr><th>${name}</th><td>${esc(dir)} [${esc(r.scenario.configVersion)}] — staffing ${esc(r.scenario.staffing)}; target ${Math.round(r.scenario.serviceLevelTarget * 100)}/${r.scenario.thresholdSec}</td></tr>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Compare — ${esc(v.trace)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
table{border-collapse:collapse;margin:8px 0 20px}th,td{padding:3px 8px;border-bottom:1px solid #ddd;text-align:right;vertical-align:top}
thead th{background:#f3f3f3;vertical-align:bottom}tbody th,.group thead th:first-child{text-align:left}td{font-variant-numeric:tabular-nums}
.overall td,.score td,.transitions td{white-space:nowrap}.transitions .t{text-align:left}details.field{margin:6px 0}details.field table{margin:4px 0 10px 16px}summary{cursor:pointer;overflow-wrap:anywhere}
.group td{font-size:13px}.group .v{white-space:nowrap}.d{color:#555}.up{color:#1a7f37}.down{color:#b42318}
.ci,.pr{font-size:12px;color:#444;white-space:nowrap}.sig{font-size:12px;color:#fff;background:#1a7f37;padding:0 4px;border-radius:3px}.nsig{font-size:12px;color:#555}
td.iv,th.iv{text-align:left;white-space:normal}
figure{margin:12px 0}figcaption{font-weight:600;margin-bottom:4px}svg{display:block;max-width:100%;height:auto}.note{font-size:12px;color:#555;margin:2px 0 0}
.grid{stroke:#e5e5e5}.target{stroke:#999;stroke-dasharray:4 3}.yl{font-size:11px;text-anchor:end;fill:#555}.xl{font-size:11px;text-anchor:middle;fill:#555}.lg{font-size:12px;fill:#333}
.small{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,460px),1fr));gap:0 24px}.small figcaption{font-weight:500}
.meta td,.meta th{text-align:left}.meta td{white-space:normal;overflow-wrap:anywhere}code{font-size:13px}
@media (max-width:900px){body{margin:16px;font-size:13px}th,td{padding:3px 5px}.group td{font-size:12px}}
</style></head><body>
<h1>Baseline and candidate compared</h1>
<table class="meta">
<tr><th>trace</th><td>${esc(v.trace)} (${int(a.input.calls)} calls)</td></tr>
${scenario('baseline', v.baseline.dir, a)}
${scenario('candidate', v.candidate.dir, b)}
</table>
${warningsHtml(a.warnings.map((w) => ({ ...w, message: `baseline: ${w.message}` })))}${warningsHtml(b.warnings.map((w) => ({ ...w, message: `candidate: ${w.message}` })))}<h2>Overall</h2>
<p>Figures of the recorded trace replayed against each configuration; deltas are candidate − baseline (rates in percentage points). Green is better, red worse.${
    ivs
      ? ` Intervals are over ${v.replications ? `${int(v.replications.n)} replications (the same days for both: ${esc(v.replications.method)}; seed ${v.replications.seed})` : 'replications'}: the 95% confidence interval of the mean paired difference, the range where 95% of days land, and whether the difference is significant.`
      : ''
  }</p>
${overallTable(v)}
<h2>By segment</h2>
${groupTable('segment', a.bySegment, b.bySegment, v.delta.bySegment, ivs?.bySegment)}
<h2>By queue</h2>
${groupTable('queue', a.byQueue, b.byQueue, v.delta.byQueue, ivs?.byQueue)}
${transitionsSection(v)}
<h2>Over time</h2>
<p>Baseline in solid blue, candidate in dashed red: where only the red dashes show, the two coincide.</p>
${charts(v)}
${scoreSection(v)}
</body></html>
`;
}
