import type { ContactPolicyCounts } from '../sms/replay-contact-policy.js';
import { esc, lineChart, type ChartOptions, type Series } from './report-chart.js';
import { warningsHtml } from './report-warnings-html.js';
import { clockLabel, type DayRow, type IntervalRow, type KpiRow, type ReplayReport, type TimeOfDayRow } from './replay-report.js';

export { lineChart } from './report-chart.js';

/** Non-breaking space: a figure and its unit stay on one line. */
const NB = '\u00a0';
const int = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const sec = (x: number | null) => (x === null ? '—' : `${x.toFixed(1)}${NB}s`);
const perHour = (x: number | null) => (x === null ? '—' : int(Math.round(x)));
const minutes = (s: number) => `${Math.round(s / 60)}${NB}min`;

type Column<R> = [head: string, cell: (r: R) => string];

/** What happened to the calls: where they ended, and how long the IVR took. */
const CALL_COLUMNS: Array<Column<KpiRow>> = [
  ['calls', (r) => int(r.calls)],
  ['self-served', (r) => int(r.selfServed)],
  ['handed off', (r) => int(r.handedOff)],
  ['hung up in IVR', (r) => int(r.hungUpInIvr)],
  ['containment', (r) => pct(r.containmentRate)],
  ['avg IVR', (r) => sec(r.avgIvrSec)],
];

/** What the agent queues did with the calls handed off. */
const QUEUE_COLUMNS: Array<Column<KpiRow>> = [
  ['offered', (r) => int(r.offered)],
  ['answered', (r) => int(r.answered)],
  ['abandoned', (r) => int(r.abandoned)],
  ['service level', (r) => pct(r.serviceLevel)],
  ['ASA', (r) => sec(r.asaSec)],
  ['AHT', (r) => sec(r.ahtSec)],
  ['abandon rate', (r) => pct(r.abandonRate)],
  ['occupancy', (r) => pct(r.occupancy)],
];

/** For periods (intervals, days, times of day): fewer columns, so a long table stays narrow. */
const PERIOD_COLUMNS: Array<Column<KpiRow & { callsPerHour: number | null }>> = [
  ['calls', (r) => int(r.calls)],
  ['calls per hour', (r) => perHour(r.callsPerHour)],
  ['self-served', (r) => int(r.selfServed)],
  ['handed off', (r) => int(r.handedOff)],
  ['hung up in IVR', (r) => int(r.hungUpInIvr)],
  ['service level', (r) => pct(r.serviceLevel)],
  ['ASA', (r) => sec(r.asaSec)],
  ['abandon rate', (r) => pct(r.abandonRate)],
  ['occupancy', (r) => pct(r.occupancy)],
];

interface Row<R> {
  name: string;
  row: R;
  /** Marks the row as a period the trace covers only in part. */
  partial?: boolean;
}

function table<R>(columns: Array<Column<R>>, rows: Array<Row<R>>, cls = 'kpi'): string {
  const head = `<tr><th></th>${columns.map(([h]) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const body = rows
    .map((r) => `<tr${r.partial ? ' class="partial"' : ''}><th>${esc(r.name)}</th>${columns.map(([, f]) => `<td>${esc(f(r.row))}</td>`).join('')}</tr>`)
    .join('');
  return `<table class="${cls}"><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

const suppressedTotal = (c: ContactPolicyCounts) => Object.values(c.suppressed).reduce((a, b) => a + b, 0);
const reasons = (c: ContactPolicyCounts) =>
  Object.entries(c.suppressed)
    .map(([k, v]) => `${k}${NB}${int(v)}`)
    .join(', ') || '—';

/** Requested, sent, deferred and suppressed SMS, overall and per template. */
function contactPolicySection(r: ReplayReport): string {
  const p = r.contactPolicy;
  if (!p) return `<h2>SMS</h2><p>The rules have no contact policy: the report counts the SMS the rules asked for (below), not what would be sent.</p>`;
  const columns: Array<Column<ContactPolicyCounts>> = [
    ['requested', (c) => int(c.requested)],
    ['sent', (c) => int(c.sent)],
    ['deferred', (c) => int(c.deferred)],
    ['suppressed', (c) => int(suppressedTotal(c))],
    ['suppressed by reason', reasons],
  ];
  const rows: Array<Row<ContactPolicyCounts>> = [{ name: 'all templates', row: p }, ...Object.entries(p.byTemplate).map(([name, row]) => ({ name, row }))];
  return (
    `<h2>SMS and the contact policy</h2>` +
    `<p>Of ${int(p.requested)} SMS the rules asked for, the contact policy (${esc(p.policyVersion)}) would send ${int(p.sent)} and suppress ${int(suppressedTotal(p))}; ` +
    `${int(p.deferred)} would wait for the end of quiet hours first. Nothing is sent by a replay.</p>` +
    table(columns, rows, 'kpi policy')
  );
}

function partialNote(rows: Array<{ partial: boolean; lengthSec: number; start: string }>, periodSec: number): string {
  const parts = rows.filter((r) => r.partial).map((r) => `${r.start} (${Math.round(r.lengthSec / 60)} of ${minutes(periodSec)})`);
  return parts.length ? `○ partial interval, rates over the time the trace covers: ${parts.join(', ')}` : '';
}

/** Charts per interval: for a trace within one day. */
function intervalCharts(r: ReplayReport): string {
  const partial = new Set(r.byInterval.filter((i) => i.partial).map((i) => i.startSec));
  const opts: ChartOptions = { partial: { xs: partial, note: partialNote(r.byInterval, r.scenario.intervalMin * 60) } };
  const perQueue = <T extends { queue: string; startSec: number }>(rows: T[], y: (t: T) => number | null): Series[] =>
    [...new Set(rows.map((s) => s.queue))].map((q) => ({ name: q, points: rows.filter((s) => s.queue === q).map((s) => [s.startSec, y(s)]) }));
  return (
    lineChart(`Service level per interval (answered within ${r.scenario.thresholdSec}${NB}s ÷ answered + abandoned)`, perQueue(r.series.serviceLevel, (s) => s.serviceLevel), {
      ...opts,
      yMax: 1,
      yFormat: (y) => `${Math.round(y * 100)}%`,
      target: r.scenario.serviceLevelTarget,
    }) +
    lineChart('Calls waiting per queue (interval average)', perQueue(r.series.queues, (s) => s.avgWaiting), opts) +
    lineChart(
      'Occupancy per agent group',
      [...new Set(r.series.groups.map((s) => s.group))].map((g) => ({ name: g, points: r.series.groups.filter((s) => s.group === g).map((s) => [s.startSec, s.occupancy]) })),
      { ...opts, yMax: 1, yFormat: (y) => `${Math.round(y * 100)}%` },
    )
  );
}

/** Charts by time of day, all days together: for a trace of several days. */
function timeOfDayCharts(r: ReplayReport): string {
  const t = r.series.byTimeOfDay!;
  const days = `${r.span.days} days`;
  const hours: ChartOptions = { xStep: 3 * 3600 };
  const named = <T extends { startSecOfDay: number }>(rows: T[], name: (t: T) => string, y: (t: T) => number | null): Series[] =>
    [...new Set(rows.map(name))].map((n) => ({ name: n, points: rows.filter((s) => name(s) === n).map((s) => [s.startSecOfDay, y(s)]) }));
  return (
    lineChart(`Service level by time of day, ${days} together (answered within ${r.scenario.thresholdSec}${NB}s ÷ answered + abandoned)`, named(t.serviceLevel, (s) => s.queue, (s) => s.serviceLevel), {
      ...hours,
      yMax: 1,
      yFormat: (y) => `${Math.round(y * 100)}%`,
      target: r.scenario.serviceLevelTarget,
    }) +
    lineChart(`Calls waiting per queue by time of day (average over ${days})`, named(t.queues, (s) => s.queue, (s) => s.avgWaiting), hours) +
    lineChart(`Occupancy per agent group by time of day (${days} together)`, named(t.groups, (s) => s.group, (s) => s.occupancy), { ...hours, yMax: 1, yFormat: (y) => `${Math.round(y * 100)}%` }) +
    lineChart('Calls per hour, day by day', [{ name: 'calls per hour', points: r.byDay.map((d) => [d.startSec, d.callsPerHour]) }], {
      xStep: 86_400,
      xLabel: (x) => dayLabel(r.byDay.find((d) => d.startSec === x) ?? { day: Math.round(x / 86_400), date: null }),
      partial: { xs: new Set(r.byDay.filter((d) => d.partial).map((d) => d.startSec)), note: '○ a day the trace covers only in part: calls per hour over the hours covered' },
    })
  );
}

const dayLabel = (d: Pick<DayRow, 'day' | 'date'>) => d.date ?? `day ${d.day}`;
const dayName = (d: DayRow) => `${dayLabel(d)}${d.partial ? ` (${Math.round((d.lengthSec / 3600) * 10) / 10}${NB}h)` : ''}`;
const intervalName = (i: IntervalRow, intervalSec: number) => `${i.start}${i.partial ? ` (${Math.round(i.lengthSec / 60)} of ${minutes(intervalSec)})` : ''}`;
const timeOfDayName = (s: TimeOfDayRow) => `${s.start} (${s.days}${NB}d)`;

function spanText(r: ReplayReport): string {
  const first = r.byDay[0];
  const at = (sec: number) => {
    const day = Math.floor(sec / 86_400);
    const date = first?.date ? new Date(Date.parse(`${first.date}T00:00:00Z`) + (day - first.day) * 86_400_000).toISOString().slice(0, 10) : null;
    return date ? `${date} ${clockLabel(sec - day * 86_400)}` : clockLabel(sec);
  };
  const hours = (r.span.endSec - r.span.startSec) / 3600;
  return `${at(r.span.startSec)} to ${at(r.span.endSec)} (${hours >= 48 ? `${r.span.days} days` : `${Math.round(hours * 10) / 10}${NB}h`})`;
}

/** One figure over the replications, as `replay --replications` gives it in `replications`. */
interface FigureOverDays {
  mean: number | null;
  halfWidth: number | null;
  p025: number | null;
  p975: number | null;
}

/** `replay --replications`' block (the part the page shows): absent without replications. */
export interface ReportReplications {
  n: number;
  seed: number;
  method: string;
  confidence: number;
  overall: Record<string, FigureOverDays>;
  bySegment: Record<string, Record<string, FigureOverDays>>;
  byQueue: Record<string, Record<string, FigureOverDays>>;
  target?: { halfWidthPp: number; reachedHalfWidthPp: number | null; met: boolean };
}

/** The figures the replications table shows: name, field, scale, digits (as the text table). */
const REPLICATION_COLUMNS: Array<[string, string, number, number]> = [
  ['calls', 'calls', 1, 0],
  ['service level %', 'serviceLevel', 100, 1],
  ['ASA s', 'asaSec', 1, 1],
  ['abandon rate %', 'abandonRate', 100, 1],
  ['containment %', 'containmentRate', 100, 1],
  ['occupancy %', 'occupancy', 100, 1],
];

/** The other days: every figure's mean ±half-width of its interval, and the range of one day below it. */
function replicationsSection(rep: ReportReplications | undefined): string {
  if (!rep) return '';
  const rows: Array<[string, Record<string, FigureOverDays>]> = [
    ['overall', rep.overall],
    ...Object.entries(rep.bySegment).map(([k, v]) => [`segment ${k}`, v] as [string, Record<string, FigureOverDays>]),
    ...Object.entries(rep.byQueue).map(([k, v]) => [`queue ${k}`, v] as [string, Record<string, FigureOverDays>]),
  ];
  const columns = REPLICATION_COLUMNS.filter(([, kpi]) => rows.some(([, k]) => k[kpi]?.mean != null));
  const fixed = (x: number | null, scale: number, digits: number) => (x === null ? '—' : (x * scale).toFixed(digits));
  const cell = (f: FigureOverDays | undefined, scale: number, digits: number) =>
    !f || f.mean === null
      ? '<td>—</td>'
      : `<td>${fixed(f.mean, scale, digits)}${f.halfWidth === null ? '' : `${NB}±${fixed(f.halfWidth, scale, digits)}`}<br><span class="range">${fixed(f.p025, scale, digits)}–${fixed(f.p975, scale, digits)}</span></td>`;
  const target = rep.target
    ? ` Target half-width ${rep.target.halfWidthPp}${NB}pp: ${rep.target.met ? 'met' : 'not met (--max-replications reached)'}, ${rep.target.reachedHalfWidthPp === null ? 'no service level to measure' : `${rep.target.reachedHalfWidthPp}${NB}pp`}.`
    : '';
  return (
    `<h2>Other days: ${int(rep.n)} replications</h2>` +
    `<p>The tables above are the recorded trace's. Here, ${int(rep.n)} other plausible days resampled from it (${esc(rep.method)}; seed ${rep.seed}): each figure's mean ` +
    `±${NB}half-width of its ${Math.round(rep.confidence * 100)}% confidence interval (how precisely the mean is known), and below it the 2.5–97.5 percentile range (where one such day lands).${target}</p>` +
    `<table class="kpi replications"><thead><tr><th></th>${columns.map(([h]) => `<th>${h}</th>`).join('')}</tr></thead><tbody>` +
    rows.map(([name, k]) => `<tr><th>${esc(name)}</th>${columns.map(([, kpi, scale, digits]) => cell(k[kpi], scale, digits)).join('')}</tr>`).join('') +
    `</tbody></table>`
  );
}

/** The replay report as one self-contained HTML page (inline CSS and SVG; works offline). */
export function renderReportHtml(r: ReplayReport & { replications?: ReportReplications }): string {
  const counts = (title: string, m: Record<string, number>) =>
    Object.keys(m).length
      ? `<div class="counts"><h3>${esc(title)}</h3><table>${Object.entries(m).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${int(v)}</td></tr>`).join('')}</table></div>`
      : '';
  const s = r.scenario;
  const intervalSec = s.intervalMin * 60;
  const multiDay = r.series.byTimeOfDay !== undefined;
  const groups: Array<Row<KpiRow>> = [
    { name: 'overall', row: r },
    ...Object.entries(r.bySegment).map(([k, v]) => ({ name: `segment ${k}`, row: v })),
    ...Object.entries(r.byQueue).map(([k, v]) => ({ name: `queue ${k}`, row: v })),
  ];
  const periods = multiDay
    ? `<h2>By day</h2>
${table(PERIOD_COLUMNS, r.byDay.map((d) => ({ name: dayName(d), row: d, partial: d.partial })), 'kpi period')}
<h2>By time of day</h2>
<p>Each ${s.intervalMin}-minute interval of the day over all ${r.span.days} days (d = days with calls then); calls per hour and occupancy over the time the trace covers. Every interval is in report.json (byInterval).</p>
${table(PERIOD_COLUMNS, r.byTimeOfDay.map((t) => ({ name: timeOfDayName(t), row: t })), 'kpi period')}`
    : `<h2>By interval</h2>
${table(PERIOD_COLUMNS, r.byInterval.map((i) => ({ name: intervalName(i, intervalSec), row: i, partial: i.partial })), 'kpi period')}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Replay report — ${esc(s.trace)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
table{border-collapse:collapse;margin:8px 0 20px}th,td{padding:3px 8px;border-bottom:1px solid #ddd;text-align:right}
thead th{background:#f3f3f3;vertical-align:bottom}tbody th{text-align:left}figure{margin:12px 0}figcaption{font-weight:600;margin-bottom:4px}
td,tbody th{white-space:nowrap;font-variant-numeric:tabular-nums}tr.partial th,tr.partial td{color:#777;font-style:italic}
svg{display:block;max-width:100%;height:auto}.note{font-size:12px;color:#555;margin:2px 0 0}
.grid{stroke:#e5e5e5}.target{stroke:#999;stroke-dasharray:4 3}.yl{font-size:11px;text-anchor:end;fill:#555}.xl{font-size:11px;text-anchor:middle;fill:#555}
.lg{font-size:12px;fill:#333}.meta td,.meta th{text-align:left;vertical-align:top}.meta td{white-space:normal;overflow-wrap:anywhere}
.counts{display:inline-block;margin-right:24px;vertical-align:top}.replications .range{font-size:12px;color:#555}.policy td:last-child{white-space:normal;text-align:left}
@media (max-width:900px){body{margin:16px;font-size:13px}th,td{padding:3px 5px}}
</style></head><body>
<h1>Replay report</h1>
<table class="meta">
<tr><th>trace</th><td>${esc(s.trace)} (${int(r.input.calls)} calls${r.input.skipped ? `, ${r.input.skipped} lines skipped` : ''})</td></tr>
<tr><th>covers</th><td>${esc(spanText(r))}</td></tr>
<tr><th>configuration</th><td>${esc(s.configVersion)} — flows ${esc(s.flowsDir)}, rules ${esc(s.rulesDir)}</td></tr>
<tr><th>staffing</th><td>${esc(s.staffing)}; target ${Math.round(s.serviceLevelTarget * 100)}/${s.thresholdSec}; ${s.intervalMin}-minute intervals; seed ${s.seed}</td></tr>
${r.retrials ? `<tr><th>retrials</th><td>queue-behaviour model: ${int(r.retrials.recorded)} recorded retries replayed, ${int(r.retrials.suppressed)} left out (the call they retry did not hang up in the simulation), ${int(r.retrials.generated)} generated</td></tr>\n` : ''}</table>
${warningsHtml(r.warnings)}<h2>Overall, by segment and by queue</h2>
<h3>Calls and the IVR</h3>
${table(CALL_COLUMNS, groups)}
<h3>Agent queues</h3>
${table(QUEUE_COLUMNS, groups)}
${replicationsSection(r.replications)}
<h2>Over time</h2>
${multiDay ? timeOfDayCharts(r) : intervalCharts(r)}
${contactPolicySection(r)}
<h2>IVR and rules</h2>
${counts('Hot keys used', r.hotKeys)}${counts('SMS requested by the rules, by template', r.sms)}${counts('Pop-up tags shown', r.tags)}
${periods}
</body></html>
`;
}
