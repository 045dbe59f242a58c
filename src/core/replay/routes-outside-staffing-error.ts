import { formatIssue, type ConfigIssue } from '../config/config-error.js';
import { NamedError } from '../errors/named-error.js';

/**
 * A call goes through the IVR, but the routing rules can send calls to queues the staffing
 * lacks. Raised at the first such call, not on loading: a trace of ACD-level lines never
 * meets the rules, and needs only the queues it names.
 */
export class RoutesOutsideStaffingError extends NamedError {
  override readonly name = 'RoutesOutsideStaffingError';
  readonly code = 'ROUTES_OUTSIDE_STAFFING';
  /** For command-line shells: the configuration does not fit the trace. */
  override readonly exitCode = 1;

  constructor(
    readonly callId: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(
      `call ${callId} goes through the IVR (its line has no "queue"), but the routing rules name queues the staffing file lacks:\n` +
        issues.map((i) => `  ${formatIssue(i)}`).join('\n') +
        '\n  add those queues to the staffing file, or replay only ACD-level lines, which need just the queues they name',
    );
  }
}
