import type { KpiRow, ReplayReport } from '../core/replay/replay-report.js';
import { warningLines } from './report-warnings.js';

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const sec = (x: number | null) => (x === null ? '—' : x.toFixed(1));

const COLUMNS: Array<[string, (r: KpiRow) => string]> = [
  ['calls', (r) => String(r.calls)],
  ['self', (r) => String(r.selfServed)],
  ['handed', (r) => String(r.handedOff)],
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
  const cells = [['', ...COLUMNS.map(([h]) => h)], ...rows.map(([name, r]) => [name, ...COLUMNS.map(([, f]) => f(r))])];
  const widths = cells[0]!.map((_, c) => Math.max(...cells.map((row) => row[c]!.length)));
  return cells.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n') + '\n';
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
  out += '\n' + counts('Hot keys', r.hotKeys) + counts('SMS by template', r.sms) + counts('Pop-up tags', r.tags);
  out += `\nSL = answered within ${s.thresholdSec} s ÷ (answered + abandoned); containment = self-served ÷ calls.\n`;
  return out;
}
