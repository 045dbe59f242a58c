import { NamedError } from '../errors/named-error.js';

/**
 * A designer check that ran and found problems (lint errors, failing scenarios). What was
 * wrong has already been reported; the command line exits with code 1.
 */
export class ChecksFailedError extends NamedError {
  readonly code = 'CHECKS_FAILED';
  override readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'ChecksFailedError';
  }
}
