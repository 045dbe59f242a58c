import { ConfigError, type ConfigIssue } from '../config/config-error.js';
import { TraceError, type TraceErrorCode, type TraceIssue } from '../trace/trace-error.js';

/**
 * An error as it crosses from a worker thread: structured clone keeps only an Error's name,
 * message and stack, so the named errors the CLI tells apart travel as their fields.
 */
export type SerializedError =
  | { kind: 'trace'; code: TraceErrorCode; source: string; issues: TraceIssue[]; truncated: boolean }
  | { kind: 'config'; issues: ConfigIssue[] }
  | { kind: 'other'; name: string; message: string; stack?: string; fields: Record<string, string | number | boolean> };

export function serializeError(err: unknown): SerializedError {
  if (err instanceof TraceError) return { kind: 'trace', code: err.code, source: err.source, issues: [...err.issues], truncated: err.truncated };
  if (err instanceof ConfigError) return { kind: 'config', issues: err.issues };
  if (!(err instanceof Error)) return { kind: 'other', name: 'Error', message: String(err), fields: {} };
  // Plain fields such as `code` and `exitCode` decide how the CLI reports an error: keep them.
  const fields: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(err)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') fields[k] = v;
  }
  return { kind: 'other', name: err.name, message: err.message, ...(err.stack !== undefined ? { stack: err.stack } : {}), fields };
}

/** The error again, as the same class with the same message where the class is one of ours. */
export function reviveError(e: SerializedError): Error {
  switch (e.kind) {
    case 'trace':
      return new TraceError(e.code, e.source, e.issues, e.truncated);
    case 'config':
      return new ConfigError(e.issues);
    case 'other': {
      const err = Object.assign(new Error(e.message), e.fields);
      err.name = e.name;
      if (e.stack !== undefined) err.stack = e.stack;
      return err;
    }
  }
}
