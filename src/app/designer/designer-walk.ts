import type { CallDecider } from '../../core/decision/call-decider.js';
import type { Decision } from '../../core/decision/decision.js';
import type { TranscriptEntry } from '../../core/flows/ivr-result.js';
import type { CustomerProfile, Language } from '../../core/profile/customer-profile.js';

/**
 * A call walked key by key on the designer page, without state on the server: each request
 * carries the caller and every key pressed so far, and the whole call is decided again. Keys
 * are pressed as their prompts end. After the last key the caller says nothing, so the walk
 * shows where the call now waits (the first window that runs out) and, once the designer lets
 * it run out ("wait") or hangs up, how the call ends.
 */
export interface DesignerWalkRequest {
  caller?: string;
  profile?: CustomerProfile;
  keys: string[];
  /** wait: every window from here on runs out; hangup: the caller hangs up where the call waits. */
  end?: 'wait' | 'hangup';
  language?: Language;
}

export interface DesignerWalk {
  /** waiting: the call waits for a key in `waitingIn`; ended: it left the IVR (`decision` says how). */
  status: 'waiting' | 'ended';
  /** How many entries of the decision's transcript the caller has heard so far. */
  heard: number;
  waitingIn: string | null;
  /** Keys sent that the flow never asked for because the call had already ended. */
  unusedKeys: number;
}

export interface DesignerWalkResult {
  /** What CallDecider.decide gives for these keys, transcript included; while waiting, what would happen if the caller pressed nothing more. */
  decision: Decision;
  walk: DesignerWalk;
}

/** The call id every walk uses, so rotating prompts (rolling promotions) play the same for the same keys. */
export const DESIGNER_CALL_ID = 'designer';

export function walkForDesigner(decider: CallDecider, req: DesignerWalkRequest): DesignerWalkResult {
  const base = {
    callId: DESIGNER_CALL_ID,
    ...(req.profile ? { profile: req.profile } : { caller: req.caller ?? '' }),
    ...(req.language ? { language: req.language } : {}),
    keys: req.keys.map((key) => ({ key })),
    transcript: true,
  };
  const decision = decider.decide(base);
  const transcript = decision.transcript ?? [];
  const wait = transcript.findIndex((e) => e.kind === 'noInput');
  const unusedKeys = Math.max(0, req.keys.length - decision.flow.keys.length);
  if (wait < 0 || req.end === 'wait') return { decision, walk: { status: 'ended', heard: transcript.length, waitingIn: null, unusedKeys } };
  if (req.end === 'hangup') {
    const hungUp = decider.decide({ ...base, hangupInIvrSec: heardUntilSec(transcript.slice(0, wait)) });
    return { decision: hungUp, walk: { status: 'ended', heard: hungUp.transcript?.length ?? 0, waitingIn: null, unusedKeys } };
  }
  return { decision, walk: { status: 'waiting', heard: wait, waitingIn: transcript[wait]!.state, unusedKeys } };
}

/** When the last thing heard ends: the caller hangs up then, before the window runs out. */
function heardUntilSec(heard: readonly TranscriptEntry[]): number {
  let t = 0;
  for (const e of heard) t = Math.max(t, e.atSec + (e.kind === 'prompt' ? e.durationSec : 0));
  return t;
}
