import { describe, expect, it } from 'vitest';
import { agentsForServiceLevel } from '../../src/core/staffing/erlang-c.js';
import { checkStaffing } from '../../src/core/staffing/staffing-file.js';
import { planStaffing } from '../../src/core/staffing/staffing-plan.js';

const goal = { target: 0.8, thresholdSec: 20 };
const flat = (callsPerInterval: number) => new Array<number>(48).fill(callsPerInterval);

/** Half-hourly arrivals: quiet nights, a busy day (100 calls per half hour 09:00–18:00). */
function dayProfile(): number[] {
  return Array.from({ length: 48 }, (_, i) => (i < 14 ? 4 : i < 18 ? 50 : i < 36 ? 100 : 20));
}

describe('planning staffing from a forecast', () => {
  it('staffs a flat forecast with the Erlang C head count, all day', () => {
    const plan = planStaffing({ serviceLevel: goal, intervalMin: 30, queues: [{ queue: 'general', arrivals: flat(100), ahtSec: 180 }] });
    const needed = agentsForServiceLevel(200, 180, 0.8, 20).agents;
    expect(plan.staffing.groups).toEqual([{ id: 'general-team', skills: { general: 1 }, agents: needed }]);
    expect(plan.intervals).toHaveLength(48);
    for (const row of plan.intervals) expect(row.serviceLevel).toBeGreaterThanOrEqual(0.8);
  });

  it('follows the day with shifts and writes a file the loader accepts', () => {
    const plan = planStaffing({
      serviceLevel: goal,
      intervalMin: 30,
      defaultWrapSec: 10,
      queues: [
        { queue: 'general', name: 'General', arrivals: dayProfile(), ahtSec: 240, wrapSec: 20 },
        { queue: 'vip', arrivals: dayProfile().map((n) => Math.round(n / 5)), ahtSec: 300 },
      ],
    });
    const general = plan.staffing.groups[0]!;
    expect(general).toMatchObject({ id: 'general-team', name: 'General team', wrapSec: 20 });
    expect(general.shifts!.map((s) => s.from)).toEqual(['00:00', '07:00', '09:00', '18:00']);
    expect(general.shifts!.at(-1)!.to).toBe('24:00');
    const busiest = general.shifts!.find((s) => s.from === '09:00')!.agents;
    expect(busiest).toBe(agentsForServiceLevel(200, 240, 0.8, 20).agents);
    const { staffing, warnings } = checkStaffing(JSON.parse(JSON.stringify(plan.staffing)), 'plan');
    expect(warnings).toEqual([]);
    expect(staffing).toEqual(plan.staffing);
  });

  it('uses Erlang A when the mean patience is known: impatient callers shed load, so no more agents', () => {
    const withoutPatience = planStaffing({ serviceLevel: goal, intervalMin: 30, queues: [{ queue: 'general', arrivals: flat(150), ahtSec: 240 }] });
    const withPatience = planStaffing({
      serviceLevel: goal,
      intervalMin: 30,
      queues: [{ queue: 'general', arrivals: flat(150), ahtSec: 240, patienceSec: 90 }],
    });
    const row = withPatience.intervals[0]!;
    expect(row.pAbandon).toBeGreaterThan(0);
    expect(row.serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(row.agents).toBeLessThanOrEqual(withoutPatience.intervals[0]!.agents);
  });

  it('leaves quiet intervals unstaffed unless a minimum keeps the line open', () => {
    const arrivals = flat(0);
    arrivals[20] = 30;
    const gaps = planStaffing({ serviceLevel: goal, intervalMin: 30, queues: [{ queue: 'campus', arrivals, ahtSec: 180 }] });
    expect(gaps.staffing.groups[0]!.shifts).toEqual([{ from: '10:00', to: '10:30', agents: expect.any(Number) }]);
    const open = planStaffing({ serviceLevel: goal, intervalMin: 30, minAgents: 1, queues: [{ queue: 'campus', arrivals, ahtSec: 180 }] });
    expect(open.staffing.groups[0]!.shifts![0]).toEqual({ from: '00:00', to: '10:00', agents: 1 });
  });

  it('with an overall floor, takes agents off again until the service level over all calls is at the target, no interval below the floor', () => {
    // Small queues: whole agents put each interval several points above the target.
    const queues = [
      { queue: 'vip', arrivals: dayProfile().map((n) => Math.round(n / 7)), ahtSec: 420, patienceSec: 60 },
      { queue: 'campus', arrivals: dayProfile().map((n) => Math.round(n / 4)), ahtSec: 200 },
      { queue: 'general', arrivals: dayProfile(), ahtSec: 240, patienceSec: 120 },
    ];
    const overall = (rows: { callsPerHour: number; serviceLevel: number }[]) =>
      rows.reduce((s, r) => s + r.callsPerHour * r.serviceLevel, 0) / rows.reduce((s, r) => s + r.callsPerHour, 0);
    const agentHours = (rows: { agents: number }[]) => rows.reduce((s, r) => s + r.agents / 2, 0);
    const each = planStaffing({ serviceLevel: goal, intervalMin: 30, queues });
    const pooled = planStaffing({ serviceLevel: goal, intervalMin: 30, queues, overallFloor: 0.7 });
    expect(overall(each.intervals)).toBeGreaterThan(0.83);
    expect(overall(pooled.intervals)).toBeGreaterThanOrEqual(0.8);
    expect(overall(pooled.intervals)).toBeLessThan(0.81);
    expect(agentHours(pooled.intervals)).toBeLessThan(agentHours(each.intervals));
    for (const row of pooled.intervals) if (row.callsPerHour > 0) expect(row.serviceLevel).toBeGreaterThanOrEqual(0.7);
    // The figures of a trimmed interval are those of its new head count, and the file follows them.
    const trimmed = pooled.intervals.find((r, i) => r.agents < each.intervals[i]!.agents)!;
    expect(trimmed.serviceLevel).toBeLessThan(each.intervals[pooled.intervals.indexOf(trimmed)]!.serviceLevel);
    const group = pooled.staffing.groups.find((g) => g.id === `${trimmed.queue}-team`)!;
    const shift = group.shifts!.find((s) => s.from <= trimmed.from && trimmed.to <= s.to)!;
    expect(shift.agents).toBe(trimmed.agents);
    expect(() => planStaffing({ serviceLevel: goal, intervalMin: 30, queues, overallFloor: 0.9 })).toThrow(/overallFloor must lie between 0 and the target 0.8/);
  });

  it('insists on one arrival count per interval of the day', () => {
    expect(() => planStaffing({ serviceLevel: goal, intervalMin: 30, queues: [{ queue: 'general', arrivals: [1, 2, 3], ahtSec: 180 }] })).toThrow(
      /expected 48 interval arrival counts/,
    );
  });
});
