import { rotationAfter, rotationPrefix, type CallDecider } from '../decision/call-decider.js';
import type { CompactDecision, Decision } from '../decision/decision.js';
import type { TraceCall } from '../trace/trace-call.js';

/**
 * What a replay keeps of a trace line once it is decided: what the contact centre and the KPIs
 * read, and of `observed` only whether the call was answered (a replay with a queue-behaviour
 * model never generates a retry of a call the log saw hang up without calling again).
 */
export type ReplayCall = Pick<TraceCall, 'callId' | 'arrivalSec' | 'talkSec' | 'wrapSec' | 'patienceSec' | 'queue' | 'priority' | 'retryOf'> & {
  observed?: { answered?: boolean };
};

export type { CompactDecision } from '../decision/decision.js';

const NO_TAGS: readonly string[] = [];

/**
 * The compact form of a decision (without a recipient). The route and the SMS are the
 * decision's own objects (often shared between calls, never changed), seen through narrower
 * types: this runs once per call and scenario, and copies would only feed the garbage
 * collector. What crosses between threads is copied field by field (decided-batch-wire.ts).
 */
export function compactDecision(d: Decision): CompactDecision {
  return {
    segment: d.segment.id,
    outcome: d.flow.outcome,
    ivrSec: d.flow.ivrSec,
    hotKey: d.flow.hotKey,
    route: d.route,
    sms: d.sms,
    tags: d.tags.length === 0 ? NO_TAGS : d.tags.map((t) => t.key),
  };
}

/** What deciding a trace call reads of it. */
export type DecideInput = Pick<TraceCall, 'callId' | 'caller' | 'profile' | 'keys' | 'language' | 'hangupInIvrSec' | 'queue'>;

/** What deciding needs of a trace call, as it crosses to the thread that decides it. */
export function decideInputOf(call: TraceCall): DecideInput {
  const c: DecideInput = { callId: call.callId, keys: call.keys };
  if (call.caller !== undefined) c.caller = call.caller;
  if (call.profile !== undefined) c.profile = call.profile;
  if (call.language !== undefined) c.language = call.language;
  if (call.hangupInIvrSec !== undefined) c.hangupInIvrSec = call.hangupInIvrSec;
  if (call.queue !== undefined) c.queue = call.queue;
  return c;
}

/** The replay's part of a trace call, arriving at `arrivalSec` (the trace's clock offset applied). */
export function replayCallOf(call: TraceCall, arrivalSec = call.arrivalSec): ReplayCall {
  const c: ReplayCall = { callId: call.callId, arrivalSec, talkSec: call.talkSec };
  if (call.wrapSec !== undefined) c.wrapSec = call.wrapSec;
  if (call.patienceSec !== undefined) c.patienceSec = call.patienceSec;
  if (call.queue !== undefined) c.queue = call.queue;
  if (call.priority !== undefined) c.priority = call.priority;
  if (call.retryOf !== undefined) c.retryOf = call.retryOf;
  const answered = call.observed?.answered;
  if (answered !== undefined) c.observed = { answered };
  return c;
}

/**
 * Decides one trace call as a replay does, in whichever thread runs it: null for ACD-level
 * lines (no IVR, no rules); the seed picks which rolling promotion the caller hears.
 * `recipients`: keep whom the SMS go to (for a scenario with a contact policy).
 */
export function decideTraceCall(decider: CallDecider, seed: number, call: DecideInput, recipients: boolean): CompactDecision | null {
  if (call.queue !== undefined) return null;
  if (seed !== lastSeed) {
    lastSeed = seed;
    lastSeedPrefix = rotationPrefix(`${seed}:`);
  }
  // rotationOf(`${seed}:${callId}`), without building that string for every call.
  return decider.decideCompact(call, rotationAfter(lastSeedPrefix, call.callId), recipients);
}

let lastSeed = NaN;
let lastSeedPrefix = 0;
