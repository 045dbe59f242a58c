/** What became of one offered call. Emitted once per call, as soon as its fate is known. */
export interface CallOutcome {
  seq: number;
  callId: string;
  segment: string;
  /** The queue the call was answered from or, if not answered, the last queue it was offered to. */
  queue: string;
  /** The queue the route sent it to first. */
  entryQueue: string;
  answered: boolean;
  /** Hung up in the queue. A call neither answered nor abandoned was still waiting when the
   * simulation drained and no agent for its queues would ever log in. */
  abandoned: boolean;
  /** Time in the agent queues: until answered, until hanging up, or until the simulation ended. */
  waitSec: number;
  arrivalSec: number;
  queuedSec: number;
  answeredSec?: number;
  /** Talk and after-call work actually done: zero unless answered. */
  talkSec: number;
  wrapSec: number;
  /** The agent group that answered. */
  agentGroup?: string;
  /** Whether any overflow step offered the call to a further queue before its fate was known. */
  overflowed: boolean;
  /** The queue the last of those overflow steps offered it to (set exactly when overflowed). */
  overflowQueue?: string;
}
