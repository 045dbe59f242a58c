import type { KeyPress } from '../../src/core/flows/key-presses.js';
import type { CallStateStore } from '../../src/core/telephony/call-state-store.js';
import type { ManualClock } from '../../src/core/time/clock.js';
import type { LiveCallCoordinator, TurnReply } from '../../src/core/telephony/live-call-coordinator.js';
import type { LiveCallState } from '../../src/core/telephony/live-call-state.js';

/** The wait a stored call is in: its wall-clock times and the paused player's replay times. */
export function waitOf(state: LiveCallState) {
  return { ...state.wait!, ...state.ivr! };
}

/**
 * Plays a scripted caller against the coordinator the way the IVR player plays a key list: each key is
 * pressed `afterSec` after its prompts start (as they end when absent); a key that would come
 * after the input window is not pressed there, and the window runs out instead.
 */
export async function playCaller(
  calls: LiveCallCoordinator,
  store: CallStateStore,
  clock: ManualClock,
  call: { callSid: string; caller: string; keys: readonly KeyPress[] },
): Promise<{ state: LiveCallState; replies: TurnReply[] }> {
  const replies = [await calls.incoming({ callSid: call.callSid, caller: call.caller })];
  let k = 0;
  for (let guard = 0; guard < 200 && replies.at(-1)!.turn.input; guard++) {
    const turn = replies.at(-1)!.turn;
    const wait = waitOf((await store.get(call.callSid))!.value);
    const windowSec = wait.promptSec + wait.timeoutSec;
    const press = call.keys[k];
    const at = press ? (press.afterSec ?? wait.promptSec) : Infinity;
    if (press && at <= windowSec) {
      clock.set(wait.promptsStartMs + at * 1000);
      replies.push(await calls.input({ callSid: call.callSid, step: turn.step!, input: { kind: 'key', key: press.key } }));
      k++;
    } else {
      clock.set(wait.promptsStartMs + windowSec * 1000);
      replies.push(await calls.input({ callSid: call.callSid, step: turn.step!, input: { kind: 'noInput' } }));
    }
  }
  return { state: (await store.get(call.callSid))!.value, replies };
}
