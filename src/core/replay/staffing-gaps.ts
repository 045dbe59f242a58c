/**
 * Calls that reach a queue while no agent with its skill is on shift: a staffing file (or a
 * --staff what-if) that leaves a queue empty at some hour answers them late or never, and a
 * replay says so instead of only showing a poor service level.
 */

import { daySchedule } from '../staffing/shift-schedule.js';
import { MINUTES_PER_DAY, type Staffing } from '../staffing/staffing.js';
import { clockLabel } from './clock-label.js';

/** One stretch of reporting intervals in which calls reached a queue that had no agent on shift. */
export interface StaffingWarning {
  queue: string;
  /** Start of the first such interval, simulated seconds since midnight of day 0. */
  fromSec: number;
  /** End of the last such interval. */
  toSec: number;
  message: string;
}

const DAY_SEC = 86_400;

export class StaffingGaps {
  /** Per queue, per minute of the day: whether any agent with its skill is on shift. */
  private readonly staffed = new Map<string, Uint8Array>();
  /** Per queue: interval → calls that reached it unstaffed. */
  private readonly unstaffed = new Map<string, Map<number, number>>();
  private readonly neverStaffed = new Set<string>();
  private lastQueue: string | undefined;
  private lastTable: Uint8Array | undefined;

  constructor(
    private readonly staffing: Staffing,
    private readonly intervalSec: number,
  ) {
    for (const q of staffing.queues) this.staffed.set(q.id, new Uint8Array(MINUTES_PER_DAY));
    for (const group of staffing.groups) {
      const minutes = onShiftMinutes(daySchedule(group));
      for (const queue of Object.keys(group.skills)) {
        const table = this.staffed.get(queue);
        if (table) for (let m = 0; m < MINUTES_PER_DAY; m++) table[m] ||= minutes[m]!;
      }
    }
    for (const [queue, table] of this.staffed) if (!table.includes(1)) this.neverStaffed.add(queue);
  }

  /** A call joins `queue` at `queuedSec` (the replay's clock). */
  note(queue: string, queuedSec: number): void {
    // Calls name the same few queues over and over: the last one's table saves a lookup per call.
    let table = this.lastTable;
    if (queue !== this.lastQueue) {
      table = this.lastTable = this.staffed.get(queue);
      this.lastQueue = queue;
    }
    if (table === undefined) return;
    const secOfDay = ((queuedSec % DAY_SEC) + DAY_SEC) % DAY_SEC;
    if (table[Math.floor(secOfDay / 60)] === 1) return;
    let byInterval = this.unstaffed.get(queue);
    if (!byInterval) this.unstaffed.set(queue, (byInterval = new Map()));
    const interval = Math.floor(queuedSec / this.intervalSec);
    byInterval.set(interval, (byInterval.get(interval) ?? 0) + 1);
  }

  /** One warning per run of consecutive intervals, queues in the staffing file's order. */
  warnings(): StaffingWarning[] {
    const out: StaffingWarning[] = [];
    for (const { id: queue } of this.staffing.queues) {
      const byInterval = this.unstaffed.get(queue);
      if (!byInterval) continue;
      const intervals = [...byInterval.keys()].sort((a, b) => a - b);
      let first = intervals[0]!;
      let calls = 0;
      intervals.forEach((interval, i) => {
        calls += byInterval.get(interval)!;
        const next = intervals[i + 1];
        if (next === interval + 1) return;
        out.push(this.warning(queue, first * this.intervalSec, (interval + 1) * this.intervalSec, calls));
        if (next !== undefined) first = next;
        calls = 0;
      });
    }
    return out;
  }

  private warning(queue: string, fromSec: number, toSec: number, calls: number): StaffingWarning {
    const why = this.neverStaffed.has(queue) ? 'the staffing has no agent with its skill at any time' : 'no agent with its skill was on shift';
    return {
      queue,
      fromSec,
      toSec,
      message: `${calls} call${calls === 1 ? '' : 's'} reached queue ${queue} between ${clockLabel(fromSec)} and ${clockLabel(toSec)} while ${why}`,
    };
  }
}

function onShiftMinutes(schedule: ReturnType<typeof daySchedule>): Uint8Array {
  const minutes = new Uint8Array(MINUTES_PER_DAY);
  schedule.forEach((point, i) => {
    const end = schedule[i + 1]?.minute ?? MINUTES_PER_DAY;
    if (point.agents > 0) minutes.fill(1, point.minute, end);
  });
  return minutes;
}
