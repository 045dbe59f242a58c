import { NamedError } from '../errors/named-error.js';
import type { TraceLine } from '../trace/trace-line.js';

/** The store that holds call state cannot be reached or answered with an error. */
export class CallStateUnavailableError extends NamedError {
  readonly code = 'CALL_STATE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CallStateUnavailableError';
  }
}

/** Other webhooks of the same call kept winning the compare-and-set; gave up after `attempts`. */
export class CallStateContentionError extends NamedError {
  readonly code = 'CALL_STATE_CONTENTION';
  constructor(
    readonly callSid: string,
    readonly attempts: number,
  ) {
    super(`call ${callSid}: state changed under ${attempts} consecutive attempts`);
    this.name = 'CallStateContentionError';
  }
}

/** A stored call state this version of the code cannot read (another format, or a flow state that no longer exists). */
export class CallStateUnreadableError extends NamedError {
  readonly code = 'CALL_STATE_UNREADABLE';
  constructor(
    readonly callSid: string,
    message: string,
  ) {
    super(`call ${callSid}: ${message}`);
    this.name = 'CallStateUnreadableError';
  }
}

/** The trace sink could not take a finished call's line; the line comes with the error so it can be kept elsewhere. */
export class CallNotRecordedError extends NamedError {
  readonly code = 'CALL_NOT_RECORDED';
  constructor(
    readonly line: TraceLine,
    options: { cause: unknown },
  ) {
    super(`call ${line.callId}: trace line not recorded: ${(options.cause as Error).message}`, options);
    this.name = 'CallNotRecordedError';
  }
}
