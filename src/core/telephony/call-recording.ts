import type { CallerBehaviour } from '../trace/caller-behaviour.js';
import type { TraceLine } from '../trace/trace-line.js';
import type { LiveCallState } from './live-call-state.js';

/** What Twilio's status callback says about a finished call. */
export interface CallReport {
  /** `completed`, `busy`, `failed`, `no-answer` or `canceled`. */
  callStatus: string;
  /** CallDuration: seconds from answer to hang-up. */
  callDurationSec?: number | null;
  /** QueueTime: seconds the caller waited in the queue, when Twilio reports it. */
  queueTimeSec?: number | null;
}

/**
 * Where recorded calls go (a Redis stream in the service, an array in tests). A call is recorded
 * once: the sink remembers each CallSid it took (for a window, in the service) and refuses it again.
 */
export interface TraceSink {
  /** Adds the call's line; false when a line for this CallSid was recorded before (nothing added). */
  append(line: TraceLine): Promise<boolean>;
  /** Whether a line for this CallSid was recorded (the call is over). */
  isRecorded(callSid: string): Promise<boolean>;
}

/** In-process sink with the same once-per-call rule, for unit tests of the core. */
export class MemoryTraceSink implements TraceSink {
  readonly lines: TraceLine[] = [];
  private readonly recorded = new Set<string>();

  async append(line: TraceLine): Promise<boolean> {
    if (this.recorded.has(line.callId)) return false;
    this.recorded.add(line.callId);
    this.lines.push(line);
    return true;
  }

  async isRecorded(callSid: string): Promise<boolean> {
    return this.recorded.has(callSid);
  }
}

/**
 * Handle time to record for a call no agent answered. The trace format needs one on every line
 * (a replay under another configuration may hand the call off): the segment's assumed mean.
 */
export type AssumedTalkSec = (segment: string) => number;

/** The mean handle times of the caller-behaviour model (data/caller-behaviour.json). */
export function talkSecFromBehaviour(behaviour: Pick<CallerBehaviour, 'talkSec'>): AssumedTalkSec {
  return (segment) => Math.round(behaviour.talkSec.bySegment?.[segment]?.mean ?? behaviour.talkSec.mean);
}

/** Twilio's QueueResult when an agent took the call. */
const ANSWERED = 'bridged';

/**
 * A finished live call as one trace line: what a replay needs (arrival, caller, keys with their
 * timing, a hang-up in the IVR, talk time, patience) plus what was observed live. Talk time is
 * measured when an agent answered and Twilio reported the call's duration, assumed otherwise
 * (`observed.talkSecFrom` says which).
 */
export function traceLineOf(state: LiveCallState, report: CallReport, assumedTalkSec: AssumedTalkSec): TraceLine {
  const ivr = state.ended?.ivr;
  const line: TraceLine = {
    callId: state.callSid,
    arrivalTime: new Date(state.arrivalMs).toISOString(),
    caller: state.caller,
    language: state.language,
    keys: state.keys.map(({ key, afterSec }) => ({ key, afterSec })),
    talkSec: assumedTalkSec(state.segment.id),
  };
  if (ivr?.outcome === 'hangup') line.hangupInIvrSec = ivr.ivrSec;
  const observed: NonNullable<TraceLine['observed']> = {
    segment: state.segment.id,
    configVersion: state.configVersion,
    flow: state.flowId,
    callStatus: report.callStatus,
  };
  if (ivr) {
    observed.outcome = ivr.outcome;
    observed.finalState = ivr.finalState;
    observed.ivrSec = ivr.ivrSec;
  }
  const route = state.turn.end?.decision?.route ?? null;
  const handoff = state.turn.end?.handoff ?? null;
  if (route) {
    observed.queue = route.queue;
    observed.priority = route.priority;
  } else if (handoff) {
    observed.queue = handoff.queue;
    observed.priority = handoff.priority;
  }
  if (handoff?.fault) observed['fault'] = handoff.fault;
  const waitSec = report.queueTimeSec ?? state.queue?.waitSec ?? null;
  if (waitSec !== null) observed.waitSec = waitSec;
  if (state.queue) {
    observed['queueResult'] = state.queue.result;
    observed.answered = state.queue.result === ANSWERED;
    if (state.queue.result === 'hangup' && waitSec !== null) line.patienceSec = waitSec;
  }
  const callSec = report.callDurationSec ?? null;
  if (callSec !== null) observed['callSec'] = callSec;
  observed['talkSecFrom'] = 'assumed';
  if (observed.answered && callSec !== null && state.ended) {
    const ivrWallSec = (state.ended.endedMs - state.arrivalMs) / 1000;
    line.talkSec = Math.max(0, Math.round((callSec - ivrWallSec - (waitSec ?? 0)) * 10) / 10);
    observed['talkSecFrom'] = 'measured';
  }
  if (!state.keysExact) observed['keysExact'] = false;
  line.observed = observed;
  return line;
}
