/** Options the trace generator cannot work with (a mix naming no known segment, shares over 1…). */
export class TraceGenerationError extends Error {
  override readonly name = 'TraceGenerationError';
  readonly code = 'TRACE_GEN_OPTIONS';
  /** A wrong option: the CLI exits with 2. */
  readonly exitCode = 2;
}
