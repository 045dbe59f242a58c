import { NamedError } from '../errors/named-error.js';

/** One call of an ACD log that was answered or abandoned, as read and checked. */
export interface AcdCall {
  /** Line of the file (CSV: the line the row starts on; the header is line 1). */
  line: number;
  callId: string;
  /** Undefined when the log gives none (empty or 0). */
  customerId?: string;
  queue: string;
  priority?: number;
  /** The arrival as an instant. */
  epochMs: number;
  /** Minutes east of UTC the arrival is written at (from the log, or from --timezone). */
  offsetMin: number;
  /** Local date of the arrival at that offset, YYYY-MM-DD. */
  date: string;
  waitSec: number;
  outcome: 'answered' | 'abandoned';
  /** 0 for abandoned calls. */
  talkSec: number;
  agentId?: string;
}

/** Why a row of an ACD log was left out; each is counted with its first line numbers. */
export type AcdIssueReason =
  /** Not JSON, or a CSV row that cannot be split into the header's columns. */
  | 'syntax'
  /** A missing or ill-typed field (the acd-log schema). */
  | 'invalid'
  /** An outcome other than answered or abandoned: always left out and counted, never fatal. */
  | 'unknownOutcome'
  | 'negativeWait'
  | 'talkOnAbandoned'
  /** Arrives before the row above it. */
  | 'outOfOrder'
  | 'unparseableDate'
  | 'duplicateCallId';

export const ACD_ISSUE_REASONS: readonly AcdIssueReason[] = [
  'syntax',
  'invalid',
  'unknownOutcome',
  'negativeWait',
  'talkOnAbandoned',
  'outOfOrder',
  'unparseableDate',
  'duplicateCallId',
];

/** One bad row, located for the analyst who has to fix the export. */
export interface AcdIssue {
  line: number;
  /** The log's field name (after --columns), empty for the whole row. */
  field: string;
  message: string;
  reason: AcdIssueReason;
}

/** Per reason: how many rows, and the first line numbers. */
export type AcdIssueCounts = Record<AcdIssueReason, { count: number; firstLines: number[] }>;

export interface AcdReadStats {
  /** Non-blank rows read. */
  rows: number;
  /** Rows kept (answered or abandoned, every check passed, inside --day). */
  calls: number;
  /** Rows of other days left out by --day. */
  otherDays: number;
  /** Rows left out, per reason (unknownOutcome included). */
  leftOut: AcdIssueCounts;
  /** The unknown outcome values and how often each occurs. */
  unknownOutcomes: Record<string, number>;
  /** The first problems, in file order (at most 10). */
  issues: AcdIssue[];
  /** Queue names of the log that are not usable as ids, by the id made of them. */
  queueNames: Record<string, string>;
}

/** A queue id of the staffing file for a queue name of the log: characters an id cannot hold become "_". */
export function queueIdOf(name: string): string {
  const id = name.trim().replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^[A-Za-z0-9]/.test(id) ? id : `q${id}`;
}

export type AcdLogErrorCode = 'ACD_LOG_UNREADABLE' | 'ACD_LOG_FORMAT' | 'ACD_LOG_INVALID' | 'ACD_LOG_EMPTY';

/** An ACD log that cannot be calibrated as asked; names the file, the lines and the fields. */
export class AcdLogError extends NamedError {
  override readonly name = 'AcdLogError';
  constructor(
    readonly code: AcdLogErrorCode,
    readonly source: string,
    heading: string,
    readonly issues: readonly AcdIssue[] = [],
    counts?: AcdIssueCounts,
  ) {
    super([`ACD log ${source}: ${heading}`, ...countLines(counts), ...issues.map((i) => `  ${formatAcdIssue(source, i)}`)].join('\n'));
  }
}

export function formatAcdIssue(source: string, i: Omit<AcdIssue, 'reason'> & { reason?: AcdIssueReason }): string {
  const where = i.line > 0 ? `${source}:${i.line}` : source;
  const tag = i.reason ? ` [${i.reason}]` : '';
  return i.field ? `${where} at ${i.field}: ${i.message}${tag}` : `${where}: ${i.message}${tag}`;
}

/** `  negativeWait: 3 rows (lines 4, 9, 12)` for every reason that occurred. */
export function countLines(counts: AcdIssueCounts | undefined): string[] {
  if (!counts) return [];
  return ACD_ISSUE_REASONS.filter((r) => counts[r].count > 0).map((r) => {
    const c = counts[r];
    const more = c.count > c.firstLines.length ? ', …' : '';
    return `  ${r}: ${c.count} row${c.count === 1 ? '' : 's'} (line${c.firstLines.length === 1 ? '' : 's'} ${c.firstLines.join(', ')}${more})`;
  });
}

export function emptyIssueCounts(): AcdIssueCounts {
  return Object.fromEntries(ACD_ISSUE_REASONS.map((r) => [r, { count: 0, firstLines: [] }])) as unknown as AcdIssueCounts;
}
