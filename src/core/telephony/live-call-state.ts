import { IVR_PAUSE_FORMAT, type IvrPause, type PersistedFlow } from '../flows/ivr-player.js';
import type { IvrResult } from '../flows/ivr-result.js';
import type { Language } from '../profile/customer-profile.js';
import type { Turn } from './turn.js';

/**
 * Bumped when the shape below changes incompatibly. Format 1 (the IVR's wait and snapshot kept
 * at the top level) is still read, upgraded by `upgradeCallState`; any other is not.
 */
export const LIVE_CALL_STATE_FORMAT = 2;

/** A key the caller pressed, timed the way traces time keys. */
export interface RecordedKey {
  key: string;
  /** Seconds after the prompts of the waiting state started (barge-in when below their length). */
  afterSec: number;
  /** Seconds from arrival, on the replay clock (prompts take their catalogued duration). */
  atSec: number;
}

/** When the wait the call is in began, on the wall clock (epoch ms); its replay times are in `ivr`. */
export interface LiveWait {
  /** When the turn's TwiML was produced (`ivr.turnStartSec` on the replay clock). */
  turnStartMs: number;
  /** When the waiting state's own prompts start (`ivr.promptsStartSec`); announcements come first. */
  promptsStartMs: number;
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
  /** The IVR player paused at the call's wait (null once the call has left the IVR). */
  ivr: IvrPause | null;
  wait: LiveWait | null;
  /** The step number the next webhook must carry to move the call on. */
  step: number;
  /** The step of the request that produced `turn`; a retry of that request gets `turn` again. */
  turnFor: number;
  turn: Turn;
  keys: RecordedKey[];
  /** False when a key had to be recorded where a replay would take it at an earlier wait. */
  keysExact: boolean;
  /** Set once the call has left the IVR (self-served, handed off, or hung up in it). */
  ended: { ivr: IvrResult; endedMs: number } | null;
  /** What Twilio reported when the caller left the queue (<Enqueue action>). */
  queue: { result: string; waitSec: number | null } | null;
  /** The trace line was written. */
  recorded: boolean;
}

/** Format 1, as calls in progress at a deploy may have stored it. */
interface LiveCallStateV1 extends Omit<LiveCallState, 'format' | 'ivr' | 'wait'> {
  format: 1;
  snapshot: PersistedFlow | null;
  wait: (LiveWait & { state: string; turnStartSec: number; promptsStartSec: number; promptSec: number; timeoutSec: number; bargeIn: boolean }) | null;
  noInputFloorSec: number | null;
}

/**
 * A stored state in the current format: format 2 as is, format 1 moved into its new shape (the
 * IVR's wait and snapshot become `ivr`, the wall-clock times stay in `wait`). Null for a format
 * this version does not know.
 */
export function upgradeCallState(stored: { format?: unknown }): LiveCallState | null {
  if (stored.format === LIVE_CALL_STATE_FORMAT) return stored as LiveCallState;
  if (stored.format !== 1) return null;
  const { snapshot, wait, noInputFloorSec, format: _format, ...rest } = stored as LiveCallStateV1;
  const waiting = wait && !rest.ended;
  return {
    ...rest,
    format: LIVE_CALL_STATE_FORMAT,
    ivr: waiting
      ? {
          v: IVR_PAUSE_FORMAT,
          flowId: rest.flowId,
          snapshot: snapshot as PersistedFlow,
          state: wait.state,
          turnStartSec: wait.turnStartSec,
          promptsStartSec: wait.promptsStartSec,
          promptSec: wait.promptSec,
          timeoutSec: wait.timeoutSec,
          bargeIn: wait.bargeIn,
          keys: (rest.keys ?? []).map((k) => ({ key: k.key, atSec: k.atSec })),
          noInputFloorSec: noInputFloorSec ?? null,
        }
      : null,
    wait: waiting ? { turnStartMs: wait.turnStartMs, promptsStartMs: wait.promptsStartMs } : null,
  };
}
