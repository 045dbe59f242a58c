import type { Language } from '../profile/customer-profile.js';
import type { Facts } from '../profile/facts.js';
import type { PromptCatalog } from '../prompts/prompt-catalog.js';
import type { FlowContext } from './flow-machine.js';
import type { FlowStepper, SayAction, StepEdge, StepNode } from './flow-stepper.js';
import { NamedError } from '../errors/named-error.js';

/**
 * A DTMF press: `afterSec` counts from the start of the prompt that waits for it (a press
 * before the prompt ends is barge-in). Without `afterSec` the key is pressed as the prompt ends.
 */
export interface KeyPress {
  key: string;
  afterSec?: number | undefined;
}

export type IvrOutcome = 'selfServed' | 'handoff' | 'hangup';

export type TranscriptEntry =
  | { atSec: number; kind: 'state'; state: string }
  | { atSec: number; kind: 'prompt'; state: string; promptId: string; text: string; durationSec: number }
  | { atSec: number; kind: 'key'; state: string; key: string; bargeIn: boolean }
  | { atSec: number; kind: 'noInput'; state: string }
  | { atSec: number; kind: 'hangup'; state: string };

/** What happened to a call in the IVR. */
export interface IvrResult {
  outcome: IvrOutcome;
  /** The state the call ended in (`selfServed`, `handoff`, or where the caller hung up). */
  finalState: string;
  /** Seconds from arrival until the call leaves the IVR (queued, finished, or hung up). */
  ivrSec: number;
  intent: string | null;
  intents: string[];
  hotKey: string | null;
  escalation: string | null;
  diagnosis: FlowContext['diagnosis'];
  /** Keys the flow consumed, with the time each was pressed (seconds from arrival). */
  keys: { key: string; atSec: number }[];
  /** Keys left in the trace when the flow ended. */
  unusedKeys: number;
  transcript?: TranscriptEntry[];
}

export interface WalkOptions {
  facts: Facts;
  keys: readonly KeyPress[];
  language: Language;
  /** Picks among rotating prompts; use a stable hash of the call id. */
  rotation: number;
  hangupInIvrSec?: number | undefined;
  /** Build the transcript with rendered prompt texts (slower; for `ivr-sim call` and tests). */
  transcript?: boolean;
}

/** A flow that does not end within this many steps is a designer error (a loop without a bound). */
const MAX_STEPS = 500;

export class FlowLoopError extends NamedError {
  readonly code = 'FLOW_LOOP';
  constructor(flowId: string, state: string) {
    super(`flow ${flowId} did not end after ${MAX_STEPS} steps (last state ${state}); is there a loop without a retry bound?`);
    this.name = 'FlowLoopError';
  }
}

export function pickPrompt(say: SayAction, rotation: number): string | undefined {
  if (say.rotate && say.rotate.length) return say.rotate[rotation % say.rotate.length];
  return say.prompt;
}

/**
 * Plays a call through its flow in virtual time: prompts take their spoken duration, a key
 * counts if pressed before the wait times out (during the prompt too, when barge-in is on),
 * otherwise the flow's NO_INPUT path runs. Pure: the same inputs give the same result.
 */
export function walkCall(stepper: FlowStepper, prompts: PromptCatalog, opts: WalkOptions): IvrResult {
  const { facts, keys, language, rotation } = opts;
  const transcript: TranscriptEntry[] | undefined = opts.transcript ? [] : undefined;
  const hangupAt = opts.hangupInIvrSec;
  const used: { key: string; atSec: number }[] = [];
  let t = 0;
  let k = 0;
  let edge: StepEdge = stepper.start(facts);

  const play = (e: StepEdge, at: number): number => {
    let d = 0;
    if (transcript) transcript.push({ atSec: round(at), kind: 'state', state: e.node.state.path });
    for (const say of e.says) {
      const id = pickPrompt(say, rotation);
      if (!id) continue;
      if (transcript) {
        const r = prompts.render(id, facts, language);
        transcript.push({ atSec: round(at + d), kind: 'prompt', state: e.node.state.path, promptId: id, text: r.text, durationSec: r.durationSec });
        d += r.durationSec;
      } else {
        d += prompts.durationSec(id, facts, language);
      }
    }
    return d;
  };

  const finish = (node: StepNode, outcome: IvrOutcome, at: number): IvrResult => {
    const c = node.context;
    const result: IvrResult = {
      outcome,
      finalState: node.state.path,
      ivrSec: round(at),
      intent: c.intent,
      intents: c.intents,
      hotKey: c.hotKey,
      escalation: c.escalation,
      diagnosis: c.diagnosis,
      keys: used,
      unusedKeys: keys.length - k,
    };
    if (transcript) result.transcript = transcript;
    return result;
  };

  for (let steps = 0; steps < MAX_STEPS; steps++) {
    const node = edge.node;
    const promptSec = play(edge, t);
    if (node.done) {
      const end = t + promptSec;
      if (hangupAt !== undefined && hangupAt < end) return hangup(node, hangupAt);
      return finish(node, node.outcome!, end);
    }
    let eventAt: number;
    let eventType: string;
    if (node.input) {
      const windowSec = promptSec + node.input.timeoutSec;
      const press = keys[k];
      const bargeIn = node.input.bargeIn !== false;
      const pressedAt = press ? (press.afterSec ?? promptSec) : Infinity;
      if (press && pressedAt <= windowSec) {
        // Without barge-in a key pressed during the prompt is heard once the prompt ends.
        const after = bargeIn ? pressedAt : Math.max(pressedAt, promptSec);
        eventAt = t + after;
        eventType = `KEY.${press.key}`;
        if (hangupAt !== undefined && hangupAt < eventAt) return hangup(node, hangupAt);
        k++;
        used.push({ key: press.key, atSec: round(eventAt) });
        transcript?.push({ atSec: round(eventAt), kind: 'key', state: node.state.path, key: press.key, bargeIn: after < promptSec });
      } else {
        eventAt = t + windowSec;
        eventType = 'NO_INPUT';
        if (hangupAt !== undefined && hangupAt < eventAt) return hangup(node, hangupAt);
        transcript?.push({ atSec: round(eventAt), kind: 'noInput', state: node.state.path });
      }
    } else {
      eventAt = t + promptSec;
      eventType = 'PROMPT_END';
      if (hangupAt !== undefined && hangupAt < eventAt) return hangup(node, hangupAt);
    }
    t = eventAt;
    edge = stepper.step(node, eventType, facts);
  }
  throw new FlowLoopError(stepper.flow.id, edge.node.state.path);

  function hangup(node: StepNode, at: number): IvrResult {
    transcript?.push({ atSec: round(at), kind: 'hangup', state: node.state.path });
    return finish(node, 'hangup', at);
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
