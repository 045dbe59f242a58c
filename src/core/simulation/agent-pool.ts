/**
 * The agents of one group. Agents in a group are identical, so they are counted rather than
 * tracked one by one: who is idle (and since when, so the longest-idle agent takes the next
 * call), how many are logged in, and how many must log off as soon as they finish a call
 * because their shift has ended.
 */

import type { SchedulePoint } from '../staffing/shift-schedule.js';
import type { AgentGroupSpec } from '../staffing/staffing.js';
import { IntervalIntegral } from './interval-integral.js';

export class AgentPool {
  /** Agents logged in, busy or idle, over time. */
  readonly staffed: IntervalIntegral;
  /** Agents talking or in after-call work, over time. */
  readonly busy: IntervalIntegral;
  /** When each idle agent became idle, oldest first. */
  private readonly idleSince: number[] = [];
  private loggedIn = 0;
  /** Busy agents whose shift is over: they log off when their current call is done. */
  private pendingLogoffs = 0;

  constructor(
    readonly spec: AgentGroupSpec,
    readonly index: number,
    readonly wrapSec: number,
    readonly schedule: readonly SchedulePoint[],
    intervalSec: number,
    startSec: number,
  ) {
    this.staffed = new IntervalIntegral(intervalSec, startSec);
    this.busy = new IntervalIntegral(intervalSec, startSec);
  }

  get id(): string {
    return this.spec.id;
  }

  get idleCount(): number {
    return this.idleSince.length;
  }

  get busyCount(): number {
    return this.loggedIn - this.idleSince.length;
  }

  /** When the longest-idle agent became idle; Infinity when nobody is idle. */
  get longestIdleSince(): number {
    return this.idleSince[0] ?? Infinity;
  }

  /** A shift change: bring the head count to `target`. Agents coming off a shift finish their call first. */
  staff(now: number, target: number): void {
    const staying = this.loggedIn - this.pendingLogoffs;
    if (target > staying) {
      let joining = target - staying;
      // Agents about to leave stay on instead of others logging in.
      const kept = Math.min(this.pendingLogoffs, joining);
      this.pendingLogoffs -= kept;
      joining -= kept;
      this.loggedIn += joining;
      for (let i = 0; i < joining; i++) this.idleSince.push(now);
    } else if (target < staying) {
      let leaving = staying - target;
      const idleLeaving = Math.min(this.idleSince.length, leaving);
      this.idleSince.length -= idleLeaving;
      this.loggedIn -= idleLeaving;
      leaving -= idleLeaving;
      this.pendingLogoffs += leaving;
    }
    this.record(now);
  }

  /** The longest-idle agent takes a call. */
  seize(now: number): void {
    if (this.idleSince.length === 0) throw new Error(`no idle agent in group ${this.id}`);
    this.idleSince.shift();
    this.record(now);
  }

  /** An agent finishes talk and after-call work. */
  release(now: number): void {
    if (this.pendingLogoffs > 0) {
      this.pendingLogoffs -= 1;
      this.loggedIn -= 1;
    } else {
      this.idleSince.push(now);
    }
    this.record(now);
  }

  private record(now: number): void {
    this.staffed.set(now, this.loggedIn);
    this.busy.set(now, this.busyCount);
  }
}
