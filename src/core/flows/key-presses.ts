import { DTMF_KEYS } from './flow-types.js';
import type { KeyPress } from './call-walker.js';

export class KeySyntaxError extends Error {
  readonly code = 'KEY_SYNTAX';
  constructor(message: string) {
    super(message);
    this.name = 'KeySyntaxError';
  }
}

/**
 * Parses the key shorthand used on the command line and in traces: `2,1` (each key pressed as
 * its prompt ends) or `2@3.1,1@2` (key 2 pressed 3.1 s after its prompt started, …).
 */
export function parseKeys(text: string): KeyPress[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  return trimmed.split(',').map((part, i) => {
    const [key, at, extra] = part.trim().split('@');
    if (extra !== undefined || !key || !(DTMF_KEYS as readonly string[]).includes(key)) {
      throw new KeySyntaxError(`key ${i + 1} "${part.trim()}": expected a DTMF key (0-9, *, #), optionally followed by @seconds`);
    }
    if (at === undefined) return { key };
    const afterSec = Number(at);
    if (at.trim() === '' || !Number.isFinite(afterSec) || afterSec < 0) {
      throw new KeySyntaxError(`key ${i + 1} "${part.trim()}": "@${at}" must be a number of seconds >= 0`);
    }
    return { key, afterSec };
  });
}

export function formatKeys(keys: readonly KeyPress[]): string {
  return keys.map((k) => (k.afterSec === undefined ? k.key : `${k.key}@${k.afterSec}`)).join(',');
}
