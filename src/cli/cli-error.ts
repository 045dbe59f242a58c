/** A mistake in how a command was called: printed without a stack, exit code 2. */
export class UsageError extends Error {
  readonly code = 'USAGE';
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
