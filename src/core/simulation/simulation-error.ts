import { NamedError } from '../errors/named-error.js';

/** A misuse of the contact-centre simulator: a bad call record or calls fed out of order. */

export type SimulationErrorCode =
  /** The call names a queue the staffing file does not define. */
  | 'UNKNOWN_QUEUE'
  /** A field of the call is out of range (negative talk time, queued before arrival, …). */
  | 'INVALID_CALL'
  /** Calls were not offered in arrival order, or after time the simulation has already passed. */
  | 'OUT_OF_ORDER'
  /** A call was offered after finish(). */
  | 'FINISHED';

export class SimulationError extends NamedError {
  override readonly name = 'SimulationError';
  /** For command-line shells: the input data (trace or staffing) is at fault. */
  override readonly exitCode = 1;

  constructor(
    readonly code: SimulationErrorCode,
    message: string,
    readonly callId?: string,
  ) {
    super(callId === undefined ? message : `call ${callId}: ${message}`);
  }
}
