import type { KeyPress } from '../flows/key-presses.js';
import type { CustomerProfile } from '../profile/customer-profile.js';

/**
 * One call of a trace (one JSON Lines line, or one CSV row with the same column names).
 * The contract is published as schemas/trace-line.schema.json and documented in docs/trace-format.md.
 */
export interface TraceLine {
  /** Unique within the trace. */
  callId: string;
  /** Seconds since the trace starts. Either this or arrivalTime. */
  arrivalSec?: number;
  /** ISO-8601 arrival time; converted to seconds after the first call's arrival. */
  arrivalTime?: string;
  /** Looked up in the customers file. */
  caller?: string;
  /** Inline profile; wins over `caller`. */
  profile?: CustomerProfile;
  /** DTMF presses in order; `afterSec` counts from the start of the prompt waiting for the key. Shorthand "2,1" or "2@3.1,1". */
  keys?: KeyPress[] | string;
  /** Handle time if an agent answers (required on every line: any call may reach an agent). */
  talkSec: number;
  /** After-call work; default from the staffing file. */
  wrapSec?: number;
  /** How long the caller waits in queue before hanging up; absent = waits. */
  patienceSec?: number;
  /** The caller hangs up this many seconds into the IVR. */
  hangupInIvrSec?: number;
  /** ACD-level record: goes straight to this queue, bypassing IVR and rules. */
  queue?: string;
  /** Priority for an ACD-level record (default: the routing default's, 10). */
  priority?: number;
  /**
   * The callId of an earlier line that this call retries: the same caller calling again after
   * hanging up in the queue. With a queue-behaviour model the retry happens only if that call
   * was abandoned in the simulation.
   */
  retryOf?: string;
  /** Caller's language for prompts. */
  language?: 'zh-CN' | 'en-US';
  /**
   * What was observed when the call was recorded live (outcome, queue, waits, config version).
   * A replay decides the call again; only `answered` counts, with a queue-behaviour model:
   * false on a call no line retries means the caller did not call again (no retry generated).
   */
  observed?: {
    segment?: string;
    outcome?: 'selfServed' | 'handoff' | 'hangup';
    queue?: string;
    priority?: number;
    waitSec?: number;
    answered?: boolean;
    configVersion?: string;
    [k: string]: unknown;
  };
}
