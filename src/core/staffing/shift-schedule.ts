/**
 * Turns a group's shifts into the number of agents logged in at each minute of the day.
 * The simulator follows these change points; the loader uses the same segments to find
 * overlapping shifts, so what is checked is exactly what is simulated.
 */

import { MINUTES_PER_DAY, type AgentGroupSpec, type ShiftSpec } from './staffing.js';

/** From `minute` of the day (inclusive) until the next point, `agents` are logged in. */
export interface SchedulePoint {
  minute: number;
  agents: number;
}

/** Minutes since midnight for "HH:MM" (also "24:00"). */
export function parseTimeOfDay(text: string): number {
  const match = /^(\d\d):(\d\d)$/.exec(text);
  if (!match) throw new RangeError(`time of day must be HH:MM, got '${text}'`);
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  if (Number(match[2]) > 59 || minutes > MINUTES_PER_DAY) throw new RangeError(`no such time of day: '${text}'`);
  return minutes;
}

/** The half-open minute ranges a shift covers within one day; a shift past midnight gives two. */
export function shiftSegments(shift: ShiftSpec): Array<[start: number, end: number]> {
  const from = parseTimeOfDay(shift.from);
  const to = parseTimeOfDay(shift.to);
  if (to > from) return [[from, to]];
  const segments: Array<[number, number]> = [[from, MINUTES_PER_DAY]];
  if (to > 0) segments.push([0, to]);
  return segments;
}

/**
 * Change points of a group's head count over the day, starting at minute 0, with equal
 * neighbours merged. Assumes shifts do not overlap (the loader guarantees it).
 */
export function daySchedule(group: AgentGroupSpec): SchedulePoint[] {
  if (group.shifts === undefined) return [{ minute: 0, agents: group.agents ?? 0 }];
  const agentsAt = new Array<number>(MINUTES_PER_DAY + 1).fill(0);
  const boundaries = new Set<number>([0]);
  for (const shift of group.shifts) {
    for (const [start, end] of shiftSegments(shift)) {
      boundaries.add(start);
      if (end < MINUTES_PER_DAY) boundaries.add(end);
      for (let m = start; m < end; m++) agentsAt[m] = shift.agents;
    }
  }
  const points: SchedulePoint[] = [];
  for (const minute of [...boundaries].sort((a, b) => a - b)) {
    const agents = agentsAt[minute]!;
    if (points.length === 0 || points[points.length - 1]!.agents !== agents) points.push({ minute, agents });
  }
  return points;
}

/** Agents logged in at a minute of the day. */
export function agentsAt(schedule: readonly SchedulePoint[], minuteOfDay: number): number {
  let agents = schedule[0]!.agents;
  for (const point of schedule) {
    if (point.minute > minuteOfDay) break;
    agents = point.agents;
  }
  return agents;
}

/** Whether the group has agents at any time of day. */
export function everStaffed(schedule: readonly SchedulePoint[]): boolean {
  return schedule.some((p) => p.agents > 0);
}
