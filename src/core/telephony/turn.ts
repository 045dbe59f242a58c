import type { PlayedPrompt } from '../flows/ivr-player.js';
import type { Decision, PopupTag } from '../decision/decision.js';
import type { Language } from '../profile/customer-profile.js';

/** A prompt as the caller hears it: text for text-to-speech, or recorded audio when the prompt has some (see PlayedPrompt). */
export type SpokenPrompt = PlayedPrompt;

/** The call waits for one DTMF key. */
export interface TurnInput {
  /**
   * Index into the turn's prompts where the waiting state's own prompts start. Earlier prompts
   * belong to announcement states passed on the way and cannot be interrupted.
   */
  from: number;
  timeoutSec: number;
  numDigits: 1;
  /** Keys may interrupt the waiting state's prompts. */
  bargeIn: boolean;
}

/** What the agent desktop and the queue need to know about the caller; the number is masked. */
export interface CustomerSummary {
  phone: string;
  known: boolean;
  language: Language;
  vipLevel?: string;
  plan?: string;
  network?: string;
  tenureMonths?: number;
  region?: string;
}

/** Where a handed-off call queues and what travels with it. */
export interface Handoff {
  /** The skill group (queue) chosen by the routing rules, or the default queue after a fault. */
  queue: string;
  priority: number;
  overflow: { afterSec: number; queue: string; priority: number }[];
  segment: string;
  tags: PopupTag[];
  customer: CustomerSummary;
  explanation: Decision['explanation'] | null;
  /** Set when the call is queued because something failed (an error code), not by the rules. */
  fault: string | null;
}

export interface TurnEnd {
  outcome: 'selfServed' | 'handoff' | 'hangup';
  /** Present for hand-offs. */
  handoff: Handoff | null;
  /** The decision, as `ivr-sim call` would make it; null after a fault or a hang-up. */
  decision: Decision | null;
}

/**
 * The answer to one webhook: the prompts to play, then either a wait for a key (`input`) or the
 * end of the IVR (`end`). Exactly one of `input` and `end` is set.
 */
export interface Turn {
  callSid: string;
  /** The step number the next webhook of this call must carry; null once the call has left the IVR. */
  step: number | null;
  language: Language;
  /** The flow state the call is in ('' when no flow runs, e.g. after a fault). */
  state: string;
  configVersion: string | null;
  prompts: SpokenPrompt[];
  input: TurnInput | null;
  end: TurnEnd | null;
}
