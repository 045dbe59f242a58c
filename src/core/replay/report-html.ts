import { clockLabel, type ReplayReport } from './replay-report.js';
import { warningsHtml } from './report-warnings-html.js';

/** HTML-escapes text for element content and attribute values. */
function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

interface Series {
  name: string;
  points: Array<[x: number, y: number | null]>;
}

/** A line chart as inline SVG: no script, no network, readable when printed. */
export function lineChart(title: string, series: Series[], opts: { yMax?: number; yFormat?: (y: number) => string; target?: number } = {}): string {
  const W = 760;
  const H = 260;
  const L = 52;
  const R = 150;
  const T = 28;
  const B = 34;
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]).filter((y): y is number => y !== null));
  if (xs.length === 0) return `<figure><figcaption>${esc(title)}</figcaption><p class="empty">no data</p></figure>`;
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs, x0 + 1);
  const yMax = opts.yMax ?? Math.max(1, ...ys) * 1.1;
  const fmt = opts.yFormat ?? ((y: number) => String(Math.round(y * 10) / 10));
  const px = (x: number) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
  const py = (y: number) => T + (1 - y / yMax) * (H - T - B);
  const parts: string[] = [];
  parts.push(`<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">`);
  for (let i = 0; i <= 4; i++) {
    const y = (yMax * i) / 4;
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${py(y)}" y2="${py(y)}" class="grid"/><text x="${L - 6}" y="${py(y) + 4}" class="yl">${esc(fmt(y))}</text>`);
  }
  const ticks = Math.min(8, new Set(xs).size);
  for (let i = 0; i <= ticks; i++) {
    const x = x0 + ((x1 - x0) * i) / Math.max(1, ticks);
    parts.push(`<text x="${px(x)}" y="${H - 12}" class="xl">${esc(clockLabel(Math.round(x)))}</text>`);
  }
  if (opts.target !== undefined) {
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${py(opts.target)}" y2="${py(opts.target)}" class="target"/>`);
  }
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    let d = '';
    let pen = false;
    for (const [x, y] of s.points) {
      if (y === null) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`;
      pen = true;
    }
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"><title>${esc(s.name)}</title></path>`);
    parts.push(`<rect x="${W - R + 12}" y="${T + i * 18 - 9}" width="10" height="10" fill="${color}"/><text x="${W - R + 28}" y="${T + i * 18}" class="lg">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return `<figure><figcaption>${esc(title)}</figcaption>${parts.join('')}</figure>`;
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const sec = (x: number | null) => (x === null ? '—' : `${x.toFixed(1)} s`);

function kpiTable(rows: Array<[string, ReplayReport | ReplayReport['bySegment'][string]]>): string {
  const head = ['', 'calls', 'self-served', 'handed off', 'answered', 'abandoned', 'service level', 'ASA', 'AHT', 'abandon rate', 'containment', 'occupancy', 'avg IVR'];
  const body = rows
    .map(
      ([name, r]) =>
        `<tr><th>${esc(name)}</th><td>${r.calls}</td><td>${r.selfServed}</td><td>${r.handedOff}</td><td>${r.answered}</td><td>${r.abandoned}</td>` +
        `<td>${pct(r.serviceLevel)}</td><td>${sec(r.asaSec)}</td><td>${sec(r.ahtSec)}</td><td>${pct(r.abandonRate)}</td><td>${pct(r.containmentRate)}</td>` +
        `<td>${pct(r.occupancy)}</td><td>${sec(r.avgIvrSec)}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
}

/** The replay report as one self-contained HTML page (inline CSS and SVG; works offline). */
export function renderReportHtml(r: ReplayReport): string {
  const queues = [...new Set(r.series.serviceLevel.map((s) => s.queue))];
  const slChart = lineChart(
    `Service level per interval (answered within ${r.scenario.thresholdSec} s ÷ answered + abandoned)`,
    queues.map((q) => ({ name: q, points: r.series.serviceLevel.filter((s) => s.queue === q).map((s) => [s.startSec, s.serviceLevel] as [number, number | null]) })),
    { yMax: 1, yFormat: (y) => `${Math.round(y * 100)}%`, target: r.scenario.serviceLevelTarget },
  );
  const qlChart = lineChart(
    'Calls waiting per queue (interval average)',
    [...new Set(r.series.queues.map((s) => s.queue))].map((q) => ({
      name: q,
      points: r.series.queues.filter((s) => s.queue === q).map((s) => [s.startSec, s.avgWaiting] as [number, number]),
    })),
  );
  const occChart = lineChart(
    'Occupancy per agent group',
    [...new Set(r.series.groups.map((s) => s.group))].map((g) => ({
      name: g,
      points: r.series.groups.filter((s) => s.group === g).map((s) => [s.startSec, s.occupancy] as [number, number | null]),
    })),
    { yMax: 1, yFormat: (y) => `${Math.round(y * 100)}%` },
  );
  const counts = (title: string, m: Record<string, number>) =>
    Object.keys(m).length
      ? `<h3>${esc(title)}</h3><table class="counts">${Object.entries(m).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join('')}</table>`
      : '';
  const s = r.scenario;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Replay report — ${esc(s.trace)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
table{border-collapse:collapse;margin:8px 0 20px}th,td{padding:3px 8px;border-bottom:1px solid #ddd;text-align:right}
thead th{background:#f3f3f3}tbody th{text-align:left}figure{margin:12px 0}figcaption{font-weight:600;margin-bottom:4px}
.grid{stroke:#e5e5e5}.target{stroke:#999;stroke-dasharray:4 3}.yl{font-size:11px;text-anchor:end;fill:#555}.xl{font-size:11px;text-anchor:middle;fill:#555}
.lg{font-size:12px;fill:#333}.meta td,.meta th{text-align:left}.counts{display:inline-table;margin-right:24px;vertical-align:top}
</style></head><body>
<h1>Replay report</h1>
<table class="meta">
<tr><th>trace</th><td>${esc(s.trace)} (${r.input.calls} calls${r.input.skipped ? `, ${r.input.skipped} lines skipped` : ''})</td></tr>
<tr><th>configuration</th><td>${esc(s.configVersion)} — flows ${esc(s.flowsDir)}, rules ${esc(s.rulesDir)}</td></tr>
<tr><th>staffing</th><td>${esc(s.staffing)}; target ${Math.round(s.serviceLevelTarget * 100)}/${s.thresholdSec}; ${s.intervalMin}-minute intervals; seed ${s.seed}</td></tr>
</table>
${warningsHtml(r.warnings)}<h2>Overall, by segment and by queue</h2>
${kpiTable([['overall', r], ...Object.entries(r.bySegment).map(([k, v]) => [`segment ${k}`, v] as [string, typeof v]), ...Object.entries(r.byQueue).map(([k, v]) => [`queue ${k}`, v] as [string, typeof v])])}
<h2>Over time</h2>
${slChart}
${qlChart}
${occChart}
<h2>IVR and rules</h2>
${counts('Hot keys used', r.hotKeys)}${counts('SMS requested, by template', r.sms)}${counts('Pop-up tags shown', r.tags)}
<h2>By interval</h2>
${kpiTable(r.byInterval.map((i) => [i.start, i] as [string, typeof i]))}
</body></html>
`;
}
