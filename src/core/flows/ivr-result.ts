import type { FlowContext } from './flow-machine.js';

export type IvrOutcome = 'selfServed' | 'handoff' | 'hangup';

export type TranscriptEntry =
  | { atSec: number; kind: 'state'; state: string }
  | { atSec: number; kind: 'prompt'; state: string; promptId: string; text: string; durationSec: number }
  | { atSec: number; kind: 'key'; state: string; key: string; bargeIn: boolean }
  | { atSec: number; kind: 'noInput'; state: string }
  | { atSec: number; kind: 'hangup'; state: string };

/** What the flow's context says about a call, as the result and its summaries carry it. */
export type IvrContext = Pick<FlowContext, 'intent' | 'intents' | 'hotKey' | 'escalation' | 'diagnosis'>;

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

/** The part of an IVR result that the decision and the agent's screen pop repeat. */
export type IvrOutline = Pick<IvrResult, 'finalState' | 'ivrSec' | 'intent' | 'intents' | 'hotKey' | 'escalation' | 'diagnosis'>;

/**
 * The one way an IvrResult is built, whether the call was played in one go or webhook by
 * webhook. `context` null: a call that hung up before its flow had any.
 */
export function ivrResultOf(
  outcome: IvrOutcome,
  finalState: string,
  ivrSec: number,
  context: IvrContext | null,
  keys: { key: string; atSec: number }[],
  unusedKeys: number,
): IvrResult {
  return {
    outcome,
    finalState,
    ivrSec: roundSec(ivrSec),
    intent: context?.intent ?? null,
    intents: context?.intents ?? [],
    hotKey: context?.hotKey ?? null,
    escalation: context?.escalation ?? null,
    diagnosis: context?.diagnosis ?? null,
    keys,
    unusedKeys,
  };
}

/** The outline of a result (or of a decision's `flow`, which carries the same fields). */
export function ivrOutlineOf(r: IvrOutline): IvrOutline {
  return {
    finalState: r.finalState,
    ivrSec: r.ivrSec,
    intent: r.intent,
    intents: r.intents,
    hotKey: r.hotKey,
    escalation: r.escalation,
    diagnosis: r.diagnosis,
  };
}

/** Times in results are kept to the millisecond. */
export function roundSec(x: number): number {
  return Math.round(x * 1000) / 1000;
}
