import { KeySyntaxError, parseKeys, type KeyPress } from '../flows/key-presses.js';
import type { CheckedLine } from './trace-line-check.js';

/**
 * A hand-written reader for the trace lines that make up almost every real and generated trace:
 * one flat JSON object without spaces or escapes, holding only callId, arrivalSec, caller, keys
 * (shorthand text), talkSec, wrapSec, patienceSec, hangupInIvrSec, queue, priority and language.
 * It gives exactly what `checkTraceLine(JSON.parse(text))` gives for such a line, without the
 * generic parse and the schema validator. Anything else (spaces, escapes, arrivalTime, an inline
 * profile, keys as a list, a number it cannot read exactly, a line that breaks a rule) gets
 * `undefined`, and the reader then takes the full validating path, which also words the errors.
 * tests/trace/trace-line-scanner.test.ts holds the two equal.
 */
export function scanTraceLine(text: string, from = 0, to = text.length): CheckedLine | undefined {
  // The line is text[from, to): a reader scans its chunk in place, without a string per line.
  const n = to;
  if (n - from < 2 || text.charCodeAt(from) !== OPEN || text.charCodeAt(n - 1) !== CLOSE) return undefined;
  let seen = 0;
  let callId: string | undefined;
  let caller: string | undefined;
  let keysText: string | undefined;
  let queue: string | undefined;
  let language: string | undefined;
  let arrivalSec = NaN;
  let talkSec = NaN;
  let wrapSec = NaN;
  let patienceSec = NaN;
  let hangupInIvrSec = NaN;
  let priority = NaN;
  let i = from + 1;
  if (n - from === 2) return undefined; // {} lacks the required fields
  for (;;) {
    if (i >= n || text.charCodeAt(i) !== QUOTE) return undefined;
    const field = fieldAt(text, i + 1, n);
    if (field === UNKNOWN || seen & field) return undefined; // unknown or repeated: the full path decides
    seen |= field;
    i += FIELD_LENGTH[field]! + 3; // "name":
    if (field & STRING_FIELDS) {
      if (i >= n || text.charCodeAt(i) !== QUOTE) return undefined;
      const start = i + 1;
      let j = start;
      for (;;) {
        if (j >= n) return undefined;
        const c = text.charCodeAt(j);
        if (c === QUOTE) break;
        if (c === BACKSLASH || c < 0x20) return undefined;
        j++;
      }
      if (j === start) return undefined; // every string field here has minLength 1 (or is an enum, or parsed)
      if (field === QUEUE) {
        queue = j - start === lastQueue.length && textAt(text, start, n, lastQueue) ? lastQueue : (lastQueue = text.slice(start, j));
      } else {
        const value = text.slice(start, j);
        if (field === CALL_ID) callId = value.length >= SLICE_MIN ? ownCopy(text, start - 1, j + 1) : value;
        else if (field === CALLER) caller = value;
        else if (field === KEYS) keysText = value;
        else language = value;
      }
      i = j + 1;
    } else {
      const end = numberEnd(text, i, n);
      if (end < 0) return undefined;
      const value = numberValue(text, i, end);
      if (!(value >= 0) || value === Infinity) return undefined; // every number here has minimum 0
      if (field === ARRIVAL_SEC) arrivalSec = value;
      else if (field === TALK_SEC) talkSec = value;
      else if (field === WRAP_SEC) wrapSec = value;
      else if (field === PATIENCE_SEC) patienceSec = value;
      else if (field === HANGUP_SEC) hangupInIvrSec = value;
      else priority = value;
      i = end;
    }
    const c = i < n ? text.charCodeAt(i) : -1;
    if (c === COMMA) {
      i++;
      continue;
    }
    if (c === CLOSE && i === n - 1) break;
    return undefined;
  }
  // What the schema and checkTraceLine require of a line; anything they would reject goes the full way.
  if (callId === undefined || !(seen & TALK_SEC) || !(seen & ARRIVAL_SEC)) return undefined;
  if (queue !== undefined ? seen & (KEYS | HANGUP_SEC) : seen & PRIORITY) return undefined;
  if (language !== undefined && language !== 'zh-CN' && language !== 'en-US') return undefined;
  let keys: KeyPress[] = NO_KEYS;
  if (keysText !== undefined) {
    const parsed = keysOf(keysText);
    if (parsed === null) return undefined;
    keys = parsed;
  }
  // Fields in the order checkTraceLine sets them.
  const call: CheckedLine['call'] = { callId, keys, talkSec };
  if (caller !== undefined) call.caller = caller;
  if (seen & WRAP_SEC) call.wrapSec = wrapSec;
  if (seen & PATIENCE_SEC) call.patienceSec = patienceSec;
  if (seen & HANGUP_SEC) call.hangupInIvrSec = hangupInIvrSec;
  if (queue !== undefined) call.queue = queue;
  if (seen & PRIORITY) call.priority = priority;
  if (language !== undefined) call.language = language as 'zh-CN' | 'en-US';
  return { call, arrival: { kind: 'sec', sec: arrivalSec } };
}

const OPEN = 0x7b;
const CLOSE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const DOT = 0x2e;
const ZERO = 0x30;

const UNKNOWN = 0;
const CALL_ID = 1;
const ARRIVAL_SEC = 2;
const CALLER = 4;
const KEYS = 8;
const TALK_SEC = 16;
const WRAP_SEC = 32;
const PATIENCE_SEC = 64;
const HANGUP_SEC = 128;
const QUEUE = 256;
const PRIORITY = 512;
const LANGUAGE = 1024;
const STRING_FIELDS = CALL_ID | CALLER | KEYS | QUEUE | LANGUAGE;

const FIELDS: ReadonlyArray<[number, string]> = [
  [CALL_ID, 'callId'],
  [ARRIVAL_SEC, 'arrivalSec'],
  [CALLER, 'caller'],
  [KEYS, 'keys'],
  [TALK_SEC, 'talkSec'],
  [WRAP_SEC, 'wrapSec'],
  [PATIENCE_SEC, 'patienceSec'],
  [HANGUP_SEC, 'hangupInIvrSec'],
  [QUEUE, 'queue'],
  [PRIORITY, 'priority'],
  [LANGUAGE, 'language'],
];
const FIELD_LENGTH: Record<number, number> = Object.fromEntries(FIELDS.map(([bit, name]) => [bit, name.length]));
/** Field names with their closing quote and colon, by the char code of their first letter (all below 128). */
const BY_FIRST: Array<Array<{ bit: number; tail: string }> | undefined> = new Array(128).fill(undefined);
for (const [bit, name] of FIELDS) (BY_FIRST[name.charCodeAt(0)] ??= []).push({ bit, tail: name + '":' });

/** The known field whose name starts at `i` (just after its opening quote), or UNKNOWN. */
function fieldAt(text: string, i: number, n: number): number {
  const candidates = BY_FIRST[text.charCodeAt(i)];
  if (candidates === undefined) return UNKNOWN;
  for (let k = 0; k < candidates.length; k++) {
    const { bit, tail } = candidates[k]!;
    if (textAt(text, i, n, tail)) return bit;
  }
  return UNKNOWN;
}

/** Whether `text` holds `part` at `i`, ending by `n` (a loop over char codes: cheaper than startsWith here). */
function textAt(text: string, i: number, n: number, part: string): boolean {
  const m = part.length;
  if (i + m > n) return false;
  for (let k = 0; k < m; k++) if (text.charCodeAt(i + k) !== part.charCodeAt(k)) return false;
  return true;
}

/**
 * The last queue name read: a trace names a few queues over and over, and lines naming the
 * one before share its string instead of each holding a copy.
 */
let lastQueue = '';

/** Where a JSON number starting at `i` ends (JSON's grammar, no sign: negatives go the full way), or -1. */
function numberEnd(text: string, i: number, n: number): number {
  // Nothing at or after n is read: the line may be part of a longer text.
  let j = i;
  if (j >= n) return -1;
  const first = text.charCodeAt(j);
  if (first === ZERO) j++;
  else if (first > ZERO && first <= ZERO + 9) while (j < n && isDigit(text.charCodeAt(j))) j++;
  else return -1;
  if (j < n && text.charCodeAt(j) === DOT) {
    j++;
    const from = j;
    while (j < n && isDigit(text.charCodeAt(j))) j++;
    if (j === from) return -1;
  }
  const e = j < n ? text.charCodeAt(j) : -1;
  if (e === 0x65 || e === 0x45) {
    j++;
    const sign = j < n ? text.charCodeAt(j) : -1;
    if (sign === 0x2b || sign === 0x2d) j++;
    const from = j;
    while (j < n && isDigit(text.charCodeAt(j))) j++;
    if (j === from) return -1;
  }
  return j;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= ZERO + 9;
}

/** Exact powers of ten: an integer below 2^53 divided by one of them is correctly rounded, as Number() is. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The value of the number text[i, end): digits with at most one point and at most 15 digits
 * are read directly (the quotient of two exact doubles is the correctly rounded value, the
 * same double Number() and JSON.parse give); anything longer or with an exponent by Number().
 */
function numberValue(text: string, i: number, end: number): number {
  if (end - i <= 16) {
    let m = 0;
    let decimals = -1;
    let ok = true;
    let digits = 0;
    for (let j = i; j < end; j++) {
      const c = text.charCodeAt(j);
      if (c === DOT) decimals = 0;
      else if (isDigit(c)) {
        m = m * 10 + (c - ZERO);
        digits++;
        if (decimals >= 0) decimals++;
      } else {
        ok = false; // an exponent
        break;
      }
    }
    if (ok && digits <= 15) return decimals <= 0 ? m : m / POW10[decimals]!;
  }
  return Number(text.slice(i, end));
}

/**
 * Strings this long are sliced by V8 (they keep the whole chunk they were cut from alive); a
 * call id is kept for the whole trace (the duplicate check), so it gets its own copy.
 */
const SLICE_MIN = 13;

function ownCopy(text: string, quoteStart: number, quoteEnd: number): string {
  return JSON.parse(text.slice(quoteStart, quoteEnd)) as string;
}

const NO_KEYS: KeyPress[] = [];
Object.freeze(NO_KEYS);

/**
 * Parsed key shorthand, shared by the lines that press the same keys (a trace has a few
 * thousand distinct ones); frozen, since several calls hold the same array. Null: not valid
 * shorthand, so the full path words the error.
 */
const keysCache = new Map<string, KeyPress[] | null>();
const KEYS_CACHE_MAX = 50_000;

function keysOf(text: string): KeyPress[] | null {
  let keys = keysCache.get(text);
  if (keys !== undefined) return keys;
  try {
    keys = parseKeys(text);
    for (const k of keys) Object.freeze(k);
    Object.freeze(keys);
  } catch (err) {
    if (!(err instanceof KeySyntaxError)) throw err;
    keys = null;
  }
  if (keysCache.size >= KEYS_CACHE_MAX) keysCache.clear();
  // Kept as a key of the cache: its own copy, not a slice holding on to the chunk it was cut from.
  keysCache.set(text.length >= SLICE_MIN ? (JSON.parse(JSON.stringify(text)) as string) : text, keys);
  return keys;
}
