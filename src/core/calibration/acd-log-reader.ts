import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse, type CsvError } from 'csv-parse/sync';
import { readProblem } from '../config/read-problem.js';
import { schemaErrors } from '../config/schema-validator.js';
import { HEADED_CSV_OPTIONS } from '../text/headed-csv.js';
import { AcdLogError, emptyIssueCounts, queueIdOf, type AcdCall, type AcdIssueReason, type AcdReadStats } from './acd-log.js';
import { mapRow, missingColumns, type ColumnMapping } from './column-mapping.js';
import { localDate, parseArrival, type TimeZone } from './time-zone.js';

export interface AcdLogOptions {
  /** Export column names for the log's fields; default the fields' own names. */
  columns?: ColumnMapping;
  /** For arrival times written without a UTC offset. */
  timeZone?: TimeZone;
  /** Only this local date (YYYY-MM-DD); the other days' rows are counted, not read as calls. */
  day?: string;
  /** `fail` (default): any bad row stops the calibration, listing every reason; `skip`: leave bad rows out and count them. */
  onError?: 'fail' | 'skip';
  /** How messages name the file; default the path. */
  name?: string;
  /** Sort the rows by arrival (stable) instead of refusing rows out of order. */
  sort?: boolean;
}

export interface AcdLog {
  calls: AcdCall[];
  stats: AcdReadStats;
}

const FIRST_LINES = 5;
const MAX_ISSUES = 10;
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NUMBER_FIELDS = ['waitSec', 'talkSec', 'priority'] as const;

/** A raw row of the file with the line it starts on. */
type RawRow = { line: number; value: Record<string, unknown> } | { line: number; syntax: string };

/**
 * Reads an ACD log (CSV or JSON Lines, told by the extension) into checked calls in arrival
 * order. Every row is accounted for: a call, a row of another day, or left out for a reason.
 * Outcomes other than answered and abandoned are always left out and counted; any other reason
 * fails the read unless `onError` is `skip`.
 */
export function readAcdLog(path: string, options: AcdLogOptions = {}): AcdLog {
  const name = options.name ?? path;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new AcdLogError('ACD_LOG_UNREADABLE', name, readProblem(err));
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const ext = extname(path).toLowerCase();
  const columns = options.columns ?? new Map();
  let rows: RawRow[];
  if (ext === '.csv') rows = csvRows(text, name, columns);
  else if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') rows = jsonlRows(text);
  else throw new AcdLogError('ACD_LOG_FORMAT', name, `cannot tell the format from the extension "${ext}"; use .csv or .jsonl (or .ndjson)`);

  const stats: AcdReadStats = { rows: 0, calls: 0, otherDays: 0, leftOut: emptyIssueCounts(), unknownOutcomes: {}, issues: [], queueNames: {} };
  const calls: AcdCall[] = [];
  const seen = new Map<string, number>();
  let previous: { epochMs: number; line: number; text: string } | undefined;
  const reject = (line: number, reason: AcdIssueReason, field: string, message: string): void => {
    const c = stats.leftOut[reason];
    c.count++;
    if (c.firstLines.length < FIRST_LINES) c.firstLines.push(line);
    if (stats.issues.length < MAX_ISSUES) stats.issues.push({ line, field, message, reason });
  };

  for (const raw of rows) {
    stats.rows++;
    if ('syntax' in raw) {
      reject(raw.line, 'syntax', '', raw.syntax);
      continue;
    }
    const line = raw.line;
    const v = mapRow(raw.value, columns);
    for (const f of NUMBER_FIELDS) if (typeof v[f] === 'string' && NUMERIC.test(v[f])) v[f] = Number(v[f]);
    if (typeof v['outcome'] === 'string') v['outcome'] = v['outcome'].toLowerCase();
    const outcome = v['outcome'];
    if (typeof outcome === 'string' && outcome !== 'answered' && outcome !== 'abandoned') {
      stats.unknownOutcomes[outcome] = (stats.unknownOutcomes[outcome] ?? 0) + 1;
      reject(line, 'unknownOutcome', '/outcome', `outcome "${outcome}" is neither answered nor abandoned; the row is left out`);
      continue;
    }
    if (typeof v['waitSec'] === 'number' && v['waitSec'] < 0) {
      reject(line, 'negativeWait', '/waitSec', `waitSec is ${v['waitSec']}; a wait cannot be negative`);
      continue;
    }
    if (outcome === 'abandoned' && typeof v['talkSec'] === 'number' && v['talkSec'] > 0) {
      reject(line, 'talkOnAbandoned', '/talkSec', `an abandoned call has talkSec ${v['talkSec']}; only answered calls talk (leave it empty or 0)`);
      continue;
    }
    const problems = rowProblems(v);
    if (problems.length) {
      reject(line, 'invalid', problems[0]!.field, problems.map((p, i) => (i === 0 ? p.message : `${p.field}: ${p.message}`)).join('; '));
      continue;
    }
    const arrival = parseArrival(cellText(v['arrivalTime']), options.timeZone);
    if (typeof arrival === 'string') {
      reject(line, 'unparseableDate', '/arrivalTime', arrival);
      continue;
    }
    const callId = cellText(v['callId']);
    const first = seen.get(callId);
    if (first !== undefined) {
      reject(line, 'duplicateCallId', '/callId', `callId "${callId}" is already used on line ${first}`);
      continue;
    }
    if (!options.sort && previous && arrival.epochMs < previous.epochMs) {
      reject(line, 'outOfOrder', '/arrivalTime', `arrives at ${cellText(v['arrivalTime'])}, before the call on line ${previous.line} (${previous.text}); a log lists calls in arrival order`);
      continue;
    }
    seen.set(callId, line);
    previous = { epochMs: arrival.epochMs, line, text: cellText(v['arrivalTime']) };
    const date = localDate(arrival.epochMs, arrival.offsetMin);
    if (options.day !== undefined && date !== options.day) {
      stats.otherDays++;
      continue;
    }
    const customer = v['customerId'] === undefined ? '' : cellText(v['customerId']);
    const queueName = v['queue'] === undefined ? 'main' : cellText(v['queue']);
    const queue = queueIdOf(queueName);
    if (queue !== queueName) stats.queueNames[queue] = queueName;
    const call: AcdCall = {
      line,
      callId,
      queue,
      epochMs: arrival.epochMs,
      offsetMin: arrival.offsetMin,
      date,
      waitSec: v['waitSec'] as number,
      outcome: outcome as 'answered' | 'abandoned',
      talkSec: outcome === 'answered' ? (v['talkSec'] as number) : 0,
    };
    if (customer !== '' && customer !== '0') call.customerId = customer;
    if (v['priority'] !== undefined) call.priority = v['priority'] as number;
    if (v['agentId'] !== undefined && outcome === 'answered') call.agentId = cellText(v['agentId']);
    calls.push(call);
  }
  stats.calls = calls.length;
  if (options.sort) calls.sort((a, b) => a.epochMs - b.epochMs);

  const fatal = Object.entries(stats.leftOut).filter(([r, c]) => r !== 'unknownOutcome' && c.count > 0);
  if (fatal.length && (options.onError ?? 'fail') === 'fail') {
    const n = fatal.reduce((s, [, c]) => s + c.count, 0);
    throw new AcdLogError(
      'ACD_LOG_INVALID',
      name,
      `${n} bad row${n === 1 ? '' : 's'}; fix them, or leave them out with --on-error skip. Rows per reason:`,
      stats.issues.filter((i) => i.reason !== 'unknownOutcome'),
      stats.leftOut,
    );
  }
  if (calls.length === 0) {
    const why = options.day !== undefined && stats.otherDays > 0 ? `no call on ${options.day} (the log has ${stats.otherDays} calls on other days)` : 'no answered or abandoned call';
    throw new AcdLogError('ACD_LOG_EMPTY', name, `${why}; nothing was calibrated`, [], stats.leftOut);
  }
  return { calls, stats };
}

/** A checked cell as text: the schema allows only strings and numbers where this is used. */
const cellText = (x: unknown): string => (typeof x === 'string' ? x : typeof x === 'number' ? String(x) : '');

function rowProblems(v: Record<string, unknown>): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const seen = new Set<string>();
  for (const e of schemaErrors('acd-log', v)) {
    if (e.keyword === 'if' || e.keyword === 'allOf') continue;
    const field = e.keyword === 'required' ? `/${String(e.params['missingProperty'])}` : e.instancePath || '';
    const got = e.instancePath ? ` (got ${JSON.stringify(e.data)})` : '';
    const message =
      e.keyword === 'required'
        ? v['outcome'] === 'answered' && ['talkSec', 'agentId'].includes(String(e.params['missingProperty']))
          ? 'is required on an answered call'
          : 'is required'
        : `${e.message ?? e.keyword}${got}`;
    if (seen.has(field + message)) continue;
    seen.add(field + message);
    out.push({ field, message });
  }
  return out;
}

function jsonlRows(text: string): RawRow[] {
  const rows: RawRow[] = [];
  const lines = text.split('\n');
  lines.forEach((l, i) => {
    const t = l.endsWith('\r') ? l.slice(0, -1) : l;
    if (t.trim() === '') return;
    try {
      const value = JSON.parse(t) as unknown;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) rows.push({ line: i + 1, syntax: 'a line must hold one JSON object' });
      else rows.push({ line: i + 1, value: value as Record<string, unknown> });
    } catch (err) {
      rows.push({ line: i + 1, syntax: `not valid JSON: ${(err as Error).message}` });
    }
  });
  return rows;
}

function csvRows(text: string, name: string, columns: ColumnMapping): RawRow[] {
  const headerLine = text.slice(0, text.indexOf('\n') < 0 ? undefined : text.indexOf('\n'));
  const delimiter = [',', ';', '\t'].map((d) => ({ d, n: headerLine.split(d).length })).sort((a, b) => b.n - a.n)[0]!.d;
  const rows: RawRow[] = [];
  const skipped: RawRow[] = [];
  let header: string[] = [];
  const records = parse(text, {
    delimiter,
    ...HEADED_CSV_OPTIONS,
    columns: (h: string[]) => {
      header = h;
      const missing = missingColumns(new Set(h), columns);
      if (missing.length) {
        throw new AcdLogError(
          'ACD_LOG_FORMAT',
          name,
          `the header has no column ${missing.join(', ')} (header: ${h.join(delimiter)}); map the export's names with --columns, e.g. --columns callId=call_id,arrivalTime=date+q_start`,
        );
      }
      return h;
    },
    on_skip: (err: CsvError | undefined, raw: string | undefined) => {
      if (!err) return;
      const end = Number((err as CsvError & { lines?: number }).lines ?? 0);
      const breaks = (raw ?? '').replace(/\r?\n$/, '').split('\n').length - 1;
      const message = err.code === 'CSV_RECORD_INCONSISTENT_COLUMNS' ? `the row does not have the header's ${header.length} cells` : err.message;
      skipped.push({ line: Math.max(2, end - breaks), syntax: message });
    },
  }) as unknown as { record: Record<string, string>; raw: string; info: { lines: number } }[];
  for (const r of records) {
    const breaks = r.raw.replace(/\r?\n$/, '').split('\n').length - 1;
    if (Object.values(r.record).every((c) => c === '')) continue;
    rows.push({ line: r.info.lines - breaks, value: r.record });
  }
  return [...rows, ...skipped].sort((a, b) => a.line - b.line);
}

