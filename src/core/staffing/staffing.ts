/**
 * The staffing model: the shape of a checked staffing file (schemas/staffing.schema.json),
 * with defaults filled in. The simulator and the planner work on this; the loader produces it.
 */

export interface ServiceLevelGoal {
  /** Share of offered calls to answer within the threshold (0.8 = 80%). */
  target: number;
  /** Longest wait, in seconds, that still counts as answered in time. */
  thresholdSec: number;
}

export interface QueueSpec {
  id: string;
  name?: string;
}

export interface ShiftSpec {
  /** Start, "HH:MM". */
  from: string;
  /** End (exclusive), "HH:MM" or "24:00"; earlier than `from` means the shift runs past midnight. */
  to: string;
  agents: number;
}

export interface AgentGroupSpec {
  id: string;
  name?: string;
  /** Queue id → skill priority; 1 is primary. */
  skills: Record<string, number>;
  /** After-call work in seconds; defaults to the file's defaultWrapSec. */
  wrapSec?: number;
  /** Agents logged in all day. Exactly one of `agents` and `shifts` is set. */
  agents?: number;
  shifts?: ShiftSpec[];
}

export interface Staffing {
  serviceLevel: ServiceLevelGoal;
  intervalMin: number;
  defaultWrapSec: number;
  queues: QueueSpec[];
  groups: AgentGroupSpec[];
}

export const DEFAULT_INTERVAL_MIN = 30;
export const DEFAULT_WRAP_SEC = 0;
export const MINUTES_PER_DAY = 1440;
