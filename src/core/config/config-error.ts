import { NamedError } from '../errors/named-error.js';

/** One problem found in a data file, located precisely enough for a designer to fix it. */
export interface ConfigIssue {
  /** Path of the file, relative to the working directory when possible. */
  file: string;
  /** JSON Pointer-like path inside the file, e.g. `/states/mainMenu/on/KEY.1`. Empty for the whole file. */
  path: string;
  /** What was wrong and what was expected. */
  message: string;
  /** 1-based line and column, for problems located in the text rather than at a JSON path (a syntax error). */
  line?: number;
  column?: number;
  /** `error` refuses the configuration; `warning` is reported but loads. */
  severity: 'error' | 'warning';
}

export function formatIssue(issue: ConfigIssue): string {
  const file = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}${issue.column === undefined ? '' : `:${issue.column}`}`;
  const where = issue.path ? `${file} at ${issue.path}` : file;
  return `${issue.severity === 'error' ? 'error' : 'warning'}: ${where}: ${issue.message}`;
}

/**
 * A configuration (flows, prompts, rules, customers, staffing) that cannot be used.
 * Carries every issue found, never just the first, and is thrown before anything is half-loaded.
 */
export class ConfigError extends NamedError {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly issues: ConfigIssue[]) {
    const errors = issues.filter((i) => i.severity === 'error');
    super(
      `${errors.length} configuration error${errors.length === 1 ? '' : 's'}:\n` +
        errors.map((i) => `  ${formatIssue(i)}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Collects issues while a loader works, so one bad file reports all of its errors. */
export class IssueCollector {
  readonly issues: ConfigIssue[] = [];
  error(file: string, path: string, message: string, at?: { line?: number; column?: number }): void {
    const issue: ConfigIssue = { file, path, message, severity: 'error' };
    if (at?.line !== undefined) issue.line = at.line;
    if (at?.column !== undefined) issue.column = at.column;
    this.issues.push(issue);
  }
  warning(file: string, path: string, message: string): void {
    this.issues.push({ file, path, message, severity: 'warning' });
  }
  get hasErrors(): boolean {
    return this.issues.some((i) => i.severity === 'error');
  }
  /** Throws a ConfigError when any error was collected. */
  throwIfErrors(): void {
    if (this.hasErrors) throw new ConfigError(this.issues);
  }
}

/** Escapes one segment of a JSON Pointer (RFC 6901). */
export function pointer(...segments: Array<string | number>): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
