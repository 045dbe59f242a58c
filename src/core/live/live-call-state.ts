import type { IvrResult } from '../flows/ivr-result.js';
import type { Language } from '../profile/customer-profile.js';
import type { Turn } from './turn.js';

/** Bumped when the shape below changes incompatibly; a state of another format is not read. */
export const LIVE_CALL_STATE_FORMAT = 1;

/** A key the caller pressed, timed the way traces time keys. */
export interface RecordedKey {
  key: string;
  /** Seconds after the prompts of the waiting state started (barge-in when below their length). */
  afterSec: number;
  /** Seconds from arrival, on the replay clock (prompts take their catalogued duration). */
  atSec: number;
}

/** The wait the call is in: the prompts of one input state are playing or have played. */
export interface LiveWait {
  state: string;
  /** When the turn's TwiML was produced (wall clock, epoch ms) and the replay time it stands for. */
  turnStartMs: number;
  turnStartSec: number;
  /** When the waiting state's own prompts start, on both clocks (announcements come first). */
  promptsStartMs: number;
  promptsStartSec: number;
  /** Length of the waiting state's prompts. */
  promptSec: number;
  timeoutSec: number;
  bargeIn: boolean;
}

/**
 * Everything kept about a live call between two webhooks. Times come in two kinds: wall-clock
 * epoch milliseconds (`…Ms`) and seconds on the replay clock (`…Sec`), where each prompt takes its
 * catalogued duration, so a recorded call replays to the same timings.
 */
export interface LiveCallState {
  format: typeof LIVE_CALL_STATE_FORMAT;
  callSid: string;
  /** The caller's number as Twilio sent it (`From`). */
  caller: string;
  arrivalMs: number;
  /** The configuration the call started with; it finishes on it. */
  configVersion: string;
  segment: { id: string; priority: number; rule: string | null };
  flowId: string;
  language: Language;
  /** XState persisted snapshot of the flow machine (`machine.getPersistedSnapshot`). */
  snapshot: unknown;
  /** The step number the next webhook must carry to move the call on. */
  step: number;
  /** The step of the request that produced `turn`; a retry of that request gets `turn` again. */
  turnFor: number;
  turn: Turn;
  wait: LiveWait | null;
  keys: RecordedKey[];
  /**
   * Longest input window that ended without a key since the last key. The trace format has no
   * "no input" marker: a replay skips a wait only when the next key comes after its window.
   */
  noInputFloorSec: number | null;
  /** False when a key had to be recorded where a replay would take it at an earlier wait. */
  keysExact: boolean;
  /** Set once the call has left the IVR (self-served, handed off, or hung up in it). */
  ended: { ivr: IvrResult; endedMs: number } | null;
  /** What Twilio reported when the caller left the queue (<Enqueue action>). */
  queue: { result: string; waitSec: number | null } | null;
  /** The trace line was written. */
  recorded: boolean;
}
