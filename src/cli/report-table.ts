import { clockLabel, type KpiRow, type ReplayReport } from '../core/replay/replay-report.js';
import type { ContactPolicyCounts, ContactPolicyReport } from '../core/sms/replay-contact-policy.js';
import { warningLines } from './report-warnings.js';

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const sec = (x: number | null) => (x === null ? '—' : x.toFixed(1));

const COLUMNS: Array<[string, (r: KpiRow) => string]> = [
  ['calls', (r) => String(r.calls)],
  ['self', (r) => String(r.selfServed)],
  ['handed', (r) => String(r.handedOff)],
  ['hung up', (r) => String(r.hungUpInIvr)],
  ['answered', (r) => String(r.answered)],
  ['abandoned', (r) => String(r.abandoned)],
  ['SL', (r) => pct(r.serviceLevel)],
  ['ASA s', (r) => sec(r.asaSec)],
  ['AHT s', (r) => sec(r.ahtSec)],
  ['aband.', (r) => pct(r.abandonRate)],
  ['contain.', (r) => pct(r.containmentRate)],
  ['occup.', (r) => pct(r.occupancy)],
  ['IVR s', (r) => sec(r.avgIvrSec)],
];

/** A plain-text table, right-aligned figures, for terminals and logs. */
export function table(rows: Array<[string, KpiRow]>): string {
  return grid([['', ...COLUMNS.map(([h]) => h)], ...rows.map(([name, r]) => [name, ...COLUMNS.map(([, f]) => f(r))])]);
}

/** Rows of cells in columns: the first left-aligned, the others right-aligned, the last left-aligned when `lastText`. */
function grid(cells: string[][], lastText = false): string {
  const widths = cells[0]!.map((_, c) => Math.max(...cells.map((row) => row[c]!.length)));
  const last = widths.length - 1;
  const align = (cell: string, c: number) => (c === 0 || (lastText && c === last) ? (c === last ? cell : cell.padEnd(widths[c]!)) : cell.padStart(widths[c]!));
  return cells.map((row) => row.map(align).join('  ').trimEnd()).join('\n') + '\n';
}

const reasons = (c: ContactPolicyCounts) =>
  Object.entries(c.suppressed)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
const suppressedTotal = (c: ContactPolicyCounts) => Object.values(c.suppressed).reduce((a, b) => a + b, 0);

/** What the contact policy did with the SMS the rules asked for, overall and per template. */
export function formatContactPolicy(p: ContactPolicyReport): string {
  let out = `SMS contact policy ${p.policyVersion}: ${p.requested} requested, ${p.sent} sent, ${suppressedTotal(p)} suppressed`;
  out += (suppressedTotal(p) ? ` (${reasons(p)})` : '') + `; ${p.deferred} deferred by quiet hours first\n`;
  const rows = Object.entries(p.byTemplate).sort((a, b) => b[1].requested - a[1].requested || (a[0] < b[0] ? -1 : 1));
  out += grid(
    [
      ['template', 'requested', 'sent', 'deferred', 'suppressed', 'by reason'],
      ...rows.map(([t, c]) => [t, String(c.requested), String(c.sent), String(c.deferred), String(suppressedTotal(c)), reasons(c)]),
    ],
    true,
  );
  return out;
}

/** "2025-03-03 09:00" when the trace gives dates, else "d1 09:00" (clock label). */
function when(r: ReplayReport, sec: number): string {
  const first = r.byDay[0]?.date;
  const day = Math.floor(sec / 86_400);
  const hhmm = clockLabel(sec - day * 86_400);
  if (!first) return clockLabel(sec);
  const [y, m, d] = first.split('-').map(Number) as [number, number, number];
  return `${new Date(Date.UTC(y, m - 1, d + day - r.byDay[0]!.day)).toISOString().slice(0, 10)} ${hhmm}`;
}

/** One row per calendar day, for traces that span more than one. */
function dayTable(r: ReplayReport): string {
  const rows: Array<[string, KpiRow]> = r.byDay.map((d) => [`${d.date ?? `day ${d.day}`}${d.partial ? ' (part)' : ''}`, d]);
  return table(rows);
}

function counts(title: string, m: Record<string, number>): string {
  const entries = Object.entries(m).sort((a, b) => b[1] - a[1]);
  return entries.length ? `${title}: ${entries.map(([k, v]) => `${k} ${v}`).join(', ')}\n` : '';
}

/** The replay report as a terminal reader wants it. */
export function formatReport(r: ReplayReport): string {
  const s = r.scenario;
  let out = `Replay of ${s.trace}: ${r.input.calls} calls` + (r.input.skipped ? `, ${r.input.skipped} lines skipped (${Object.entries(r.input.skippedByReason).map(([k, v]) => `${k} ${v}`).join(', ')})` : '') + '\n';
  out += `config ${s.configVersion} · staffing ${s.staffing} · SL target ${Math.round(s.serviceLevelTarget * 100)}/${s.thresholdSec} · seed ${s.seed}\n\n`;
  out += table([['overall', r], ...Object.entries(r.bySegment).map(([k, v]) => [k, v] as [string, KpiRow])]);
  out += '\n' + table(Object.entries(r.byQueue).map(([k, v]) => [`queue ${k}`, v] as [string, KpiRow]));
  if (r.warnings.length > 0) out += '\n' + warningLines(r.warnings);
  if (r.byDay.length > 1) out += `\nby day (${when(r, r.span.startSec)} to ${when(r, r.span.endSec)}; "part": the trace covers only part of the day)\n` + dayTable(r);
  out += '\n' + counts('Hot keys', r.hotKeys) + counts('SMS requested by the rules, by template', r.sms) + counts('Pop-up tags', r.tags);
  if (r.contactPolicy) out += '\n' + formatContactPolicy(r.contactPolicy);
  if (r.retrials) {
    const t = r.retrials;
    out += `\nRetrials (queue-behaviour model): ${t.recorded} recorded retries replayed, ${t.suppressed} left out (the call they retry did not hang up in the simulation), ${t.generated} generated by the model\n`;
  }
  out += `\nSL = answered within ${s.thresholdSec} s ÷ (answered + abandoned); containment = self-served ÷ calls; hung up = hung up in the IVR.\n`;
  return out;
}
