import { NamedError } from '../core/errors/named-error.js';

/** A mistake in how a command was called: printed without a stack, exit code 2. */
export class UsageError extends NamedError {
  readonly code = 'USAGE';
  override readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
