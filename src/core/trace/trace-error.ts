import { NamedError } from '../errors/named-error.js';

/** Why a trace line was refused; `skip` mode counts skipped lines by these. */
export type TraceIssueReason =
  /** Not JSON, or a CSV row that cannot be split into the header's columns. */
  | 'syntax'
  /** Breaks the trace-line schema (a missing, unknown or ill-typed field, bad keys). */
  | 'schema'
  /** Uses arrivalSec where the trace uses arrivalTime, or the other way round. */
  | 'arrivalStyle'
  /** Repeats a callId of an earlier line. */
  | 'duplicateCallId'
  /** Arrives before the line above it. */
  | 'outOfOrder'
  /** Names a queue the staffing file does not have. */
  | 'unknownQueue'
  /** Gives as retryOf no call of an earlier line (an unknown callId, or a later line's), or a call another line retries already. */
  | 'retryOf';

export const TRACE_ISSUE_REASONS: readonly TraceIssueReason[] = ['syntax', 'schema', 'arrivalStyle', 'duplicateCallId', 'outOfOrder', 'unknownQueue', 'retryOf'];

/** One problem in a trace, located for the tester who has to fix the file. */
export interface TraceIssue {
  /** 1-based line of the file (for CSV, the line where the row starts; the header is line 1). 0: the file as a whole. */
  line: number;
  /** JSON Pointer to the field, e.g. `/talkSec` or `/keys/1/afterSec`; empty for the whole line. */
  field: string;
  /** What was wrong and what was expected. */
  message: string;
  reason: TraceIssueReason;
}

export type TraceErrorCode =
  /** The file could not be opened or read. */
  | 'TRACE_UNREADABLE'
  /** The format cannot be told (unknown extension) or the CSV header is unusable. */
  | 'TRACE_FORMAT'
  /** One or more lines are invalid and the reader was asked to fail on them. */
  | 'TRACE_INVALID'
  /** No line became a call: the file is empty or blank, or every line was skipped for errors. */
  | 'TRACE_EMPTY';

export function formatTraceIssue(source: string, issue: Omit<TraceIssue, 'reason'>): string {
  const where = issue.line > 0 ? `${source}:${issue.line}` : source;
  return issue.field ? `${where} at ${issue.field}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** A trace that cannot be replayed as asked. Carries every issue collected, up to the reader's limit. */
export class TraceError extends NamedError {
  override readonly name = 'TraceError';
  /** Invalid input data: the CLI exits with 1. */
  override readonly exitCode = 1;

  constructor(
    readonly code: TraceErrorCode,
    readonly source: string,
    readonly issues: readonly TraceIssue[],
    /** True when the reader stopped at its error limit, so more lines may be wrong. */
    readonly truncated = false,
  ) {
    super(
      code === 'TRACE_UNREADABLE' && issues.length === 1 && issues[0]!.line === 0
        ? `trace ${source}: ${issues[0]!.message}`
        : [heading(code, source, issues.length, truncated), ...issues.map((i) => `  ${formatTraceIssue(source, i)}`)].join('\n'),
    );
  }
}

function heading(code: TraceErrorCode, source: string, n: number, truncated: boolean): string {
  switch (code) {
    case 'TRACE_UNREADABLE':
      return `trace ${source} could not be read`;
    case 'TRACE_FORMAT':
      return `trace ${source} is not in a format the reader knows`;
    case 'TRACE_INVALID':
      return truncated
        ? `trace ${source}: stopped after ${n} errors; fix these and read again (or read with onError "skip")`
        : `trace ${source} has ${n} error${n === 1 ? '' : 's'}`;
    case 'TRACE_EMPTY':
      return n === 0
        ? `trace ${source} has no calls: it is empty or holds only blank lines; nothing was run`
        : `trace ${source} has no calls: every line was skipped for errors; nothing was run. ${truncated ? `The first ${n} skipped lines` : 'The skipped lines'}:`;
  }
}
