import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import type { Readable } from 'node:stream';
import type { TraceCall } from './trace-call.js';
import { TraceError, TRACE_ISSUE_REASONS, type TraceIssue, type TraceIssueReason } from './trace-error.js';
import { checkTraceLine, type CheckedLine } from './trace-line-check.js';
import { csvRecords, jsonlRecords, type TraceRecord } from './trace-records.js';

export type TraceFormat = 'jsonl' | 'csv';

export interface TraceReaderOptions {
  /** Default: from the file extension (.jsonl, .ndjson, .json → jsonl; .csv → csv); jsonl for a stream. */
  format?: TraceFormat;
  /** How messages name the source; default the path, or "trace" for a stream. */
  name?: string;
  /** `fail` (default) stops at the error limit and throws a TraceError; `skip` leaves bad lines out and counts them. */
  onError?: 'fail' | 'skip';
  /** Sort by arrival (stable) instead of refusing calls out of order. Holds the whole trace in memory. */
  sort?: boolean;
  /** Queue ids of the staffing file; an ACD-level line naming another queue is an error. */
  queues?: ReadonlySet<string>;
  /** How many errors `fail` collects before it stops (default 10); also the size of the stats' sample. */
  maxErrors?: number;
}

export interface TraceReadStats {
  /** Lines (CSV: rows) that held something, whether they became calls or not. */
  read: number;
  /** Calls yielded. Once the trace is read in skip mode, read = calls + skipped. */
  calls: number;
  /** Lines left out for errors, counted once each. */
  skipped: number;
  skippedByReason: Record<TraceIssueReason, number>;
  /** Blank lines (and CSV rows with every cell empty): neither calls nor errors. */
  blank: number;
  /** The first errors found (at most maxErrors). */
  errors: TraceIssue[];
  /**
   * For a trace with arrivalTime: the first arrival (the zero of arrivalSec) as written, and
   * its seconds after local midnight at the written UTC offset, to line the trace up with shifts.
   */
  origin?: { arrivalTime: string; secOfDay: number };
}

const DEFAULT_MAX_ERRORS = 10;

/** The format a file's extension names. */
export function traceFormatOf(path: string): TraceFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl';
  if (ext === '.csv') return 'csv';
  throw new TraceError('TRACE_FORMAT', path, [
    { line: 0, field: '', message: `cannot tell the format from the extension "${ext}"; use .jsonl (or .ndjson, .json) for JSON Lines, .csv for CSV`, reason: 'syntax' },
  ]);
}

/**
 * Reads a trace as a stream of checked calls. Memory stays bounded by one line plus the set of
 * call ids seen (for the duplicate check) unless `sort` is asked for. Every line is accounted
 * for: a call, a blank line, or an error (thrown in `fail` mode, counted in `skip` mode).
 * One pass: iterate it once.
 */
export class TraceReader implements AsyncIterable<TraceCall> {
  private readonly name: string;
  private readonly format: TraceFormat;
  private readonly onError: 'fail' | 'skip';
  private readonly maxErrors: number;
  private readonly counts: TraceReadStats;
  private started = false;

  constructor(
    private readonly source: string | Readable,
    private readonly options: TraceReaderOptions = {},
  ) {
    this.name = options.name ?? (typeof source === 'string' ? source : 'trace');
    this.format = options.format ?? (typeof source === 'string' ? traceFormatOf(source) : 'jsonl');
    this.onError = options.onError ?? 'fail';
    this.maxErrors = options.maxErrors ?? DEFAULT_MAX_ERRORS;
    this.counts = {
      read: 0,
      calls: 0,
      skipped: 0,
      skippedByReason: Object.fromEntries(TRACE_ISSUE_REASONS.map((r) => [r, 0])) as Record<TraceIssueReason, number>,
      blank: 0,
      errors: [],
    };
  }

  /** Counts so far; final once the iteration has ended. */
  stats(): TraceReadStats {
    return { ...this.counts, skippedByReason: { ...this.counts.skippedByReason }, errors: [...this.counts.errors] };
  }

  [Symbol.asyncIterator](): AsyncIterator<TraceCall> {
    if (this.started) throw new Error('a TraceReader reads its source once; create another to read again');
    this.started = true;
    return this.calls();
  }

  private async *calls(): AsyncGenerator<TraceCall> {
    const input = typeof this.source === 'string' ? createReadStream(this.source) : this.source;
    const records = this.format === 'csv' ? csvRecords(input, this.name) : jsonlRecords(input);
    const sorted: ({ line: CheckedLine; lineNo: number } | undefined)[] = [];
    const seen = new Map<string, number>();
    let style: { kind: 'sec' | 'time'; line: number } | undefined;
    let previous: { at: number; line: number } | undefined;
    let origin: number | undefined;
    // After the first error in fail mode nothing more is yielded; reading goes on only to collect errors.
    let failing = false;

    try {
      for await (const batch of this.guard(records)) {
        for (const record of batch) {
          if (record.kind === 'blank') {
            this.counts.blank += record.count;
            continue;
          }
          this.counts.read++;
          const lineNo = record.line;
          if (record.kind === 'syntax') {
            failing = this.reject(lineNo, 'syntax', record.problems) || failing;
            continue;
          }
          const checked = checkTraceLine(record.value);
          if (record.problems.length || !checked.ok) {
            // A CSV cell that is not JSON is a syntax error; the rest of the row is still checked.
            const problems = [...record.problems.map((p) => ({ ...p, reason: 'syntax' as const })), ...(checked.ok ? [] : checked.problems.map((p) => ({ ...p, reason: 'schema' as const })))];
            failing = this.reject(lineNo, record.problems.length ? 'syntax' : 'schema', problems) || failing;
            continue;
          }
          const { call, arrival } = checked.line;
          if (!style) style = { kind: arrival.kind, line: lineNo };
          else if (arrival.kind !== style.kind) {
            const [used, other] = style.kind === 'sec' ? ['arrivalSec', 'arrivalTime'] : ['arrivalTime', 'arrivalSec'];
            failing =
              this.reject(lineNo, 'arrivalStyle', [{ field: `/${other}`, message: `this trace gives ${used} (from line ${style.line}); use one style in a file` }]) || failing;
            continue;
          }
          const first = seen.get(call.callId);
          if (first !== undefined) {
            failing = this.reject(lineNo, 'duplicateCallId', [{ field: '/callId', message: `callId "${call.callId}" is already used on line ${first}` }]) || failing;
            continue;
          }
          if (call.queue !== undefined && this.options.queues && !this.options.queues.has(call.queue)) {
            const known = [...this.options.queues].join(', ');
            failing = this.reject(lineNo, 'unknownQueue', [{ field: '/queue', message: `queue "${call.queue}" is not in the staffing file; queues: ${known}` }]) || failing;
            continue;
          }
          const at = arrival.kind === 'sec' ? arrival.sec : arrival.epochMs;
          if (!this.options.sort) {
            if (previous && at < previous.at) {
              const unit = (x: number) => (arrival.kind === 'sec' ? `${x} s` : new Date(x).toISOString());
              failing =
                this.reject(lineNo, 'outOfOrder', [
                  { field: arrival.kind === 'sec' ? '/arrivalSec' : '/arrivalTime', message: `arrives at ${unit(at)}, before the call on line ${previous.line} (${unit(previous.at)}); a trace lists calls in arrival order (or read it sorted)` },
                ]) || failing;
              continue;
            }
            previous = { at, line: lineNo };
          }
          seen.set(call.callId, lineNo);
          if (this.options.sort) {
            sorted.push({ line: checked.line, lineNo });
            continue;
          }
          if (failing) continue;
          if (arrival.kind === 'time' && origin === undefined) origin = this.setOrigin(arrival.epochMs, arrival.text);
          this.counts.calls++;
          yield toCall(lineNo, checked.line, origin);
        }
      }
    } finally {
      input.destroy();
    }
    if (failing) throw this.failure(false);
    if (!this.options.sort) return;

    // Stable: calls arriving together keep the order of the file.
    const key = (l: CheckedLine) => (l.arrival.kind === 'sec' ? l.arrival.sec : l.arrival.epochMs);
    sorted.sort((a, b) => key(a!.line) - key(b!.line));
    const head = sorted[0]?.line.arrival;
    if (head?.kind === 'time') origin = this.setOrigin(head.epochMs, head.text);
    for (let i = 0; i < sorted.length; i++) {
      const { line, lineNo } = sorted[i]!;
      sorted[i] = undefined; // let yielded calls be collected as the replay goes
      this.counts.calls++;
      yield toCall(lineNo, line, origin);
    }
  }

  /** Turns a failing source (missing file, a bad CSV header) into a TraceError. */
  private async *guard(records: AsyncGenerator<TraceRecord[]>): AsyncGenerator<TraceRecord[]> {
    try {
      yield* records;
    } catch (err) {
      if (err instanceof TraceError) throw err;
      const e = err as NodeJS.ErrnoException;
      const why = e.code ? `${e.code}${e.message ? `: ${e.message}` : ''}` : String(e.message ?? err);
      throw new TraceError('TRACE_UNREADABLE', this.name, [{ line: 0, field: '', message: `cannot read: ${why}`, reason: 'syntax' }]);
    }
  }

  /**
   * Records a bad line under `reason` (a problem may name its own); returns whether reading is
   * now failing. Throws once fail mode reaches its limit.
   */
  private reject(line: number, reason: TraceIssueReason, problems: { field: string; message: string; reason?: TraceIssueReason }[]): boolean {
    for (const p of problems) {
      if (this.counts.errors.length < this.maxErrors) this.counts.errors.push({ line, field: p.field, message: p.message, reason: p.reason ?? reason });
    }
    this.counts.skipped++;
    this.counts.skippedByReason[reason]++;
    if (this.onError === 'fail' && this.counts.errors.length >= this.maxErrors) throw this.failure(true);
    return this.onError === 'fail';
  }

  private failure(truncated: boolean): TraceError {
    return new TraceError('TRACE_INVALID', this.name, [...this.counts.errors], truncated);
  }

  private setOrigin(epochMs: number, text: string): number {
    this.counts.origin = { arrivalTime: text, secOfDay: secOfDayAt(epochMs, text) };
    return epochMs;
  }
}

/** A reader over a trace file or stream; see TraceReader. */
export function readTrace(source: string | Readable, options: TraceReaderOptions = {}): TraceReader {
  return new TraceReader(source, options);
}

function toCall(lineNo: number, line: CheckedLine, origin: number | undefined): TraceCall {
  const arrivalSec = line.arrival.kind === 'sec' ? line.arrival.sec : (line.arrival.epochMs - origin!) / 1000;
  return Object.assign({ line: lineNo, callId: line.call.callId, arrivalSec }, line.call);
}

/** Seconds after local midnight at the UTC offset written in an RFC 3339 date-time. */
function secOfDayAt(epochMs: number, text: string): number {
  const m = /(z|([+-])(\d\d):?(\d\d)?)$/i.exec(text.trim());
  let offsetMin = 0;
  if (m && m[2]) offsetMin = (m[2] === '-' ? -1 : 1) * (Number(m[3]) * 60 + Number(m[4] ?? 0));
  // In whole milliseconds, so 09:00:03.597 gives 32403.597 and not a float's neighbour of it.
  const dayMs = 86_400_000;
  return ((((epochMs + offsetMin * 60_000) % dayMs) + dayMs) % dayMs) / 1000;
}
