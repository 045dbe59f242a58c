import type { AnyMachineSnapshot } from 'xstate';
import { maskPhone } from '../customers/customer-directory.js';
import { rotationOf } from '../decision/call-decider.js';
import type { Decision } from '../decision/decision.js';
import { FlowLoopError, pickPrompt } from '../flows/ivr-player.js';
import type { IvrResult } from '../flows/ivr-result.js';
import type { FlowStepper, StepEdge, StepNode } from '../flows/flow-stepper.js';
import type { Language } from '../profile/customer-profile.js';
import type { Facts } from '../profile/facts.js';
import type { LiveConfiguration } from './config-versions.js';
import { CallStateUnreadableError } from './live-call-errors.js';
import { LIVE_CALL_STATE_FORMAT, type LiveCallState, type LiveWait, type RecordedKey } from './live-call-state.js';
import { servicePrompt } from './service-prompts.js';
import type { CustomerSummary, Handoff, SpokenPrompt, Turn } from './turn.js';

/** What one webhook brings to a waiting call. */
export type LiveInput = { kind: 'key'; key: string } | { kind: 'noInput' };

/** Same bound as the simulator: a flow that runs this many steps in one turn has a loop without a retry bound. */
const MAX_STEPS_PER_TURN = 500;
/** How far past a window a key is placed so a replay treats that window as ended without input. */
const EPSILON_SEC = 0.001;

/**
 * A new call: profile → segment → the segment's flow, played up to its first wait. The returned
 * state is ready to store; its `turn` says what the caller hears first.
 */
export function startLiveCall(live: LiveConfiguration, args: { callSid: string; caller: string; nowMs: number }): LiveCallState {
  const { callSid, caller, nowMs } = args;
  const { facts, language } = live.decider.profileOf({ callId: callSid, caller, keys: [] });
  const segment = live.decider.segmentFor({ caller });
  const stepper = stepperFor(live, segment.id, callSid);
  const state: LiveCallState = {
    format: LIVE_CALL_STATE_FORMAT,
    callSid,
    caller,
    arrivalMs: nowMs,
    configVersion: live.config.version,
    segment,
    flowId: stepper.flow.id,
    language,
    snapshot: null,
    step: 1,
    turnFor: 0,
    turn: undefined as unknown as Turn,
    wait: null,
    keys: [],
    noInputFloorSec: null,
    keysExact: true,
    ended: null,
    queue: null,
    recorded: false,
  };
  return play(live, stepper, state, stepper.start(facts), facts, 0, nowMs);
}

/**
 * Moves a waiting call on by one webhook: a key, or the end of the input window without one.
 * The key's `afterSec` is measured on the wall clock from when its prompts started, then placed
 * on the replay clock so the recorded call replays through the same states.
 */
export function continueLiveCall(live: LiveConfiguration, state: LiveCallState, input: LiveInput, nowMs: number): LiveCallState {
  const wait = state.wait;
  if (!wait || state.ended) throw new CallStateUnreadableError(state.callSid, 'the call is not waiting for input');
  const stepper = stepperFor(live, state.segment.id, state.callSid);
  const { node, facts } = restore(live, stepper, state);
  const windowSec = wait.promptSec + wait.timeoutSec;
  const next: LiveCallState = { ...state, keys: [...state.keys], turnFor: state.step, step: state.step + 1 };
  let eventSec: number;
  let eventType: string;
  if (input.kind === 'key') {
    // A key Twilio accepted was pressed inside the window; network delay must not push it out on replay.
    let afterSec = round(clamp((nowMs - wait.promptsStartMs) / 1000, 0, windowSec));
    const floor = state.noInputFloorSec;
    if (floor !== null && afterSec <= floor) {
      const placed = round(floor + EPSILON_SEC);
      if (placed <= windowSec) afterSec = placed;
      else next.keysExact = false;
    }
    const heardSec = wait.bargeIn ? afterSec : Math.max(afterSec, wait.promptSec);
    eventSec = wait.promptsStartSec + heardSec;
    eventType = `KEY.${input.key}`;
    next.keys.push({ key: input.key, afterSec, atSec: round(eventSec) });
    next.noInputFloorSec = null;
  } else {
    eventSec = wait.promptsStartSec + windowSec;
    eventType = 'NO_INPUT';
    next.noInputFloorSec = Math.max(state.noInputFloorSec ?? 0, windowSec);
  }
  return play(live, stepper, next, stepper.step(node, eventType, facts), facts, eventSec, nowMs);
}

/**
 * The caller hung up while in the IVR. The hang-up time is placed on the replay clock inside the
 * wait the call was in, so a replay hangs up at the same point.
 */
export function hangUpLiveCall(state: LiveCallState, nowMs: number): LiveCallState {
  if (state.ended) return state;
  const wait = state.wait;
  let atSec = 0;
  if (wait) {
    const lastSec = wait.promptsStartSec - wait.turnStartSec + wait.promptSec + wait.timeoutSec - EPSILON_SEC;
    atSec = wait.turnStartSec + clamp((nowMs - wait.turnStartMs) / 1000, 0, Math.max(0, lastSec));
  }
  const c = contextOf(state);
  const ivr: IvrResult = {
    outcome: 'hangup',
    finalState: wait?.state ?? state.turn.state,
    ivrSec: round(atSec),
    intent: c?.intent ?? null,
    intents: c?.intents ?? [],
    hotKey: c?.hotKey ?? null,
    escalation: c?.escalation ?? null,
    diagnosis: c?.diagnosis ?? null,
    keys: ivrKeys(state.keys),
    unusedKeys: 0,
  };
  const turn: Turn = { ...state.turn, step: null, prompts: [], input: null, end: { outcome: 'hangup', handoff: null, decision: null } };
  return { ...state, wait: null, ended: { ivr, endedMs: nowMs }, turn, turnFor: state.step, step: state.step + 1 };
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
  const s: CustomerSummary = { phone: maskPhone(String(facts['phone'] ?? '')), known: facts['known'] === true, language };
  for (const k of ['vipLevel', 'plan', 'network', 'region'] as const) if (typeof facts[k] === 'string') s[k] = facts[k] as string;
  if (typeof facts['tenureMonths'] === 'number') s.tenureMonths = facts['tenureMonths'] as number;
  return s;
}

/**
 * Plays from `edge` until the call waits for a key or leaves the flow, the way `walkCall` does:
 * announcement states pass on PROMPT_END within the same turn, each prompt taking its catalogued
 * duration on the replay clock that starts at `startSec`.
 */
function play(
  live: LiveConfiguration,
  stepper: FlowStepper,
  state: LiveCallState,
  first: StepEdge,
  facts: Facts,
  startSec: number,
  nowMs: number,
): LiveCallState {
  const catalog = live.config.flows.prompts;
  const rotation = rotationOf(state.callSid);
  const prompts: SpokenPrompt[] = [];
  let t = startSec;
  let edge = first;
  for (let steps = 0; steps < MAX_STEPS_PER_TURN; steps++) {
    const node = edge.node;
    const from = prompts.length;
    let d = 0;
    for (const say of edge.says) {
      const id = pickPrompt(say, rotation);
      if (!id) continue;
      const r = catalog.render(id, facts, state.language);
      const p: SpokenPrompt = { id, language: r.language, text: r.text, durationSec: r.durationSec };
      if (r.audioUrl) p.audioUrl = r.audioUrl;
      prompts.push(p);
      d += r.durationSec;
    }
    const base = {
      callSid: state.callSid,
      language: state.language,
      state: node.state.path,
      configVersion: live.config.version,
      prompts,
    };
    const snapshot = persist(stepper, node, facts);
    if (!node.done) live.nodes.remember(live.nodes.key(stepper.flow, facts, snapshot), node);
    if (node.done) {
      const ivr = ivrResultOf(node, state.keys, t + d);
      const decision = live.decider.decideWithIvr({ callId: state.callSid, caller: state.caller, keys: state.keys }, ivr);
      const handoff = ivr.outcome === 'handoff' ? handoffOf(decision, customerSummary(facts, state.language)) : null;
      const turn: Turn = { ...base, step: null, input: null, end: { outcome: ivr.outcome, handoff, decision } };
      return { ...state, snapshot, wait: null, turn, ended: { ivr, endedMs: nowMs + (t + d - startSec) * 1000 } };
    }
    if (node.input) {
      const wait: LiveWait = {
        state: node.state.path,
        turnStartMs: nowMs,
        turnStartSec: startSec,
        promptsStartMs: nowMs + (t - startSec) * 1000,
        promptsStartSec: t,
        promptSec: d,
        timeoutSec: node.input.timeoutSec,
        bargeIn: node.input.bargeIn !== false,
      };
      const turn: Turn = {
        ...base,
        step: state.step,
        input: { from, timeoutSec: node.input.timeoutSec, numDigits: 1, bargeIn: wait.bargeIn },
        end: null,
      };
      return { ...state, snapshot, wait, turn };
    }
    t += d;
    edge = stepper.step(node, 'PROMPT_END', facts);
  }
  throw new FlowLoopError(stepper.flow.id, edge.node.state.path);
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

function ivrResultOf(node: StepNode, keys: readonly RecordedKey[], endSec: number): IvrResult {
  const c = node.context;
  return {
    outcome: node.outcome!,
    finalState: node.state.path,
    ivrSec: round(endSec),
    intent: c.intent,
    intents: c.intents,
    hotKey: c.hotKey,
    escalation: c.escalation,
    diagnosis: c.diagnosis,
    keys: ivrKeys(keys),
    unusedKeys: 0,
  };
}

function ivrKeys(keys: readonly RecordedKey[]): IvrResult['keys'] {
  return keys.map((k) => ({ key: k.key, atSec: k.atSec }));
}

function stepperFor(live: LiveConfiguration, segment: string, callSid: string): FlowStepper {
  const stepper = live.steppers.get(segment);
  if (!stepper) throw new CallStateUnreadableError(callSid, `configuration ${live.config.version} has no flow for segment "${segment}"`);
  return stepper;
}

/**
 * The snapshot to store. The memoised stepper shares nodes between callers whose guards read the
 * same facts, so a node's context may carry another caller's facts: store this caller's.
 */
function persist(stepper: FlowStepper, node: StepNode, facts: Facts): PersistedFlow {
  const persisted = stepper.flow.machine.getPersistedSnapshot(node.snapshot) as unknown as PersistedFlow;
  return { ...persisted, context: { ...persisted.context, facts } };
}

/** The parts of XState's persisted snapshot read back here. */
interface PersistedFlow {
  status: string;
  value: unknown;
  context: Record<string, unknown>;
}

/** The flow node a stored call is at (the memoised one when known), and the caller's facts. */
function restore(live: LiveConfiguration, stepper: FlowStepper, state: LiveCallState): { node: StepNode; facts: Facts } {
  const persisted = state.snapshot as { status?: string; value?: unknown; context?: Record<string, unknown> & { facts?: Facts } } | null;
  if (!persisted || persisted.status !== 'active' || !persisted.context?.facts) throw new CallStateUnreadableError(state.callSid, 'no active flow snapshot');
  const facts = persisted.context.facts;
  const known = live.nodes.get(live.nodes.key(stepper.flow, facts, persisted));
  if (known) return { node: known, facts };
  try {
    const snapshot: AnyMachineSnapshot = stepper.flow.machine.resolveState({ value: persisted.value as never, context: persisted.context as never });
    return { node: stepper.nodeFor(snapshot), facts };
  } catch (err) {
    throw new CallStateUnreadableError(state.callSid, `flow ${stepper.flow.id} cannot resume the stored state: ${(err as Error).message}`);
  }
}

function contextOf(state: LiveCallState): StepNode['context'] | null {
  const persisted = state.snapshot as { context?: StepNode['context'] } | null;
  return persisted?.context ?? null;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
