import type { Turn } from '../../core/telephony/turn.js';

/**
 * Told once per call, by the voice webhooks, when the turn that queues the call is first
 * computed (not on Twilio's retries of it). Must not throw: the caller's TwiML does not wait on
 * anything a listener does wrong.
 */
export interface HandoffListener {
  handedOff(turn: Turn): Promise<void>;
}

export const HANDOFF_LISTENER = Symbol('HANDOFF_LISTENER');
