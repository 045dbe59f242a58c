import type { KeyPress } from '../flows/key-presses.js';
import type { Language } from '../profile/customer-profile.js';
import type { TraceLine } from './trace-line.js';

/**
 * A trace line as the replay uses it: validated, keys parsed, and the arrival in seconds
 * (an `arrivalTime` becomes seconds after the trace's first arrival).
 */
export interface TraceCall
  extends Pick<TraceLine, 'callId' | 'caller' | 'profile' | 'talkSec' | 'wrapSec' | 'patienceSec' | 'hangupInIvrSec' | 'queue' | 'priority' | 'retryOf' | 'observed'> {
  /** Line of the file the call came from, for messages about it. */
  line: number;
  arrivalSec: number;
  /** Empty when the line has no keys: every input wait then takes the no-input path. */
  keys: KeyPress[];
  language?: Language;
}
