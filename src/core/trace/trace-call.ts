import type { KeyPress } from '../flows/call-walker.js';
import type { CustomerProfile, Language } from '../profile/customer-profile.js';
import type { TraceLine } from './trace-line.js';

/**
 * A trace line as the replay uses it: validated, keys parsed, and the arrival in seconds
 * (an `arrivalTime` becomes seconds after the trace's first arrival).
 */
export interface TraceCall {
  /** Line of the file the call came from, for messages about it. */
  line: number;
  callId: string;
  arrivalSec: number;
  caller?: string;
  profile?: CustomerProfile;
  /** Empty when the line has no keys: every input wait then takes the no-input path. */
  keys: KeyPress[];
  talkSec: number;
  wrapSec?: number;
  patienceSec?: number;
  hangupInIvrSec?: number;
  /** ACD-level record: straight to this queue, bypassing IVR and rules. */
  queue?: string;
  priority?: number;
  language?: Language;
  /** Passed through for reports that compare a replay with what was seen live. */
  observed?: TraceLine['observed'];
}
