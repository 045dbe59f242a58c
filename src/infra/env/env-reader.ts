/**
 * Typed reads of environment variables, shared by every process (the service, the SMS worker,
 * the command line). Each read records what is wrong in `problems` and returns a default, so a
 * process reads its whole environment once and refuses to start with the complete list.
 */
export interface EnvReader {
  /** The trimmed value; undefined when unset or empty. */
  str: (name: string) => string | undefined;
  /** A whole number from `min` to `max`; `dflt` when unset. */
  int: (name: string, dflt: number, min: number, max: number) => number;
  /** A number that `ok` accepts; `expected` says which, in the problem. */
  num: (name: string, dflt: number, ok: (n: number) => boolean, expected: string) => number;
  /** on/true/1 or off/false/0; `dflt` when unset. */
  onOff: (name: string, dflt: boolean) => boolean;
  /** LOG_LEVEL, one of pino's levels; `info` when unset. */
  logLevel(): string;
  readonly problems: string[];
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function envReader(env: NodeJS.ProcessEnv, problems: string[] = []): EnvReader {
  const str = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const num = (name: string, dflt: number, ok: (n: number) => boolean, expected: string): number => {
    const raw = str(name);
    if (raw === undefined) return dflt;
    const n = Number(raw);
    if (!ok(n)) {
      problems.push(`${name}=${raw}: expected ${expected}`);
      return dflt;
    }
    return n;
  };
  return {
    problems,
    str,
    num,
    int: (name, dflt, min, max) => num(name, dflt, (n) => Number.isInteger(n) && n >= min && n <= max, `a whole number from ${min} to ${max}`),
    onOff(name, dflt) {
      const raw = str(name);
      if (raw === undefined) return dflt;
      if (/^(on|true|1)$/i.test(raw)) return true;
      if (/^(off|false|0)$/i.test(raw)) return false;
      problems.push(`${name}=${raw}: expected on or off`);
      return dflt;
    },
    logLevel() {
      const level = str('LOG_LEVEL') ?? 'info';
      if (!LOG_LEVELS.includes(level)) problems.push(`LOG_LEVEL=${level}: expected one of ${LOG_LEVELS.join(', ')}`);
      return level;
    },
  };
}
