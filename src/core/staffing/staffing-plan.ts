/**
 * From a forecast to a staffing file: per queue and per interval, the fewest agents whose
 * Erlang service level meets the target (Erlang A when the callers' mean patience is known,
 * Erlang C otherwise), turned into one dedicated group per queue with a shift for every run
 * of intervals needing the same head count. A starting point for planners, who then merge
 * groups into multi-skilled desks and check the result in the simulator.
 */

import { agentsForServiceLevelErlangA, erlangA } from './erlang-a.js';
import { agentsForServiceLevel, erlangC } from './erlang-c.js';
import { MINUTES_PER_DAY, type AgentGroupSpec, type ServiceLevelGoal, type ShiftSpec, type Staffing } from './staffing.js';

export interface QueueForecast {
  queue: string;
  name?: string;
  /** Offered calls per interval of the day, from midnight: 1440 / intervalMin numbers. */
  arrivals: number[];
  /** Mean handle time in seconds, talk plus after-call work. */
  ahtSec: number;
  /** After-call work written into the group for the simulator; part of ahtSec, not added to it. */
  wrapSec?: number;
  /** Mean patience of waiting callers in seconds; when given, Erlang A is used. */
  patienceSec?: number;
}

export interface StaffingPlanInput {
  serviceLevel: ServiceLevelGoal;
  intervalMin: number;
  defaultWrapSec?: number;
  queues: QueueForecast[];
  /** Fewest agents per queue at any time, e.g. 1 to keep every line open at night. Default 0. */
  minAgents?: number;
  /**
   * Plan to the target over all calls instead of in every interval of every queue: see
   * {@link trimToOverallTarget}. The lowest service level any queue's interval may be left at.
   * Unset (the default): every interval of every queue meets the target.
   */
  overallFloor?: number;
}

export interface PlannedInterval {
  queue: string;
  interval: number;
  /** "HH:MM" */
  from: string;
  to: string;
  callsPerHour: number;
  agents: number;
  trafficErlangs: number;
  serviceLevel: number;
  asaSec: number;
  occupancy: number;
  /** Only with a patience (Erlang A). */
  pAbandon?: number;
}

export interface StaffingPlan {
  staffing: Staffing;
  intervals: PlannedInterval[];
}

export function planStaffing(input: StaffingPlanInput): StaffingPlan {
  const { serviceLevel, intervalMin } = input;
  const minAgents = input.minAgents ?? 0;
  if (!(Number.isInteger(intervalMin) && intervalMin > 0 && MINUTES_PER_DAY % intervalMin === 0)) {
    throw new RangeError(`intervalMin must be a whole number of minutes dividing the day, got ${intervalMin}`);
  }
  if (!(Number.isInteger(minAgents) && minAgents >= 0)) throw new RangeError(`minAgents must be an integer >= 0, got ${minAgents}`);
  const perDay = MINUTES_PER_DAY / intervalMin;
  const intervals: PlannedInterval[] = [];
  const groups: AgentGroupSpec[] = [];

  for (const forecast of input.queues) {
    if (forecast.arrivals.length !== perDay) {
      throw new RangeError(
        `queue ${forecast.queue}: expected ${perDay} interval arrival counts for ${intervalMin}-minute intervals, got ${forecast.arrivals.length}`,
      );
    }
    forecast.arrivals.forEach((arrivals, interval) => {
      const callsPerHour = (arrivals * 60) / intervalMin;
      intervals.push({
        queue: forecast.queue,
        interval,
        from: clock(interval * intervalMin),
        to: clock((interval + 1) * intervalMin),
        callsPerHour,
        ...planInterval(forecast, callsPerHour, serviceLevel, minAgents),
      });
    });
  }
  if (input.overallFloor !== undefined) trimToOverallTarget(input.queues, intervals, serviceLevel, input.overallFloor, minAgents);

  for (const forecast of input.queues) {
    const agentsPerInterval = intervals.filter((i) => i.queue === forecast.queue).map((i) => i.agents);
    const group: AgentGroupSpec = { id: `${forecast.queue}-team`, skills: { [forecast.queue]: 1 } };
    if (forecast.name !== undefined) group.name = `${forecast.name} team`;
    if (forecast.wrapSec !== undefined) group.wrapSec = forecast.wrapSec;
    const shifts = toShifts(agentsPerInterval, intervalMin);
    if (shifts.length === 1 && shifts[0]!.from === '00:00' && shifts[0]!.to === '24:00') group.agents = shifts[0]!.agents;
    else if (shifts.length === 0) group.agents = 0;
    else group.shifts = shifts;
    groups.push(group);
  }

  return {
    staffing: {
      serviceLevel,
      intervalMin,
      defaultWrapSec: input.defaultWrapSec ?? 0,
      queues: input.queues.map((q) => (q.name === undefined ? { id: q.queue } : { id: q.queue, name: q.name })),
      groups,
    },
    intervals,
  };
}

/**
 * Every interval of every queue staffed to the target lands above it over all calls: whole
 * agents round each one up, most by several points on small queues. This takes agents off
 * again, one at a time where that loses the fewest calls answered within the threshold, while
 * the call-weighted service level of the whole plan stays at the target and no interval with
 * calls falls below `floor` (nor below `minAgents`). The rows are updated in place.
 */
export function trimToOverallTarget(
  forecasts: readonly QueueForecast[],
  intervals: PlannedInterval[],
  goal: ServiceLevelGoal,
  floor: number,
  minAgents = 0,
): void {
  if (!(floor >= 0 && floor <= goal.target)) throw new RangeError(`overallFloor must lie between 0 and the target ${goal.target}, got ${floor}`);
  const byQueue = new Map(forecasts.map((f) => [f.queue, f]));
  const busy = intervals.filter((i) => i.callsPerHour > 0);
  const offered = busy.reduce((sum, i) => sum + i.callsPerHour, 0);
  if (offered === 0) return;
  let inTime = busy.reduce((sum, i) => sum + i.callsPerHour * i.serviceLevel, 0);
  const floorRows = new Set<PlannedInterval>();
  for (;;) {
    let best: { row: PlannedInterval; fewer: ReturnType<typeof planInterval>; lost: number } | undefined;
    for (const row of busy) {
      if (row.agents <= Math.max(minAgents, 1) || floorRows.has(row)) continue;
      const fewer = staffedInterval(byQueue.get(row.queue)!, row.callsPerHour, goal.thresholdSec, row.agents - 1);
      if (fewer.serviceLevel < floor) {
        floorRows.add(row);
        continue;
      }
      const lost = row.callsPerHour * (row.serviceLevel - fewer.serviceLevel);
      if (!best || lost < best.lost) best = { row, fewer, lost };
    }
    if (!best || (inTime - best.lost) / offered < goal.target) return;
    inTime -= best.lost;
    Object.assign(best.row, best.fewer);
  }
}

/** An interval's Erlang figures with a given head count (Erlang A when the patience is known). */
function staffedInterval(forecast: QueueForecast, callsPerHour: number, thresholdSec: number, agents: number): ReturnType<typeof planInterval> {
  const { ahtSec, patienceSec } = forecast;
  if (patienceSec !== undefined) {
    const { trafficErlangs, serviceLevel, asaSec, occupancy, pAbandon } = erlangA({ callsPerHour, ahtSec, agents, thresholdSec, patienceSec });
    return { agents, trafficErlangs, serviceLevel, asaSec, occupancy, pAbandon };
  }
  const { trafficErlangs, serviceLevel, asaSec, occupancy } = erlangC({ callsPerHour, ahtSec, agents, thresholdSec });
  return { agents, trafficErlangs, serviceLevel, asaSec, occupancy };
}

function planInterval(
  forecast: QueueForecast,
  callsPerHour: number,
  goal: ServiceLevelGoal,
  minAgents: number,
): Omit<PlannedInterval, 'queue' | 'interval' | 'from' | 'to' | 'callsPerHour'> {
  const { ahtSec, patienceSec } = forecast;
  const thresholdSec = goal.thresholdSec;
  // A target of 100% is never met by random arrivals; plan for just under it.
  const target = Math.min(goal.target, 0.9999);
  if (patienceSec !== undefined) {
    let result = agentsForServiceLevelErlangA(callsPerHour, ahtSec, patienceSec, target, thresholdSec);
    if (result.agents < minAgents) result = erlangA({ callsPerHour, ahtSec, agents: minAgents, thresholdSec, patienceSec });
    const { agents, trafficErlangs, serviceLevel, asaSec, occupancy, pAbandon } = result;
    return { agents, trafficErlangs, serviceLevel, asaSec, occupancy, pAbandon };
  }
  let result = agentsForServiceLevel(callsPerHour, ahtSec, target, thresholdSec);
  if (result.agents < minAgents) result = erlangC({ callsPerHour, ahtSec, agents: minAgents, thresholdSec });
  const { agents, trafficErlangs, serviceLevel, asaSec, occupancy } = result;
  return { agents, trafficErlangs, serviceLevel, asaSec, occupancy };
}

/** Runs of equal head count become shifts; unstaffed runs are left out. */
function toShifts(agentsPerInterval: number[], intervalMin: number): ShiftSpec[] {
  const shifts: ShiftSpec[] = [];
  let start = 0;
  for (let i = 1; i <= agentsPerInterval.length; i++) {
    if (i < agentsPerInterval.length && agentsPerInterval[i] === agentsPerInterval[start]) continue;
    const agents = agentsPerInterval[start]!;
    if (agents > 0) shifts.push({ from: clock(start * intervalMin), to: clock(i * intervalMin), agents });
    start = i;
  }
  return shifts;
}

function clock(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}
