import { NamedError } from '../errors/named-error.js';

/** Why a staffing file was refused: every problem found, each pointing at a file and a place in it. */
import type { ConfigIssue } from '../config/config-error.js';

export type StaffingErrorCode =
  /** The file could not be read at all. */
  | 'STAFFING_UNREADABLE'
  /** The file is not well-formed JSON. */
  | 'STAFFING_NOT_JSON'
  /** The file is JSON but breaks the schema or a cross-reference rule. */
  | 'STAFFING_INVALID'
  /** A "queue=agents,…" override could not be applied. */
  | 'STAFFING_OVERRIDE_INVALID';

export class StaffingFileError extends NamedError {
  override readonly name = 'StaffingFileError';
  /** For command-line shells: 2 for a malformed override flag (usage), 1 for a bad file (data). */
  override readonly exitCode: number;

  constructor(
    readonly code: StaffingErrorCode,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(formatIssues(code, issues));
    this.exitCode = code === 'STAFFING_OVERRIDE_INVALID' ? 2 : 1;
  }
}

function formatIssues(code: StaffingErrorCode, issues: readonly ConfigIssue[]): string {
  const heading: Record<StaffingErrorCode, string> = {
    STAFFING_UNREADABLE: 'staffing file could not be read',
    STAFFING_NOT_JSON: 'staffing file is not valid JSON',
    STAFFING_INVALID: `staffing file has ${issues.length} problem${issues.length === 1 ? '' : 's'}`,
    STAFFING_OVERRIDE_INVALID: 'staffing override could not be applied',
  };
  return [heading[code], ...issues.map((i) => `  ${i.line === undefined ? i.file : `${i.file}:${i.line}:${i.column}`}: ${i.path}: ${i.message}`)].join('\n');
}
