/**
 * The discrete-event contact centre: agent queues, agent groups with skills and shifts, and
 * a virtual clock. Calls stream in (in arrival order) from the IVR side; each call's outcome
 * is reported through `onOutcome` as soon as it is known, and nothing per call is kept once
 * the call is over, so memory stays bounded by the calls in progress plus one slot per
 * reporting interval.
 *
 * Rules of the floor:
 * - Within a queue, higher call priority first, then the earlier queue entry (an overflowed
 *   call keeps its original entry time in every queue: the caller has waited that long).
 * - A free agent takes the best waiting call among its skills: lowest skill-priority number
 *   first, then call priority, then entry time. When several agents are free for a call,
 *   the one for whom its queue is the better skill takes it, then the longest idle.
 * - Overflow steps offer a waiting call to a further queue; it stays in its earlier queues and
 *   the first agent from any of them takes it.
 * - Everything that happens at one instant happens before agents choose, so a VIP call and
 *   a free agent arriving in the same second meet even if a standard call also arrived then.
 *   A caller is still answered if an agent frees up at the very moment patience runs out.
 * - Agents whose shift ends finish their current call (talk and after-call work) first.
 * - A caller who hangs up may call again (`onAbandon`): the new call joins the queues later,
 *   as if offered then.
 */

import { agentsAt, daySchedule, everStaffed } from '../staffing/shift-schedule.js';
import type { Staffing } from '../staffing/staffing.js';
import { AgentPool } from './agent-pool.js';
import type { CallOutcome } from './call-outcome.js';
import { IndexedHeap } from './indexed-heap.js';
import { IntervalIntegral } from './interval-integral.js';
import { forEachInterval, type GroupIntervalStats, type QueueIntervalStats } from './interval-stats.js';
import type { OfferedCall } from './offered-call.js';
import { checkOfferedCall } from './offered-call-check.js';
import { SimulationError } from './simulation-error.js';
import {
  ABANDON,
  OVERFLOW,
  QUEUE_ENTRY,
  SHIFT_CHANGE,
  TALK_END,
  WRAP_END,
  entryBefore,
  eventBefore,
  type CallState,
  type EventKind,
  type QueueEntry,
  type QueueState,
  type SimEvent,
} from './simulation-state.js';

export type { GroupIntervalStats, QueueIntervalStats } from './interval-stats.js';

export interface ContactCentreOptions {
  /** Receives each call's outcome, once, when it is known, with the call as it was offered. */
  onOutcome: (outcome: CallOutcome, call: OfferedCall) => void;
  /**
   * Asked when a caller hangs up in the queue, after its outcome: the call the same caller makes
   * again (arriving no earlier than now, with a seq of its own), or undefined for none.
   */
  onAbandon?: (call: OfferedCall, atSec: number) => OfferedCall | undefined;
  /** Reporting interval; defaults to the staffing file's intervalMin. */
  intervalSec?: number;
  /**
   * When the clock starts (seconds since midnight of day 0). Defaults to the start of the
   * reporting interval holding the first call's arrival, so reports do not open with empty
   * hours before the trace begins.
   */
  startSec?: number;
}

const DAY_SEC = 86_400;

export class ContactCentre {
  private readonly intervalSec: number;
  private readonly onOutcome: ContactCentreOptions['onOutcome'];
  private readonly onAbandon: ContactCentreOptions['onAbandon'];
  private readonly events = new IndexedHeap<SimEvent>(eventBefore);
  private readonly queueById = new Map<string, QueueState>();
  private readonly queues: QueueState[] = [];
  private pools: AgentPool[] = [];
  /** Skills per pool, best first. */
  private skills: Array<Array<{ queue: QueueState; skillPriority: number }>> = [];
  /** Calls offered and not yet settled, in no particular order (each knows its index). */
  private readonly active: CallState[] = [];
  // Records of settled calls and handled events, reused for the next ones: a million calls then
  // allocate a few hundred of each instead of a million, and the garbage collector has less to do.
  private readonly spareEvents: SimEvent[] = [];
  private readonly spareStates: CallState[] = [];
  private readonly spareEntries: QueueEntry[] = [];
  private readonly queueIds: ReadonlySet<string>;
  private startSec: number | undefined;
  private clock = 0;
  /** Everything before this time has been simulated; no call may be queued earlier. */
  private horizon = -Infinity;
  private lastSeq = -1;
  private lastArrival = -Infinity;
  private eventCount = 0;
  private finished = false;
  /** The route of the last call offered, checked then. */
  private checkedRoute: OfferedCall['route'] | undefined;

  constructor(
    private readonly staffing: Staffing,
    options: ContactCentreOptions,
  ) {
    this.onOutcome = options.onOutcome;
    this.onAbandon = options.onAbandon;
    this.queueIds = new Set(staffing.queues.map((q) => q.id));
    this.intervalSec = options.intervalSec ?? staffing.intervalMin * 60;
    if (!(this.intervalSec > 0)) throw new RangeError(`interval must be > 0 seconds, got ${this.intervalSec}`);
    if (options.startSec !== undefined) this.start(options.startSec);
  }

  /** Current simulated time: that of the last event handled. */
  get now(): number {
    return this.clock;
  }

  /** Calls offered whose outcome is not yet final, or whose agent is still busy with them. */
  get callsInProgress(): number {
    return this.active.length + this.busyAgents();
  }

  /** Events scheduled and not yet handled; stays bounded by the calls in progress and the groups. */
  get pendingEvents(): number {
    return this.events.size;
  }

  /**
   * Adds the next call in arrival order. Everything before its arrival is simulated first;
   * the call itself joins the queues at its queuedSec, which may be after later arrivals.
   */
  offer(call: OfferedCall): void {
    if (this.finished) throw new SimulationError('FINISHED', 'no calls can be offered after finish()', call.callId);
    checkOfferedCall(call, this.queueIds, this.checkedRoute);
    this.checkedRoute = call.route;
    this.checkOrder(call);
    if (this.startSec === undefined) this.start(Math.floor(call.arrivalSec / this.intervalSec) * this.intervalSec);
    this.advanceTo(call.arrivalSec);
    this.lastSeq = call.seq;
    this.lastArrival = call.arrivalSec;
    this.admit(call);
  }

  /** A call joins the floor: it enters the queues at its queuedSec. */
  private admit(call: OfferedCall): void {
    const lastQueue = this.queueById.get(call.route.queue)!;
    let state = this.spareStates.pop();
    if (state === undefined) {
      state = { call, entries: [], timers: [], lastQueue, overflowed: false, overflowQueue: undefined, waiting: false, activeIndex: -1 };
    } else {
      state.call = call;
      state.lastQueue = lastQueue;
      state.overflowed = false;
      state.overflowQueue = undefined;
      state.waiting = false;
    }
    state.activeIndex = this.active.length;
    this.active.push(state);
    this.schedule(call.queuedSec, QUEUE_ENTRY, call.seq, state, undefined, undefined, undefined);
  }

  /** The call is settled: out of the active list (before its outcome goes out, so listeners see it gone). */
  private deactivate(state: CallState): void {
    const last = this.active.pop()!;
    if (last !== state) {
      this.active[state.activeIndex] = last;
      last.activeIndex = state.activeIndex;
    }
    state.activeIndex = -1;
  }

  /**
   * Simulates every event strictly before `t`. Events at `t` itself wait, because a call
   * still to be offered may join the queues at exactly `t` and must be considered with them.
   */
  advanceTo(t: number): void {
    if (t <= this.horizon) return;
    this.horizon = t;
    if (this.startSec === undefined) return;
    // The common case, once per offered call: a loop of its own rather than a closure per call.
    for (let next = this.events.peek(); next !== undefined && next.time < t; next = this.events.peek()) this.handleInstant(next.time);
  }

  /** Simulates until every offered call is over: answered and wrapped up, abandoned, or stranded. */
  finish(): void {
    this.finished = true;
    this.horizon = Infinity;
    if (this.startSec === undefined) return;
    this.run((next) => {
      if (this.callsInProgress === 0) return false;
      if (next.kind === SHIFT_CHANGE && this.busyAgents() === 0 && this.allStranded()) {
        this.endStranded();
        return false;
      }
      return true;
    });
    if (this.active.length > 0 && this.allStranded()) this.endStranded();
    this.flushSeries();
  }

  /**
   * Queue length per queue per interval, from the start of the clock to now, or to `untilSec`:
   * a time not yet reached but already simulated (`advanceTo(t)` with t ≥ untilSec), such as
   * the end of a trace before `finish()` drains the calls still in progress.
   */
  queueSeries(untilSec?: number): QueueIntervalStats[] {
    const end = this.seriesEnd(untilSec);
    const rows: QueueIntervalStats[] = [];
    for (const queue of this.queues) {
      this.eachInterval(end, (slot, interval, startSec, coveredSec) => {
        const { area, max } = queue.length.slot(slot);
        rows.push({ queue: queue.id, interval, startSec, coveredSec, avgWaiting: coveredSec > 0 ? area / coveredSec : 0, maxWaiting: max });
      });
    }
    return rows;
  }

  /** Staffed and busy agent time per group per interval, from the start of the clock to now or to `untilSec` (as queueSeries). */
  groupSeries(untilSec?: number): GroupIntervalStats[] {
    const end = this.seriesEnd(untilSec);
    const rows: GroupIntervalStats[] = [];
    for (const pool of this.pools) {
      this.eachInterval(end, (slot, interval, startSec, coveredSec) => {
        const staffed = pool.staffed.slot(slot);
        const busy = pool.busy.slot(slot);
        rows.push({
          group: pool.id,
          interval,
          startSec,
          coveredSec,
          staffedAgentSec: staffed.area,
          busyAgentSec: busy.area,
          avgStaffed: coveredSec > 0 ? staffed.area / coveredSec : 0,
          maxStaffed: staffed.max,
          occupancy: staffed.area > 0 ? busy.area / staffed.area : null,
        });
      });
    }
    return rows;
  }

  // --- set-up --------------------------------------------------------------------------

  private start(startSec: number): void {
    this.startSec = startSec;
    this.clock = startSec;
    for (const [index, spec] of this.staffing.queues.entries()) {
      const queue: QueueState = {
        id: spec.id,
        index,
        waiting: new IndexedHeap(entryBefore),
        length: new IntervalIntegral(this.intervalSec, startSec),
        everStaffed: false,
      };
      this.queues.push(queue);
      this.queueById.set(spec.id, queue);
    }
    this.pools = this.staffing.groups.map(
      (spec, index) =>
        new AgentPool(spec, index, spec.wrapSec ?? this.staffing.defaultWrapSec, daySchedule(spec), this.intervalSec, startSec),
    );
    this.skills = this.pools.map((pool) =>
      Object.entries(pool.spec.skills)
        .map(([queueId, skillPriority]) => ({ queue: this.queueById.get(queueId)!, skillPriority }))
        .filter((s) => s.queue !== undefined)
        .sort((a, b) => a.skillPriority - b.skillPriority || a.queue.index - b.queue.index),
    );
    for (const [i, pool] of this.pools.entries()) {
      if (everStaffed(pool.schedule)) for (const { queue } of this.skills[i]!) queue.everStaffed = true;
      pool.staff(startSec, agentsAt(pool.schedule, secondOfDay(startSec) / 60));
      this.scheduleShiftChange(pool);
    }
  }

  /** Calls must come in arrival order, and not before time already simulated. */
  private checkOrder(call: OfferedCall): void {
    // One test on the way of every call; the wording of a failure is kept out of it, so that
    // this stays small enough to be inlined.
    const at = call.arrivalSec;
    if (call.seq > this.lastSeq && at >= this.lastArrival && at >= this.horizon && !(this.startSec !== undefined && at < this.startSec)) return;
    this.outOfOrder(call);
  }

  private outOfOrder(call: OfferedCall): never {
    if (call.seq <= this.lastSeq) {
      throw new SimulationError('OUT_OF_ORDER', `seq ${call.seq} does not follow seq ${this.lastSeq}`, call.callId);
    }
    if (call.arrivalSec < this.lastArrival || call.arrivalSec < this.horizon) {
      throw new SimulationError(
        'OUT_OF_ORDER',
        `arrives at ${call.arrivalSec}s, before time already simulated (${Math.max(this.lastArrival, this.horizon)}s); offer calls in arrival order`,
        call.callId,
      );
    }
    if (this.startSec !== undefined && call.arrivalSec < this.startSec) {
      throw new SimulationError('OUT_OF_ORDER', `arrives at ${call.arrivalSec}s, before the clock starts (${this.startSec}s)`, call.callId);
    }
    throw new SimulationError('OUT_OF_ORDER', `arrives at ${call.arrivalSec}s, out of order`, call.callId);
  }

  // --- the event loop --------------------------------------------------------------------

  private run(proceed: (next: SimEvent) => boolean): void {
    for (;;) {
      const next = this.events.peek();
      if (next === undefined || !proceed(next)) return;
      this.handleInstant(next.time);
    }
  }

  /** Handles every event at `t` (the earliest scheduled), then lets agents choose. */
  private handleInstant(t: number): void {
    this.clock = t;
    let changed = false;
    for (let event = this.events.peek(); event !== undefined && event.time === t; event = this.events.peek()) {
      if (event.kind === ABANDON && changed) {
        // Agents free at this instant answer before anyone's patience runs out.
        this.dispatch();
        changed = false;
        continue;
      }
      this.events.pop();
      const kind = event.kind;
      this.handle(event);
      if (kind !== ABANDON) changed = true;
      // Overflow and abandonment events are the call's timers: leaveQueues hands them back.
      if (kind !== ABANDON && kind !== OVERFLOW) this.spareEvents.push(event);
    }
    this.dispatch();
  }

  private handle(event: SimEvent): void {
    switch (event.kind) {
      case TALK_END:
        if (event.wrapSec! > 0) this.schedule(this.clock + event.wrapSec!, WRAP_END, event.seq, undefined, event.pool!, undefined, undefined);
        else event.pool!.release(this.clock);
        return;
      case WRAP_END:
        event.pool!.release(this.clock);
        return;
      case SHIFT_CHANGE: {
        const pool = event.pool!;
        pool.staff(this.clock, agentsAt(pool.schedule, secondOfDay(this.clock) / 60));
        this.scheduleShiftChange(pool);
        return;
      }
      case QUEUE_ENTRY:
        this.enterQueue(event.call!);
        return;
      case OVERFLOW:
        this.overflow(event.call!, event.step!);
        return;
      case ABANDON:
        this.abandon(event.call!);
        return;
    }
  }

  private enterQueue(state: CallState): void {
    const { call } = state;
    state.waiting = true;
    this.join(state, state.lastQueue, call.route.priority);
    const overflow = call.route.overflow;
    for (let i = 0; i < overflow.length; i++) {
      state.timers.push(this.schedule(call.queuedSec + overflow[i]!.afterSec, OVERFLOW, call.seq, state, undefined, undefined, i));
    }
    if (call.patienceSec !== undefined && Number.isFinite(call.patienceSec)) {
      state.timers.push(this.schedule(call.queuedSec + call.patienceSec, ABANDON, call.seq, state, undefined, undefined, undefined));
    }
  }

  private overflow(state: CallState, stepIndex: number): void {
    const step = state.call.route.overflow[stepIndex]!;
    const queue = this.queueById.get(step.queue)!;
    const priority = step.priority ?? state.call.route.priority;
    state.overflowed = true;
    state.overflowQueue = queue.id;
    state.lastQueue = queue;
    const existing = state.entries.find((e) => e.queue === queue);
    if (existing === undefined) {
      this.join(state, queue, priority);
    } else if (priority > existing.priority) {
      // Offered again to a queue it is already in, more urgently: move it up.
      queue.waiting.remove(existing);
      existing.priority = priority;
      queue.waiting.push(existing);
    }
  }

  private join(state: CallState, queue: QueueState, priority: number): void {
    let entry = this.spareEntries.pop();
    if (entry === undefined) {
      entry = { heapIndex: -1, call: state, queue, priority };
    } else {
      entry.call = state;
      entry.queue = queue;
      entry.priority = priority;
    }
    state.entries.push(entry);
    queue.waiting.push(entry);
    queue.length.set(this.clock, queue.waiting.size);
  }

  private abandon(state: CallState): void {
    const call = state.call;
    this.leaveQueues(state);
    this.emit(state, false, true, this.clock - call.queuedSec, undefined, 0, 0, undefined);
    this.spareStates.push(state); // its outcome is out: the record serves the next call
    const again = this.onAbandon?.(call, this.clock);
    if (again === undefined) return;
    checkOfferedCall(again, this.queueIds);
    if (!(again.arrivalSec >= this.clock)) {
      throw new SimulationError('OUT_OF_ORDER', `calls again at ${again.arrivalSec}s, before hanging up at ${this.clock}s`, again.callId);
    }
    this.admit(again);
  }

  // --- agents choosing calls -------------------------------------------------------------

  /** Pairs free agents with waiting calls until no free agent can take any waiting call. */
  private dispatch(): void {
    for (;;) {
      let bestPool: AgentPool | undefined;
      let bestEntry: QueueEntry | undefined;
      let bestSkill = Infinity;
      for (const pool of this.pools) {
        if (pool.idleCount === 0) continue;
        for (const { queue, skillPriority } of this.skills[pool.index]!) {
          if (skillPriority > bestSkill) break;
          const head = queue.waiting.peek();
          if (head === undefined) continue;
          if (bestEntry === undefined || this.better(skillPriority, head, pool, bestSkill, bestEntry, bestPool!)) {
            bestPool = pool;
            bestEntry = head;
            bestSkill = skillPriority;
          }
        }
      }
      if (bestEntry === undefined) return;
      this.answer(bestEntry.call, bestPool!, bestEntry.queue);
    }
  }

  private better(skill: number, entry: QueueEntry, pool: AgentPool, bestSkill: number, best: QueueEntry, bestPool: AgentPool): boolean {
    if (skill !== bestSkill) return skill < bestSkill;
    if (entry.call !== best.call) return entryBefore(entry, best);
    if (pool.longestIdleSince !== bestPool.longestIdleSince) return pool.longestIdleSince < bestPool.longestIdleSince;
    return pool.index < bestPool.index;
  }

  private answer(state: CallState, pool: AgentPool, queue: QueueState): void {
    const { call } = state;
    this.leaveQueues(state);
    state.lastQueue = queue;
    pool.seize(this.clock);
    const wrapSec = call.wrapSec ?? pool.wrapSec;
    this.schedule(this.clock + call.talkSec, TALK_END, call.seq, undefined, pool, wrapSec, undefined);
    this.emit(state, true, false, this.clock - call.queuedSec, this.clock, call.talkSec, wrapSec, pool.id);
    this.spareStates.push(state); // its outcome is out: the record serves the next call
  }

  /** Takes the call out of every queue and cancels its timers; their records are kept for reuse. */
  private leaveQueues(state: CallState): void {
    const entries = state.entries;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      entry.queue.waiting.remove(entry);
      entry.queue.length.set(this.clock, entry.queue.waiting.size);
      this.spareEntries.push(entry);
    }
    while (entries.length > 0) entries.pop(); // cheaper than setting the length
    const timers = state.timers;
    for (let i = 0; i < timers.length; i++) {
      const timer = timers[i]!;
      // A timer already handled (popped) is no longer in the heap; either way nothing else holds it.
      this.events.remove(timer);
      timer.call = undefined;
      this.spareEvents.push(timer);
    }
    while (timers.length > 0) timers.pop();
    state.waiting = false;
  }

  private emit(
    state: CallState,
    answered: boolean,
    abandoned: boolean,
    waitSec: number,
    answeredSec: number | undefined,
    talkSec: number,
    wrapSec: number,
    agentGroup: string | undefined,
  ): void {
    this.deactivate(state);
    const { call } = state;
    const outcome: CallOutcome = {
      seq: call.seq,
      callId: call.callId,
      segment: call.segment,
      queue: state.lastQueue.id,
      entryQueue: call.route.queue,
      answered,
      abandoned,
      waitSec,
      arrivalSec: call.arrivalSec,
      queuedSec: call.queuedSec,
      talkSec,
      wrapSec,
      overflowed: state.overflowed,
    };
    if (answeredSec !== undefined) outcome.answeredSec = answeredSec;
    if (agentGroup !== undefined) outcome.agentGroup = agentGroup;
    if (state.overflowQueue !== undefined) outcome.overflowQueue = state.overflowQueue;
    this.onOutcome(outcome, call);
  }

  // --- draining --------------------------------------------------------------------------

  /** True when every call left is waiting where no agent will ever log in, with nothing else due. */
  private allStranded(): boolean {
    for (const state of this.active) {
      if (!state.waiting || state.timers.some((timer) => timer.heapIndex >= 0)) return false;
      if (state.entries.some((e) => e.queue.everStaffed)) return false;
    }
    return true;
  }

  private endStranded(): void {
    for (const state of [...this.active].sort((a, b) => a.call.seq - b.call.seq)) {
      this.leaveQueues(state);
      this.emit(state, false, false, this.clock - state.call.queuedSec, undefined, 0, 0, undefined);
      this.spareStates.push(state); // its outcome is out: the record serves the next call
    }
  }

  // --- bookkeeping -----------------------------------------------------------------------

  private schedule(
    time: number,
    kind: EventKind,
    seq: number,
    call: CallState | undefined,
    pool: AgentPool | undefined,
    wrapSec: number | undefined,
    step: number | undefined,
  ): SimEvent {
    let event = this.spareEvents.pop();
    if (event === undefined) {
      // Every event gets the same fields in the same order: one object shape keeps the heap fast.
      event = { heapIndex: -1, time, kind, seq, order: this.eventCount++, call, pool, wrapSec, step };
    } else {
      event.time = time;
      event.kind = kind;
      event.seq = seq;
      event.order = this.eventCount++;
      event.call = call;
      event.pool = pool;
      event.wrapSec = wrapSec;
      event.step = step;
    }
    this.events.push(event);
    return event;
  }

  private scheduleShiftChange(pool: AgentPool): void {
    if (pool.schedule.length < 2) return;
    const dayStart = Math.floor(this.clock / DAY_SEC) * DAY_SEC;
    const within = this.clock - dayStart;
    const next = pool.schedule.find((p) => p.minute * 60 > within);
    const time = next === undefined ? dayStart + DAY_SEC : dayStart + next.minute * 60;
    this.schedule(time, SHIFT_CHANGE, pool.index, undefined, pool, undefined, undefined);
  }

  private busyAgents(): number {
    let busy = 0;
    for (const pool of this.pools) busy += pool.busyCount;
    return busy;
  }

  private eachInterval(endSec: number, visit: (slot: number, interval: number, startSec: number, coveredSec: number) => void): void {
    if (this.startSec !== undefined) forEachInterval(this.startSec, endSec, this.intervalSec, visit);
  }

  /** Accounts queue lengths and agent time up to `untilSec` (default now) and returns where the series end. */
  private seriesEnd(untilSec: number | undefined): number {
    const end = untilSec ?? this.clock;
    // Between the last event handled and the horizon nothing changes, so the series may be read up to there.
    if (end < this.clock || end > Math.max(this.clock, this.horizon)) {
      throw new RangeError(`series can be read up to ${Math.max(this.clock, this.horizon)} s (simulated so far), not ${end} s`);
    }
    this.flushSeries(end);
    return end;
  }

  private flushSeries(untilSec = this.clock): void {
    for (const queue of this.queues) queue.length.advance(untilSec);
    for (const pool of this.pools) {
      pool.staffed.advance(untilSec);
      pool.busy.advance(untilSec);
    }
  }

}

function secondOfDay(t: number): number {
  return ((t % DAY_SEC) + DAY_SEC) % DAY_SEC;
}
