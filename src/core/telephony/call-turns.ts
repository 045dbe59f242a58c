import { maskPhone } from '../customers/customer-directory.js';
import { rotationOf } from '../decision/call-decider.js';
import type { Decision } from '../decision/decision.js';
import { hangUpPaused, IvrResumeError, type IvrCall, type IvrPlayer, type PlayOptions } from '../flows/ivr-player.js';
import { ivrResultOf } from '../flows/ivr-result.js';
import type { Language } from '../profile/customer-profile.js';
import type { Facts } from '../profile/facts.js';
import type { LiveConfiguration } from './config-versions.js';
import { CallStateUnreadableError } from './live-call-errors.js';
import { LIVE_CALL_STATE_FORMAT, type LiveCallState } from './live-call-state.js';
import { servicePrompt } from './service-prompts.js';
import type { CustomerSummary, Handoff, Turn } from './turn.js';

/** What one webhook brings to a waiting call. */
export type LiveInput = { kind: 'key'; key: string } | { kind: 'noInput' };

/*
 * A live call is the IVR player (src/core/flows/ivr-player.ts) resumed once per webhook: the
 * player owns the prompts, the windows, barge-in and the prompt-end loop; this file maps the
 * wall clock of the webhooks onto the call's clock and its pauses onto turns.
 */

/**
 * A new call: profile → segment → the segment's flow, played up to its first wait. The returned
 * state is ready to store; its `turn` says what the caller hears first.
 */
export function startLiveCall(live: LiveConfiguration, args: { callSid: string; caller: string; nowMs: number }): LiveCallState {
  const { callSid, caller, nowMs } = args;
  const { facts, language } = live.decider.profileOf({ callId: callSid, caller, keys: [] });
  const segment = live.decider.segmentFor({ caller });
  const player = playerFor(live, segment.id, callSid);
  const state: LiveCallState = {
    format: LIVE_CALL_STATE_FORMAT,
    callSid,
    caller,
    arrivalMs: nowMs,
    configVersion: live.config.version,
    segment,
    flowId: player.flowId,
    language,
    ivr: null,
    wait: null,
    step: 1,
    turnFor: 0,
    turn: undefined as unknown as Turn,
    keys: [],
    keysExact: true,
    ended: null,
    queue: null,
    recorded: false,
  };
  return turnOf(live, state, player.start(facts, playOptions(state)), nowMs);
}

/**
 * Moves a waiting call on by one webhook: a key, or the end of the input window without one.
 * The key's time is measured on the wall clock from when its prompts started; the player places
 * it on the replay clock so the recorded call replays through the same states.
 */
export function continueLiveCall(live: LiveConfiguration, state: LiveCallState, input: LiveInput, nowMs: number): LiveCallState {
  const { ivr: pause, wait } = state;
  if (!pause || !wait || state.ended) throw new CallStateUnreadableError(state.callSid, 'the call is not waiting for input');
  const player = playerFor(live, state.segment.id, state.callSid);
  let call: IvrCall;
  try {
    call = player.resume(pause, playOptions(state));
  } catch (err) {
    if (err instanceof IvrResumeError) throw new CallStateUnreadableError(state.callSid, err.message);
    throw err;
  }
  const next: LiveCallState = { ...state, keys: [...state.keys], turnFor: state.step, step: state.step + 1 };
  if (input.kind === 'key') {
    const { afterSec, exact } = call.placeKey((nowMs - wait.promptsStartMs) / 1000);
    if (!exact) next.keysExact = false;
    call.key(input.key, afterSec);
    next.keys.push({ key: input.key, afterSec, atSec: call.keys[call.keys.length - 1]!.atSec });
  } else {
    call.noInput();
  }
  return turnOf(live, next, call, nowMs);
}

/**
 * The caller hung up while in the IVR. The player places the hang-up inside the wait the call
 * was in, so a replay hangs up at the same point.
 */
export function hangUpLiveCall(state: LiveCallState, nowMs: number): LiveCallState {
  if (state.ended) return state;
  const ivr =
    state.ivr && state.wait
      ? hangUpPaused(state.ivr, (nowMs - state.wait.turnStartMs) / 1000)
      : ivrResultOf('hangup', state.turn.state, 0, null, state.keys.map((k) => ({ key: k.key, atSec: k.atSec })), 0);
  const turn: Turn = { ...state.turn, step: null, prompts: [], input: null, end: { outcome: 'hangup', handoff: null, decision: null } };
  return { ...state, ivr: null, wait: null, ended: { ivr, endedMs: nowMs }, turn, turnFor: state.step, step: state.step + 1 };
}

/**
 * What a caller hears when the call cannot go on through its flow (state store unreachable,
 * state lost): an apology, then the default queue. Never dead air.
 */
export function faultTurn(
  live: LiveConfiguration | undefined,
  args: { callSid: string; language: Language; code: string; caller?: string },
): Turn {
  const rules = live?.config.rules;
  const queue = rules?.routeDefault.queue ?? 'general';
  const priority = rules?.routeDefault.priority ?? rules?.segmentDefault.priority ?? 10;
  const handoff: Handoff = {
    queue,
    priority,
    overflow: [],
    segment: rules?.segmentDefault.segment ?? 'standard',
    tags: [],
    customer: { phone: args.caller ? maskPhone(args.caller) : '', known: false, language: args.language },
    explanation: null,
    fault: args.code,
  };
  return {
    callSid: args.callSid,
    step: null,
    language: args.language,
    state: '',
    configVersion: live?.config.version ?? null,
    prompts: [servicePrompt(live?.config.flows.prompts, 'live.apology', args.language)],
    input: null,
    end: { outcome: 'handoff', handoff, decision: null },
  };
}

/** The answer to a request for a call that is over: nothing to say, hang up. */
export function finishedTurn(callSid: string, language: Language): Turn {
  return { callSid, step: null, language, state: '', configVersion: null, prompts: [], input: null, end: { outcome: 'hangup', handoff: null, decision: null } };
}

/** The caller's profile as the queue and the agent desktop see it: no name, masked number. */
export function customerSummary(facts: Facts, language: Language): CustomerSummary {
  // oxlint-disable-next-line typescript/no-base-to-string -- unknown (narrowed to {}): String() is meant
  const s: CustomerSummary = { phone: maskPhone(String(facts['phone'] ?? '')), known: facts['known'] === true, language };
  for (const k of ['vipLevel', 'plan', 'network', 'region'] as const) if (typeof facts[k] === 'string') s[k] = facts[k] as string;
  if (typeof facts['tenureMonths'] === 'number') s.tenureMonths = facts['tenureMonths'] as number;
  return s;
}

/**
 * The turn a played call is at: the prompts of this turn, then its wait (the paused player is
 * stored) or its end (the decision, as `ivr-sim call` makes it from the same IvrResult).
 */
function turnOf(live: LiveConfiguration, state: LiveCallState, call: IvrCall, nowMs: number): LiveCallState {
  const ivr = call.result;
  const base = {
    callSid: state.callSid,
    language: state.language,
    state: ivr ? ivr.finalState : call.node.state.path,
    configVersion: live.config.version,
    prompts: call.heard,
  };
  if (ivr) {
    const decision = live.decider.decideWithIvr({ callId: state.callSid, caller: state.caller, keys: state.keys }, ivr);
    const handoff = ivr.outcome === 'handoff' ? handoffOf(decision, customerSummary(call.facts, state.language)) : null;
    const turn: Turn = { ...base, step: null, input: null, end: { outcome: ivr.outcome, handoff, decision } };
    return { ...state, ivr: null, wait: null, turn, ended: { ivr, endedMs: nowMs + (call.endSec - call.turnStartSec) * 1000 } };
  }
  const wait = { turnStartMs: nowMs, promptsStartMs: nowMs + (call.promptsStartSec - call.turnStartSec) * 1000 };
  const turn: Turn = {
    ...base,
    step: state.step,
    input: { from: call.heardFrom, timeoutSec: call.timeoutSec, numDigits: 1, bargeIn: call.bargeIn },
    end: null,
  };
  return { ...state, ivr: call.pause(), wait, turn };
}

function playOptions(state: LiveCallState): PlayOptions {
  return { language: state.language, rotation: rotationOf(state.callSid), spoken: true };
}

function playerFor(live: LiveConfiguration, segment: string, callSid: string): IvrPlayer {
  const player = live.runtime.player(segment);
  if (!player) throw new CallStateUnreadableError(callSid, `configuration ${live.config.version} has no flow for segment "${segment}"`);
  return player;
}

function handoffOf(d: Decision, customer: CustomerSummary): Handoff {
  const route = d.route!;
  return {
    queue: route.queue,
    priority: route.priority,
    overflow: route.overflow,
    segment: d.segment.id,
    tags: d.tags,
    customer,
    explanation: d.explanation,
    fault: null,
  };
}
