import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import type { Readable } from 'node:stream';
import type { TraceCall } from './trace-call.js';
import { TraceError, TRACE_ISSUE_REASONS, type TraceIssue, type TraceIssueReason } from './trace-error.js';
import { readProblem } from '../config/read-problem.js';
import { CallIdSet } from './call-id-set.js';
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
  /** The first lines left out (at most maxErrors), one entry per line: its first problem. */
  skippedLines: TraceIssue[];
  /**
   * For a trace with arrivalTime: the first arrival (the zero of arrivalSec) as written, and
   * its seconds after local midnight at the written UTC offset, to line the trace up with shifts.
   */
  origin?: { arrivalTime: string; secOfDay: number };
}

const DEFAULT_MAX_ERRORS = 10;

/** A line that passed every check, with its arrival as a sortable number (seconds or epoch ms). */
interface Admitted {
  lineNo: number;
  line: CheckedLine;
  at: number;
}

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
  // Reading state, for the checks that look at earlier lines.
  private readonly seen = new CallIdSet();
  /** Calls retried by a later line: the original's callId → the retry's line. */
  private readonly retriedOn = new Map<string, number>();
  /** When sorting, the arrival of each call a later line may name as retryOf. */
  private readonly arrivalOf = new Map<string, number>();
  /** Errors for a retryOf that named no earlier call, by that callId: said better if a later line has it. */
  private readonly unresolvedRetries = new Map<string, TraceIssue[]>();
  private style: { kind: 'sec' | 'time'; line: number } | undefined;
  private previous: Admitted | undefined;
  private origin: number | undefined;
  /** Fail mode after the first error: nothing more is yielded; reading goes on only to collect errors. */
  private failing = false;

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
      skippedLines: [],
    };
  }

  /** Counts so far; final once the iteration has ended. */
  stats(): TraceReadStats {
    return {
      ...this.counts,
      skippedByReason: { ...this.counts.skippedByReason },
      errors: [...this.counts.errors],
      skippedLines: [...this.counts.skippedLines],
    };
  }

  [Symbol.asyncIterator](): AsyncIterator<TraceCall> {
    return flatten(this.batches());
  }

  /**
   * The same calls in the same order, a chunk of the source at a time: one await per chunk
   * rather than per call, for readers that take calls by the thousand. Either this or the
   * reader itself, once.
   */
  batches(): AsyncGenerator<TraceCall[]> {
    if (this.started) throw new Error('a TraceReader reads its source once; create another to read again');
    this.started = true;
    return this.callBatches();
  }

  private async *callBatches(): AsyncGenerator<TraceCall[]> {
    const input = typeof this.source === 'string' ? createReadStream(this.source) : this.source;
    const records = this.format === 'csv' ? csvRecords(input, this.name) : jsonlRecords(input);
    const sorted: (Admitted | undefined)[] = [];
    let admittedCalls = 0;
    try {
      for await (const batch of this.guard(records)) {
        const out: TraceCall[] = [];
        for (const record of batch) {
          if (record.kind === 'blank') {
            this.counts.blank += record.count;
            continue;
          }
          this.counts.read++;
          const admitted = this.admit(record);
          if (!admitted) continue;
          admittedCalls++;
          if (this.options.sort) sorted.push(admitted);
          else if (!this.failing) out.push(this.toCall(admitted));
        }
        if (out.length > 0) yield out;
      }
    } finally {
      input.destroy();
    }
    if (this.failing) throw this.failure(false);
    // A replay of nothing would print an empty report and exit as if all went well.
    if (admittedCalls === 0) throw new TraceError('TRACE_EMPTY', this.name, [...this.counts.skippedLines], this.counts.skipped > this.counts.skippedLines.length);
    if (!this.options.sort) return;

    // Stable: calls arriving together keep the order of the file.
    sorted.sort((a, b) => a!.at - b!.at);
    const SORTED_BATCH = 4096;
    for (let from = 0; from < sorted.length; from += SORTED_BATCH) {
      const out: TraceCall[] = [];
      for (let i = from; i < Math.min(sorted.length, from + SORTED_BATCH); i++) {
        out.push(this.toCall(sorted[i]!));
        sorted[i] = undefined; // let yielded calls be collected as the replay goes
      }
      yield out;
    }
  }

  /** Checks one non-blank record against the line and the lines before it; undefined when rejected. */
  private admit(record: Exclude<TraceRecord, { kind: 'blank' }>): Admitted | undefined {
    const lineNo = record.line;
    if (record.kind === 'syntax') return this.reject(lineNo, 'syntax', record.problems);
    const checked: ReturnType<typeof checkTraceLine> = record.kind === 'checked' ? { ok: true, line: record.checked } : checkTraceLine(record.value);
    if ((record.kind === 'value' && record.problems.length) || !checked.ok) {
      // A CSV cell that is not JSON is a syntax error; the rest of the row is still checked.
      const problems = [
        ...(record.kind === 'value' ? record.problems : []).map((p) => ({ ...p, reason: 'syntax' as const })),
        ...(checked.ok ? [] : checked.problems.map((p) => ({ ...p, reason: 'schema' as const }))),
      ];
      return this.reject(lineNo, record.kind === 'value' && record.problems.length ? 'syntax' : 'schema', problems);
    }
    const { call, arrival } = checked.line;
    if (!this.style) this.style = { kind: arrival.kind, line: lineNo };
    else if (arrival.kind !== this.style.kind) {
      const [used, other] = this.style.kind === 'sec' ? ['arrivalSec', 'arrivalTime'] : ['arrivalTime', 'arrivalSec'];
      return this.reject(lineNo, 'arrivalStyle', [{ field: `/${other}`, message: `this trace gives ${used} (from line ${this.style.line}); use one style in a file` }]);
    }
    const first = this.seen.lineOf(call.callId);
    if (first !== undefined) {
      return this.reject(lineNo, 'duplicateCallId', [{ field: '/callId', message: `callId "${call.callId}" is already used on line ${first}` }]);
    }
    const queues = this.options.queues;
    if (call.queue !== undefined && queues && !queues.has(call.queue)) {
      return this.reject(lineNo, 'unknownQueue', [{ field: '/queue', message: `queue "${call.queue}" is not in the staffing file; queues: ${[...queues].join(', ')}` }]);
    }
    const admitted: Admitted = { lineNo, line: checked.line, at: arrival.kind === 'sec' ? arrival.sec : arrival.epochMs };
    if (call.retryOf !== undefined && !this.retryIsKnown(lineNo, call.retryOf, admitted.at)) return undefined;
    if (!this.options.sort) {
      const before = this.previous;
      if (before && admitted.at < before.at) {
        const when = (a: Admitted) => (a.line.arrival.kind === 'sec' ? `${a.line.arrival.sec} s` : a.line.arrival.text);
        const field = arrival.kind === 'sec' ? '/arrivalSec' : '/arrivalTime';
        const message = `arrives at ${when(admitted)}, before the call on line ${before.lineNo} (${when(before)}); a trace lists calls in arrival order (or read it sorted)`;
        return this.reject(lineNo, 'outOfOrder', [{ field, message }]);
      }
      this.previous = admitted;
    }
    this.seen.add(call.callId, lineNo);
    if (this.options.sort) this.arrivalOf.set(call.callId, admitted.at);
    if (call.retryOf !== undefined) this.retriedOn.set(call.retryOf, lineNo);
    this.laterThanItsRetry(call.callId, lineNo);
    return admitted;
  }

  /**
   * A retry names a call of an earlier line that arrives no later, and that no other line
   * retries: a chain of retries names the retry before it. False (the line rejected) otherwise.
   */
  private retryIsKnown(lineNo: number, retryOf: string, at: number): boolean {
    const field = '/retryOf';
    const originalLine = this.seen.lineOf(retryOf);
    if (originalLine === undefined) {
      const message = `retryOf "${retryOf}" is not the callId of an earlier line; a retry follows the call it retries`;
      const errors = this.counts.errors.length;
      const skipped = this.counts.skippedLines.length;
      this.reject(lineNo, 'retryOf', [{ field, message }]);
      const recorded = [...this.counts.errors.slice(errors), ...this.counts.skippedLines.slice(skipped)];
      if (recorded.length) this.unresolvedRetries.set(retryOf, [...(this.unresolvedRetries.get(retryOf) ?? []), ...recorded]);
      return false;
    }
    const retriedOn = this.retriedOn.get(retryOf);
    if (retriedOn !== undefined) {
      this.reject(lineNo, 'retryOf', [{ field, message: `call "${retryOf}" (line ${originalLine}) is already retried on line ${retriedOn}; a second retry names the first one` }]);
      return false;
    }
    const originalAt = this.arrivalOf.get(retryOf);
    if (originalAt !== undefined && at < originalAt) {
      this.reject(lineNo, 'retryOf', [{ field, message: `arrives before call "${retryOf}" (line ${originalLine}), which it retries` }]);
      return false;
    }
    return true;
  }

  /** An earlier line named this call as retryOf before it appeared: say so on that line's error. */
  private laterThanItsRetry(callId: string, lineNo: number): void {
    if (this.unresolvedRetries.size === 0) return;
    const issues = this.unresolvedRetries.get(callId);
    if (!issues) return;
    this.unresolvedRetries.delete(callId);
    for (const issue of issues) issue.message = `retryOf "${callId}" names the call on line ${lineNo}, after this one; a retry follows the call it retries`;
  }

  /** The call as yielded; an arrivalTime counts from the first call yielded (the earliest, when sorted). */
  private toCall({ lineNo, line }: Admitted): TraceCall {
    const a = line.arrival;
    if (a.kind === 'time' && this.origin === undefined) {
      this.origin = a.epochMs;
      this.counts.origin = { arrivalTime: a.text, secOfDay: a.secOfDay };
    }
    const arrivalSec = a.kind === 'sec' ? a.sec : (a.epochMs - this.origin!) / 1000;
    this.counts.calls++;
    return Object.assign({ line: lineNo, callId: line.call.callId, arrivalSec }, line.call);
  }

  /** Turns a failing source (missing file, a bad CSV header) into a TraceError. */
  private async *guard(records: AsyncGenerator<TraceRecord[]>): AsyncGenerator<TraceRecord[]> {
    try {
      yield* records;
    } catch (err) {
      if (err instanceof TraceError) throw err;
      throw new TraceError('TRACE_UNREADABLE', this.name, [{ line: 0, field: '', message: readProblem(err), reason: 'syntax' }]);
    }
  }

  /**
   * Records a bad line under `reason` (a problem may name its own). In fail mode nothing more is
   * yielded from here on, and reading stops once the error limit is reached.
   */
  private reject(line: number, reason: TraceIssueReason, problems: { field: string; message: string; reason?: TraceIssueReason }[]): undefined {
    for (const p of problems) {
      if (this.counts.errors.length < this.maxErrors) this.counts.errors.push({ line, field: p.field, message: p.message, reason: p.reason ?? reason });
    }
    const first = problems[0];
    if (this.counts.skippedLines.length < this.maxErrors) {
      this.counts.skippedLines.push({ line, field: first?.field ?? '', message: first?.message ?? '', reason });
    }
    this.counts.skipped++;
    this.counts.skippedByReason[reason]++;
    if (this.onError === 'fail') {
      this.failing = true;
      if (this.counts.errors.length >= this.maxErrors) throw this.failure(true);
    }
    return undefined;
  }

  private failure(truncated: boolean): TraceError {
    return new TraceError('TRACE_INVALID', this.name, [...this.counts.errors], truncated);
  }
}

/** A reader over a trace file or stream; see TraceReader. */
async function* flatten(batches: AsyncGenerator<TraceCall[]>): AsyncGenerator<TraceCall> {
  for await (const batch of batches) yield* batch;
}

export function readTrace(source: string | Readable, options: TraceReaderOptions = {}): TraceReader {
  return new TraceReader(source, options);
}
