import { describe, expect, it } from 'vitest';
import { ContactCentre } from '../../src/core/simulation/contact-centre.js';
import type { Staffing } from '../../src/core/staffing/staffing.js';

const plan: Staffing = {
  serviceLevel: { target: 0.8, thresholdSec: 20 },
  intervalMin: 30,
  defaultWrapSec: 0,
  queues: [{ id: 'general' }],
  groups: [{ id: 'floor', skills: { general: 1 }, agents: 2 }],
};

const call = (seq: number, at: number, talkSec: number) => ({
  seq,
  callId: `c${seq}`,
  segment: 'standard',
  arrivalSec: at,
  queuedSec: at,
  route: { queue: 'general', priority: 10, overflow: [] },
  talkSec,
});

describe('series read where a trace ends', () => {
  it('count agent time up to that moment, not the idle time while the last calls are played out', () => {
    const centre = new ContactCentre(plan, { startSec: 0, onOutcome: () => {} });
    centre.offer(call(0, 0, 600));
    centre.offer(call(1, 60, 1200));
    // The trace ends at 05:00: both agents are busy the whole time.
    centre.advanceTo(300);
    const [atEnd] = centre.groupSeries(300);
    expect(atEnd).toMatchObject({ interval: 0, coveredSec: 300, staffedAgentSec: 600, busyAgentSec: 540, occupancy: 0.9 });
    expect(centre.queueSeries(300)[0]).toMatchObject({ coveredSec: 300, avgWaiting: 0 });
    centre.finish();
    // Played out to 21:00, the same interval holds 1,260 s of one idle agent as well.
    const [drained] = centre.groupSeries();
    expect(drained).toMatchObject({ coveredSec: 1260, staffedAgentSec: 2520, busyAgentSec: 1800 });
  });

  it('cannot be read past what has been simulated, nor before it', () => {
    const centre = new ContactCentre(plan, { startSec: 0, onOutcome: () => {} });
    centre.offer(call(0, 100, 60));
    expect(() => centre.groupSeries(500)).toThrow(/up to 100 s .* not 500 s/);
    centre.advanceTo(500);
    expect(() => centre.groupSeries(500)).not.toThrow();
    centre.finish();
    expect(() => centre.queueSeries(120)).toThrow(RangeError);
  });
});
