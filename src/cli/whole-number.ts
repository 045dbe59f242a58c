import { UsageError } from './cli-error.js';

/**
 * A flag's whole number, written in decimal digits (Number() alone would also read `1e3`, `0x10`,
 * `3.0` and ` 3`), at least `min` and, when given, at most `max`; anything else is a usage error
 * that names the flag and what it got.
 */
export function wholeNumber(flag: string, text: string, min: number, max?: number): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(n) || n < min || (max !== undefined && n > max)) {
    throw new UsageError(`${flag} ${text}: expected a whole number ${max === undefined ? `>= ${min}` : `from ${min} to ${max}`}`);
  }
  return n;
}
