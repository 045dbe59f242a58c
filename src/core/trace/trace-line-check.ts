import { KeySyntaxError, parseKeys } from '../flows/key-presses.js';
import type { KeyPress } from '../flows/key-presses.js';
import type { TraceCall } from './trace-call.js';
import { parseOffsetDateTime, type OffsetDateTime } from './date-time.js';
import type { TraceLine } from './trace-line.js';
import { checkAgainstTraceSchema, type SchemaProblem } from './trace-schemas.js';

/** When a line says its call arrived, before it is placed relative to the rest of the trace. */
export type LineArrival = { kind: 'sec'; sec: number } | { kind: 'time'; epochMs: number; text: string; secOfDay: number };

/** A line that passed every check a single line can pass on its own. */
export interface CheckedLine {
  call: Omit<TraceCall, 'line' | 'arrivalSec'>;
  arrival: LineArrival;
}

export type LineCheck = { ok: true; line: CheckedLine } | { ok: false; problems: { field: string; message: string }[] };

const QUEUE_LINE = 'an ACD-level record (with "queue") bypasses the IVR';

/**
 * Checks one parsed trace line against the schema and what the schema cannot say well
 * (arrivalSec xor arrivalTime, the key shorthand, a readable date), with a message per field.
 */
export function checkTraceLine(doc: unknown): LineCheck {
  const problems: { field: string; message: string }[] = [];
  const isObject = typeof doc === 'object' && doc !== null && !Array.isArray(doc);
  const o = (isObject ? doc : {}) as Record<string, unknown>;

  for (const p of checkAgainstTraceSchema('trace-line', doc)) {
    const better = rephrase(p, o);
    if (better) problems.push(better);
  }
  if (isObject) {
    const hasSec = 'arrivalSec' in o;
    const hasTime = 'arrivalTime' in o;
    if (hasSec && hasTime) problems.push({ field: '/arrivalTime', message: 'give either arrivalSec or arrivalTime, not both' });
    if (!hasSec && !hasTime) problems.push({ field: '/arrivalSec', message: 'is required: give arrivalSec (seconds since the trace starts) or arrivalTime (ISO-8601 date-time)' });
  }
  let keys: KeyPress[] = [];
  if (typeof o['keys'] === 'string' && !('queue' in o)) {
    try {
      keys = parseKeys(o['keys']);
    } catch (err) {
      if (!(err instanceof KeySyntaxError)) throw err;
      problems.push({ field: '/keys', message: `${err.message}; e.g. "2,1" or "2@3.1,1"` });
    }
  } else if (Array.isArray(o['keys'])) {
    keys = (o['keys'] as KeyPress[]).map((k) => (k.afterSec === undefined ? { key: k.key } : { key: k.key, afterSec: k.afterSec }));
  }
  let time: OffsetDateTime | undefined;
  if (typeof o['arrivalTime'] === 'string' && !problems.some((p) => p.field === '/arrivalTime')) {
    time = parseOffsetDateTime(o['arrivalTime']);
    if (!time) {
      problems.push({ field: '/arrivalTime', message: `cannot be read as a date-time (got ${JSON.stringify(o['arrivalTime'])}); use e.g. "2025-03-03T09:00:00+08:00"` });
    }
  }
  if (problems.length) return { ok: false, problems };

  const line = o as unknown as TraceLine;
  const call: CheckedLine['call'] = { callId: line.callId, keys, talkSec: line.talkSec! };
  if (line.caller !== undefined) call.caller = line.caller;
  if (line.profile !== undefined) call.profile = line.profile;
  if (line.wrapSec !== undefined) call.wrapSec = line.wrapSec;
  if (line.patienceSec !== undefined) call.patienceSec = line.patienceSec;
  if (line.hangupInIvrSec !== undefined) call.hangupInIvrSec = line.hangupInIvrSec;
  if (line.queue !== undefined) call.queue = line.queue;
  if (line.priority !== undefined) call.priority = line.priority;
  if (line.retryOf !== undefined) call.retryOf = line.retryOf;
  if (line.language !== undefined) call.language = line.language;
  if (line.observed !== undefined) call.observed = line.observed;
  const arrival: LineArrival =
    line.arrivalSec !== undefined ? { kind: 'sec', sec: line.arrivalSec } : { kind: 'time', epochMs: time!.epochMs, secOfDay: time!.secOfDay, text: line.arrivalTime! };
  return { ok: true, line: { call, arrival } };
}

/** Replaces schema messages that would confuse a tester; undefined drops one said better elsewhere. */
function rephrase(p: SchemaProblem, o: Record<string, unknown>): { field: string; message: string } | undefined {
  // The arrivalSec/arrivalTime choice is checked by hand above, with one clear message.
  if (p.schemaPath.startsWith('#/oneOf')) return undefined;
  if (p.field === '/keys' && p.keyword !== 'false schema') {
    // A string is checked by the shorthand parser; a list by its items; anything else gets one message.
    if (typeof o['keys'] === 'string' || Array.isArray(o['keys'])) return undefined;
    return p.keyword === 'oneOf' ? { field: p.field, message: `must be a list of presses [{"key": "2", "afterSec": 3.1}, …] or shorthand text like "2,1" (got ${JSON.stringify(o['keys'])})` } : undefined;
  }
  if (p.keyword === 'false schema') {
    const what = p.field === '/keys' ? 'keys' : 'hangupInIvrSec';
    return { field: p.field, message: `${QUEUE_LINE}: remove ${what}, or remove queue to send the call through the IVR` };
  }
  if (p.keyword === 'dependentRequired' && p.field === '/priority') {
    return { field: p.field, message: 'applies only to ACD-level records: add "queue", or leave priority to the routing rules' };
  }
  return { field: p.field, message: p.message };
}
