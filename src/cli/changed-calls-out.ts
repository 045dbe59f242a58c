import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { callsByField, type ChangedCall, type ChangedCallsSummary } from '../core/replay/changed-calls.js';

/** Transitions printed per field; the rest are summed up in one line (all are in --json). */
const ROWS_PER_FIELD = 8;

/**
 * The transition table of compare's text output:
 *
 *   changed calls: 68 of 3000 (…)
 *   by field: overflow 68, answeredBy 61, outcome 41
 *     field     from       to              calls
 *     overflow  none       general            34
 */
export function formatChangedCalls(s: ChangedCallsSummary, compared: number): string {
  let out = `changed calls: ${s.count} of ${compared}`;
  if (s.count === 0) return out + ' (every call treated the same and ended the same way)\n';
  out += ' (treatment or outcome differs; a call counts once here and once per field it changed in below)\n';
  const byField = callsByField(s);
  out += `by field: ${[...byField].map(([f, n]) => `${f} ${n}`).join(', ')}\n`;
  const rows: string[][] = [['field', 'from', 'to', 'calls']];
  for (const field of byField.keys()) {
    const ts = s.transitions.filter((t) => t.field === field);
    for (const t of ts.slice(0, ROWS_PER_FIELD)) rows.push([t.field, t.from, t.to, String(t.count)]);
    const rest = ts.slice(ROWS_PER_FIELD);
    if (rest.length > 0) rows.push([field, `… ${rest.length} more (all in --json)`, '', String(rest.reduce((n, t) => n + t.count, 0))]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (c === 1 && r[2] === '' ? 0 : r[c]!.length))));
  for (const r of rows) {
    const cells = r[2] === '' ? [r[0]!.padEnd(widths[0]!), r[1]!.padEnd(widths[1]! + 2 + widths[2]!), r[3]!.padStart(widths[3]!)] : r.map((cell, c) => (c === 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)));
    out += '  ' + cells.join('  ') + '\n';
  }
  return out;
}

/**
 * Writes every changed call as one JSON line, through a temporary file renamed into place, so
 * that the file is whole or absent; lines go out in chunks, never all in one string.
 */
export function writeChangedCalls(file: string, calls: Iterable<ChangedCall>): number {
  const tmp = `${file}.tmp-${process.pid}`;
  let n = 0;
  try {
    mkdirSync(dirname(file), { recursive: true });
    const fd = openSync(tmp, 'w');
    try {
      let chunk = '';
      for (const c of calls) {
        chunk += JSON.stringify(c) + '\n';
        n++;
        if (chunk.length > 1 << 16) {
          writeSync(fd, chunk);
          chunk = '';
        }
      }
      if (chunk) writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return n;
}
