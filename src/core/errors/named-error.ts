/**
 * The base of the project's named errors. `code` is stable, so the CLI, the HTTP exception
 * filter, logs and worker threads tell errors apart without parsing messages; `exitCode` is the
 * status the command line exits with: 1 when the input data is at fault (the default), 2 when
 * the command was called wrongly.
 */
export abstract class NamedError extends Error {
  abstract readonly code: string;
  readonly exitCode: number = 1;
}

/**
 * The exit code an error asks the command line for: a NamedError's, or the `exitCode` field of
 * one that crossed from a worker thread as a plain Error. Undefined for any other error.
 */
export function exitCodeOf(err: unknown): number | undefined {
  if (!(err instanceof Error)) return undefined;
  const exitCode = (err as Error & { exitCode?: unknown }).exitCode;
  return typeof exitCode === 'number' ? exitCode : undefined;
}
