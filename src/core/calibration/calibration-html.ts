import { esc, lineChart, yStep, type Series } from '../replay/report-chart.js';
import type { Backtest, BacktestRow } from './backtest.js';
import type { Calibration } from './calibrate.js';
import type { EmpiricalSummary } from './lognormal-fit.js';
import { survivalAt, tailSurvival } from './patience.js';

const NB = '\u00a0';
const int = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const ci = (e: { value: number; ciLow: number; ciHigh: number }, unit = '') => `${e.value}${unit} [${e.ciLow}, ${e.ciHigh}]`;

/** Talk times as bars, with the fitted lognormal's density over them. */
function histogram(title: string, h: EmpiricalSummary['histogram'], n: number, fit: { mu: number; sigma: number } | undefined): string {
  const W = 760;
  const H = 240;
  const L = 52;
  const R = 20;
  const T = 16;
  const B = 34;
  const counts = h.counts;
  if (n === 0 || counts.length === 0) return `<figure><figcaption>${esc(title)}</figcaption><p class="empty">no answered call</p></figure>`;
  const density = (x: number) => (fit && x > 0 ? Math.exp(-((Math.log(x) - fit.mu) ** 2) / (2 * fit.sigma ** 2)) / (x * fit.sigma * Math.sqrt(2 * Math.PI)) : 0);
  const expected = counts.map((_, i) => n * h.binSec * density((i + 0.5) * h.binSec));
  const step = yStep(Math.max(...counts, ...expected) || 1);
  const top = step * Math.ceil((Math.max(...counts, ...expected) * 1.05) / step) || 1;
  const bw = (W - L - R) / counts.length;
  const py = (y: number) => T + (1 - y / top) * (H - T - B);
  const parts = [`<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">`];
  for (let i = 0; i * step <= top + step / 1e6; i++) {
    const y = step * i;
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${py(y).toFixed(1)}" y2="${py(y).toFixed(1)}" class="grid"/><text x="${L - 6}" y="${(py(y) + 4).toFixed(1)}" class="yl">${Math.round(y)}</text>`);
  }
  counts.forEach((c, i) => {
    const x = L + i * bw;
    parts.push(`<rect x="${(x + 1).toFixed(1)}" y="${py(c).toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${(py(0) - py(c)).toFixed(1)}" fill="#9ecae1"><title>${i * h.binSec}–${(i + 1) * h.binSec}${NB}s: ${c} calls</title></rect>`);
  });
  const stride = Math.ceil(counts.length / 8);
  for (let i = 0; i <= counts.length; i += stride) parts.push(`<text x="${(L + i * bw).toFixed(1)}" y="${H - 12}" class="xl">${i * h.binSec}${NB}s</text>`);
  if (fit) {
    const d = expected.map((y, i) => `${i ? 'L' : 'M'}${(L + (i + 0.5) * bw).toFixed(1)},${py(y).toFixed(1)}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="#d62728" stroke-width="2"><title>fitted lognormal</title></path>`);
  }
  parts.push('</svg>');
  return `<figure><figcaption>${esc(title)}</figcaption>${parts.join('')}<p class="note">bars: calls per ${h.binSec}${NB}s bin (the last bin holds everything longer); red: the fitted lognormal</p></figure>`;
}

const pp = (x: number | null) => (x === null ? '—' : `${x >= 0 ? '+' : ''}${x.toFixed(1)}`);

/** The backtest: real beside simulated, overall and per day, and per interval as charts with the replications' range. */
function backtestSection(b: Backtest): string {
  const row = (name: string, r: BacktestRow) => {
    const i = r.simulatedIntervals;
    return `<tr><th>${esc(name)}</th><td>${int(r.real.offered)}</td><td>${pct(r.real.serviceLevel)}</td><td>${pct(r.simulated.serviceLevel)}</td><td>${pp(r.errorPp.serviceLevel)}</td><td>${pct(i.serviceLevel.p025)}–${pct(i.serviceLevel.p975)}</td><td>${r.real.asaSec ?? '—'}${NB}s</td><td>${r.simulated.asaSec ?? '—'}${NB}s</td><td>${pct(r.real.abandonRate)}</td><td>${pct(r.simulated.abandonRate)}</td><td>${pp(r.errorPp.abandonRate)}</td><td>${pct(i.abandonRate.p025)}–${pct(i.abandonRate.p975)}</td></tr>`;
  };
  const head = '<tr><th></th><th>offered</th><th>SL real</th><th>SL simulated</th><th>error (points)</th><th>simulated 95% range</th><th>ASA real</th><th>ASA simulated</th><th>abandoned real</th><th>abandoned simulated</th><th>error (points)</th><th>simulated 95% range</th></tr>';
  const at = (f: (r: BacktestRow) => number | null) => b.byInterval.map((r) => [r.interval * b.intervalMin * 60, f(r)] as [number, number | null]);
  const chart = (title: string, k: 'serviceLevel' | 'abandonRate') =>
    lineChart(
      title,
      [
        { name: 'real', points: at((r) => r.real[k]) },
        { name: 'simulated', points: at((r) => r.simulated[k]) },
        { name: 'sim 2.5%', points: at((r) => r.simulatedIntervals[k].p025), dash: '3 3' },
        { name: 'sim 97.5%', points: at((r) => r.simulatedIntervals[k].p975), dash: '3 3' },
      ],
      { yMax: 1, yFormat: (y) => `${Math.round(y * 100)}%`, xStep: 3600 },
    );
  return `<h2>Backtest: the log replayed on its calibration</h2>
<p>${b.replications} replications (seed ${b.seed}), differing only in patience and retrial draws; service level within ${b.thresholdSec}${NB}s; "simulated" is the replications' mean, the range their 2.5–97.5 percentiles.${b.retrials ? ` Retrials over all replications: ${int(b.retrials.recorded)} recorded retries replayed, ${int(b.retrials.suppressed)} left out, ${int(b.retrials.generated)} generated.` : ''}</p>
<table class="bt"><thead>${head}</thead><tbody>${row('overall', b.overall)}${b.byDay.map((d) => row(d.date, d)).join('')}</tbody></table>
${chart('Service level by interval of the day, real and simulated', 'serviceLevel')}
${chart('Abandonment by interval of the day, real and simulated', 'abandonRate')}
<table class="bt"><thead>${head}</thead><tbody>${b.byInterval.map((r) => row(r.start, r)).join('')}</tbody></table>`;
}

/**
 * The calibration as one self-contained page (inline SVG, no script, no network): the patience
 * curve with its interval and tail, talk histograms, staffing and offered load by interval,
 * every estimate with its interval and sample, and what fell back.
 */
export function renderCalibrationHtml(cal: Calibration, logName: string, tested?: Backtest): string {
  const intervalSec = cal.intervalMin * 60;
  const p = cal.patience.pooled;
  let km = '<p>No call was abandoned: no patience curve.</p>';
  if (p) {
    const last = p.points.length ? p.points[p.points.length - 1]!.tSec : 0;
    const xMax = Math.max(last * 1.5, 60);
    const points = p.points;
    const steps = (f: (pt: (typeof points)[number]) => number): Series['points'] => {
      const out: Series['points'] = [[0, 1]];
      let prev = 1;
      for (const pt of points) {
        out.push([pt.tSec, prev], [pt.tSec, f(pt)]);
        prev = f(pt);
      }
      return out;
    };
    const tail: Series['points'] = [];
    for (let i = 0; i <= 40; i++) {
      const t = last + ((xMax - last) * i) / 40;
      tail.push([t, survivalAt(p, t)]);
    }
    const param: Series['points'] = [];
    for (let i = 0; i <= 60; i++) {
      const t = (xMax * i) / 60;
      param.push([t, tailSurvival(p.tail, t)]);
    }
    km = lineChart(
      'Patience: share of callers still willing to wait after t seconds (all queues)',
      [
        { name: 'Kaplan–Meier', points: steps((x) => x.survival) },
        { name: '95% low', points: steps((x) => x.ciLow), dash: '3 3' },
        { name: '95% high', points: steps((x) => x.ciHigh), dash: '3 3' },
        { name: `tail (${p.tail.kind})`, points: tail },
        { name: `${p.tail.kind} fit alone`, points: param, dash: '6 4' },
      ],
      { yMax: 1, yFormat: (y) => `${Math.round(y * 100)}%`, xLabel: (x) => `${Math.round(x)}${NB}s`, xStep: [10, 15, 30, 60, 120, 300, 600].find((s) => xMax / s <= 8) ?? 1200 },
    );
  }
  const talk = cal.queues
    .map((q) => {
      const t = cal.talk[q]!;
      return histogram(`Talk time, ${q}${t.source === 'all queues' ? ' (all queues pooled)' : ''}: ${int(t.empirical.n)} answered calls`, t.empirical.histogram, t.empirical.n, t.lognormal && { mu: t.lognormal.mu.value, sigma: t.lognormal.sigma.value });
    })
    .join('\n');
  const multi = cal.days.length > 1;
  const staffing = cal.groups
    .map((g) =>
      lineChart(
        `Available agents, group ${g.id} (mean per ${cal.intervalMin}-minute interval)`,
        cal.days.map((d) => ({ name: multi ? d.date : 'agents', points: (d.staffing[g.id] ?? []).map((r) => [r.interval * intervalSec, r.agents] as [number, number]) })),
        { xStep: 3 * 3600 },
      ),
    )
    .join('\n');
  const meanTalk = (q: string) => cal.talk[q]!.empirical.meanSec.value || 0;
  const load = lineChart(
    `Offered load (Erlangs: calls per second × mean talk), all queues`,
    cal.days.map((d) => ({
      name: multi ? d.date : 'offered load',
      points: Array.from({ length: 86_400 / intervalSec }, (_, i) => [i * intervalSec, cal.queues.reduce((s, q) => s + (d.arrivals[q]![i]!.calls * meanTalk(q)) / intervalSec, 0)] as [number, number]),
    })),
    { xStep: 3 * 3600 },
  );
  const fallbacks = cal.fallbacks.length
    ? `<h2>Fallbacks</h2><table class="meta"><tr><th>estimate</th><th>why</th><th>instead</th></tr>${cal.fallbacks.map((f) => `<tr><td>${esc(f.estimate)}</td><td>${esc(f.reason)}</td><td>${esc(f.using)}</td></tr>`).join('')}</table>`
    : '';
  const rows: string[] = [];
  for (const q of cal.queues) {
    const t = cal.talk[q]!;
    rows.push(`<tr><th>talk ${esc(q)}, empirical mean</th><td>${esc(ci(t.empirical.meanSec, NB + 's'))}</td><td>${int(t.empirical.n)} calls</td></tr>`);
    if (t.lognormal) rows.push(`<tr><th>talk ${esc(q)}, lognormal mean (cv ${t.lognormal.cv})</th><td>${esc(ci(t.lognormal.meanSec, NB + 's'))}</td><td>${int(t.lognormal.meanSec.n)} calls</td></tr>`);
  }
  const fits = [...(p ? [['all queues', p] as const] : []), ...Object.entries(cal.patience.byQueue)];
  for (const [name, f] of fits) {
    const tail = f.tail.kind === 'exponential' ? `exponential mean ${ci(f.tail.meanSec, NB + 's')}` : `Weibull shape ${ci(f.tail.shape)}, scale ${ci(f.tail.scaleSec, NB + 's')}`;
    rows.push(`<tr><th>patience ${esc(name)}: ${esc(f.tailChoice)}</th><td>${esc(tail)}</td><td>${int(f.abandoned)} abandoned of ${int(f.n)}</td></tr>`);
  }
  const r = cal.retrials;
  if (r) {
    rows.push(`<tr><th>retrial share</th><td>${pct(r.probability.value)} [${pct(r.probability.ciLow)}, ${pct(r.probability.ciHigh)}]</td><td>${int(r.abandonedWithCustomer)} abandoned callers</td></tr>`);
    rows.push(`<tr><th>retrial delay median / 90th percentile</th><td>${r.delay.n > 0 ? `${r.delay.medianSec}${NB}s / ${r.delay.p90Sec}${NB}s` : 'none measured'}</td><td>${int(r.delay.n)} retrials</td></tr>`);
  }
  const days = cal.days.map((d) => `<tr><th>${d.date}</th><td>${int(d.real.offered)}</td><td>${pct(d.real.serviceLevel)}</td><td>${d.real.asaSec ?? '—'}${NB}s</td><td>${pct(d.real.abandonRate)}</td></tr>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Calibration — ${esc(logName)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
table{border-collapse:collapse;margin:8px 0 20px}th,td{padding:3px 8px;border-bottom:1px solid #ddd;text-align:right}
thead th{background:#f3f3f3}tbody th,.est th{text-align:left;font-weight:normal}figure{margin:12px 0}figcaption{font-weight:600;margin-bottom:4px}
td{white-space:nowrap;font-variant-numeric:tabular-nums}svg{display:block;max-width:100%;height:auto}.note{font-size:12px;color:#555;margin:2px 0 0}
.grid{stroke:#e5e5e5}.target{stroke:#999;stroke-dasharray:4 3}.yl{font-size:11px;text-anchor:end;fill:#555}.xl{font-size:11px;text-anchor:middle;fill:#555}
.lg{font-size:12px;fill:#333}.meta td,.meta th{text-align:left;vertical-align:top;white-space:normal}.bt tbody th{white-space:nowrap}
</style></head><body>
<h1>Calibration</h1>
<table class="meta">
<tr><th>log</th><td>${esc(logName)}: ${int(cal.input.calls)} calls of ${int(cal.input.rows)} rows${cal.input.otherDays ? `, ${int(cal.input.otherDays)} on other days` : ''}; queues ${esc(cal.queues.join(', '))}</td></tr>
<tr><th>method</th><td>${cal.intervalMin}-minute intervals; service level within ${cal.thresholdSec}${NB}s; an agent is present between calls less than ${cal.presenceGapSec / 60}${NB}min apart, except while idle when a caller waited</td></tr>
</table>
<h2>The log's own figures</h2>
<table><thead><tr><th>day</th><th>offered</th><th>service level</th><th>ASA</th><th>abandon rate</th></tr></thead><tbody>${days}</tbody></table>
<h2>Estimates (95% intervals)</h2>
<table class="est"><tbody>${rows.join('')}</tbody></table>
${fallbacks}
<h2>Patience</h2>
${km}
<h2>Talk time</h2>
${talk}
<h2>Staffing and load by interval</h2>
${staffing}
${load}
${tested ? backtestSection(tested) : ''}
</body></html>
`;
}
