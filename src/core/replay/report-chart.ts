import { clockLabel } from './replay-report.js';

/** HTML-escapes text for element content and attribute values. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

export interface Series {
  name: string;
  points: Array<[x: number, y: number | null]>;
  /** Draw the line dashed (an SVG stroke-dasharray, e.g. "6 4"): a series drawn over another stays readable where they coincide. */
  dash?: string;
}

export interface ChartOptions {
  yMax?: number;
  yFormat?: (y: number) => string;
  target?: number;
  /** Label of an x value (default: the clock, "09:30" or "d1 09:30"). */
  xLabel?: (x: number) => string;
  /** Ticks every this much of x, from a multiple of it (default: at the points, at most 8 of them labelled). */
  xStep?: number;
  /** Points at these x values are drawn hollow, with the note under the chart: periods the trace covers only in part. */
  partial?: { xs: ReadonlySet<number>; note: string };
}

/**
 * A line chart as inline SVG: no script, no network, readable when printed. It scales down with
 * the page (CSS max-width) and keeps its proportions.
 */
export function lineChart(title: string, series: Series[], opts: ChartOptions = {}): string {
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
  // A chart of nothing but zeros still gets an axis from 0 to 1.
  const top = Math.max(0, ...ys) || 1;
  const step = opts.yMax === undefined ? yStep(top) : opts.yMax / 4;
  const yMax = opts.yMax ?? step * Math.ceil((top * 1.05) / step);
  const fmt = opts.yFormat ?? ((y: number) => String(Math.round(y * 1000) / 1000));
  const px = (x: number) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
  const py = (y: number) => T + (1 - y / yMax) * (H - T - B);
  const parts: string[] = [];
  parts.push(`<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">`);
  for (let i = 0; i * step <= yMax + step / 1e6; i++) {
    const y = i * step;
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${py(y)}" y2="${py(y)}" class="grid"/><text x="${L - 6}" y="${py(y) + 4}" class="yl">${esc(fmt(y))}</text>`);
  }
  const xLabel = opts.xLabel ?? ((x: number) => clockLabel(Math.round(x)));
  for (const x of xTicks(xs, x0, x1, opts.xStep)) {
    parts.push(`<text x="${px(x).toFixed(1)}" y="${H - 12}" class="xl">${esc(xLabel(x))}</text>`);
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
    const dash = s.dash ? ` stroke-dasharray="${esc(s.dash)}"` : '';
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${dash}><title>${esc(s.name)}</title></path>`);
    for (const [x, y] of s.points) {
      if (y === null || !opts.partial?.xs.has(x)) continue;
      parts.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="4" fill="#fff" stroke="${color}" stroke-width="2" class="partial"/>`);
    }
    parts.push(`<rect x="${W - R + 12}" y="${T + i * 18 - 9}" width="10" height="10" fill="${color}"/><text x="${W - R + 28}" y="${T + i * 18}" class="lg">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  const note = opts.partial && opts.partial.xs.size > 0 ? `<p class="note">${esc(opts.partial.note)}</p>` : '';
  return `<figure><figcaption>${esc(title)}</figcaption>${parts.join('')}${note}</figure>`;
}

/** A round step (1, 2, 2.5 or 5 times a power of ten) for a y axis from 0 to `top` in at most five steps. */
export function yStep(top: number): number {
  const raw = (top * 1.05) / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw * (1 - 1e-9))!;
}

/** Where to label the x axis: every `step` from a multiple of it, or at every k-th distinct point; at most 8 labels. */
function xTicks(xs: number[], x0: number, x1: number, step: number | undefined): number[] {
  if (step !== undefined && step > 0) {
    let k = step;
    while ((x1 - x0) / k > 8) k += step;
    const out: number[] = [];
    for (let x = Math.ceil(x0 / k) * k; x <= x1; x += k) out.push(x);
    return out;
  }
  const distinct = [...new Set(xs)].sort((a, b) => a - b);
  const stride = Math.ceil(distinct.length / 8);
  return distinct.filter((_, i) => i % stride === 0);
}
