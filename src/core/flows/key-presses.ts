import { DTMF_KEYS } from './flow-types.js';
import { NamedError } from '../errors/named-error.js';

/**
 * A DTMF press: `afterSec` counts from the start of the prompt that waits for it (a press
 * before the prompt ends is barge-in). Without `afterSec` the key is pressed as the prompt ends.
 */
export interface KeyPress {
  key: string;
  afterSec?: number | undefined;
}

export class KeySyntaxError extends NamedError {
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
  const out: KeyPress[] = [];
  // A hand-written scan: traces carry this shorthand on every line, so it is on the replay's hot path.
  const n = text.length;
  let i = 0;
  const skipSpaces = () => {
    while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  };
  skipSpaces();
  if (i === n) return out;
  for (;;) {
    const start = i;
    skipSpaces();
    const key = text[i];
    if (key === undefined || !DTMF_SET.has(key)) return fail(text, start, out.length);
    i++;
    skipSpaces();
    if (text[i] === '@') {
      i++;
      const numStart = i;
      while (i < n && text[i] !== ',') i++;
      const raw = text.slice(numStart, i).trim();
      const afterSec = raw === '' ? NaN : Number(raw);
      if (!Number.isFinite(afterSec) || afterSec < 0) {
        throw new KeySyntaxError(`key ${out.length + 1} "${text.slice(start, i).trim()}": "@${raw}" must be a number of seconds >= 0`);
      }
      out.push({ key, afterSec });
    } else {
      out.push({ key });
    }
    skipSpaces();
    if (i === n) return out;
    if (text[i] !== ',') return fail(text, start, out.length - 1);
    i++;
  }
}

const DTMF_SET: ReadonlySet<string> = new Set(DTMF_KEYS);

function fail(text: string, start: number, index: number): never {
  const end = text.indexOf(',', start);
  const part = text.slice(start, end < 0 ? undefined : end).trim();
  throw new KeySyntaxError(`key ${index + 1} "${part}": expected a DTMF key (0-9, *, #), optionally followed by @seconds`);
}

export function formatKeys(keys: readonly KeyPress[]): string {
  return keys.map((k) => (k.afterSec === undefined ? k.key : `${k.key}@${k.afterSec}`)).join(',');
}
