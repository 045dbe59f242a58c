/**
 * The simulator's working records: scheduled events, and calls waiting in queues. Internal
 * to the simulation folder; callers see OfferedCall and CallOutcome only.
 */

import type { AgentPool } from './agent-pool.js';
import type { HeapItem, IndexedHeap } from './indexed-heap.js';
import type { IntervalIntegral } from './interval-integral.js';
import type { OfferedCall } from './offered-call.js';

// Event kinds, in the order they are handled when they fall at the same instant: agents
// free up and shifts change before calls arrive, and abandonments come last, after agents
// have had their chance to answer.
export const TALK_END = 0;
export const WRAP_END = 1;
export const SHIFT_CHANGE = 2;
export const QUEUE_ENTRY = 3;
export const OVERFLOW = 4;
export const ABANDON = 5;
export type EventKind = typeof TALK_END | typeof WRAP_END | typeof SHIFT_CHANGE | typeof QUEUE_ENTRY | typeof OVERFLOW | typeof ABANDON;

export interface SimEvent extends HeapItem {
  time: number;
  kind: EventKind;
  /** Call seq, or group index for shift changes. */
  seq: number;
  /** Insertion counter: the last tie-breaker, deterministic because insertion order is. */
  order: number;
  call: CallState | undefined;
  pool: AgentPool | undefined;
  wrapSec: number | undefined;
  /** Index of the overflow step. */
  step: number | undefined;
}

export interface QueueState {
  id: string;
  index: number;
  waiting: IndexedHeap<QueueEntry>;
  /** Calls waiting over time. */
  length: IntervalIntegral;
  /** Some group with this skill has agents at some time of day. */
  everStaffed: boolean;
}

/** A call's place in one queue; an overflowed call has one in each queue it was offered to. */
export interface QueueEntry extends HeapItem {
  call: CallState;
  queue: QueueState;
  priority: number;
}

export interface CallState {
  call: OfferedCall;
  entries: QueueEntry[];
  /** Overflow and abandonment events, removed from the heap when the call's fate is settled. */
  timers: SimEvent[];
  lastQueue: QueueState;
  overflowed: boolean;
  /** The queue the last overflow step offered the call to, if any. */
  overflowQueue: string | undefined;
  /** In the queues (as opposed to not yet there, or done). */
  waiting: boolean;
  /** Position in the contact centre's list of active calls, or -1 once settled. */
  activeIndex: number;
}

/** Earlier time first; at one instant, by kind, then call order, then scheduling order. */
export function eventBefore(a: SimEvent, b: SimEvent): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.kind !== b.kind) return a.kind < b.kind;
  if (a.seq !== b.seq) return a.seq < b.seq;
  return a.order < b.order;
}

/** Higher priority first; within a priority, the earlier queue entry, then arrival order. */
export function entryBefore(a: QueueEntry, b: QueueEntry): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.call.call.queuedSec !== b.call.call.queuedSec) return a.call.call.queuedSec < b.call.call.queuedSec;
  return a.call.call.seq < b.call.call.seq;
}
