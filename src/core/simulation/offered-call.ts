/**
 * A call as it reaches the agent queues, after the IVR has decided where it goes. The IVR
 * side produces these in arrival order; self-served calls and callers who hang up in the IVR
 * never become offered calls.
 */

export interface OverflowStep {
  /** Seconds of queue waiting after which the call is also offered to `queue`. */
  afterSec: number;
  queue: string;
  /** Priority in that queue; defaults to the call's route priority. */
  priority?: number;
}

export interface Route {
  queue: string;
  /** Higher is more important (e.g. 100 diamond … 10 standard). */
  priority: number;
  /** Further queues the call is offered to while it keeps waiting, in order of afterSec. */
  overflow: OverflowStep[];
}

export interface OfferedCall {
  /** Arrival order, 0-based: the deterministic tie-breaker. */
  seq: number;
  callId: string;
  segment: string;
  /** When the call arrived in the IVR (simulated seconds since midnight of day 0). */
  arrivalSec: number;
  /** When it reached the agent queues (arrival plus IVR time); never before arrivalSec. */
  queuedSec: number;
  route: Route;
  /** Talk time if answered. */
  talkSec: number;
  /** After-call work; defaults to the answering agent's group, then to the staffing file. */
  wrapSec?: number;
  /** How long the caller waits in queue before hanging up; absent waits for ever. */
  patienceSec?: number;
}
