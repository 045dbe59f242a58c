import { NamedError } from '../errors/named-error.js';

/** Options the trace generator cannot work with (a mix naming no known segment, shares over 1…). */
export class TraceGenerationError extends NamedError {
  override readonly name = 'TraceGenerationError';
  readonly code = 'TRACE_GEN_OPTIONS';
  /** A wrong option: the CLI exits with 2. */
  override readonly exitCode = 2;
}
