import { describe, expect, it } from 'vitest';
import { StaffingGaps } from '../../src/core/replay/staffing-gaps.js';
import type { Staffing } from '../../src/core/staffing/staffing.js';

const staffing: Staffing = {
  serviceLevel: { target: 0.8, thresholdSec: 30 },
  intervalMin: 30,
  defaultWrapSec: 0,
  queues: [{ id: 'general' }, { id: 'tech' }],
  groups: [
    { id: 'day', skills: { general: 1 }, shifts: [{ from: '08:00', to: '12:00', agents: 4 }] },
    { id: 'afternoon', skills: { general: 1, tech: 2 }, shifts: [{ from: '13:00', to: '18:00', agents: 2 }] },
  ],
};
const at = (hhmm: string, day = 0) => day * 86_400 + Number(hhmm.slice(0, 2)) * 3600 + Number(hhmm.slice(3)) * 60;

describe('finding calls that reach a queue nobody is on shift for', () => {
  it('says nothing while every call meets an agent with its skill', () => {
    const gaps = new StaffingGaps(staffing, 1800);
    for (const t of ['08:00', '11:59', '13:00', '17:59']) gaps.note('general', at(t));
    gaps.note('tech', at('15:00'));
    expect(gaps.warnings()).toEqual([]);
  });

  it('gives one warning per run of consecutive intervals, day by day', () => {
    const gaps = new StaffingGaps(staffing, 1800);
    for (const t of ['12:00', '12:10', '12:59']) gaps.note('general', at(t));
    gaps.note('general', at('12:40', 1));
    gaps.note('tech', at('09:15'));
    expect(gaps.warnings()).toEqual([
      { queue: 'general', fromSec: at('12:00'), toSec: at('13:00'), message: '3 calls reached queue general between 12:00 and 13:00 while no agent with its skill was on shift' },
      { queue: 'general', fromSec: at('12:30', 1), toSec: at('13:00', 1), message: '1 call reached queue general between d1 12:30 and d1 13:00 while no agent with its skill was on shift' },
      { queue: 'tech', fromSec: at('09:00'), toSec: at('09:30'), message: '1 call reached queue tech between 09:00 and 09:30 while no agent with its skill was on shift' },
    ]);
  });
});
