import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../src/core/simulation/call-outcome.js';
import { ContactCentre } from '../../src/core/simulation/contact-centre.js';
import type { OfferedCall } from '../../src/core/simulation/offered-call.js';
import { SimulationError } from '../../src/core/simulation/simulation-error.js';
import { parseStaffing } from '../../src/core/staffing/staffing-file.js';
import type { AgentGroupSpec, Staffing } from '../../src/core/staffing/staffing.js';
import { exponential, mulberry32 } from '../helpers/seeded-random.js';

const HOUR = 3600;

function staffing(groups: AgentGroupSpec[], queues = ['vip', 'general']): Staffing {
  return {
    serviceLevel: { target: 0.8, thresholdSec: 20 },
    intervalMin: 30,
    defaultWrapSec: 0,
    queues: queues.map((id) => ({ id })),
    groups,
  };
}

let nextSeq = 0;
function call(fields: Partial<OfferedCall> & { at: number }): OfferedCall {
  const { at, ...rest } = fields;
  const seq = rest.seq ?? nextSeq++;
  return {
    seq,
    callId: `c${seq}`,
    segment: 'standard',
    arrivalSec: at,
    queuedSec: at,
    route: { queue: 'general', priority: 10, overflow: [] },
    talkSec: 100,
    ...rest,
  };
}

/** Runs calls through a centre and returns outcomes by call id. */
function simulate(plan: Staffing, calls: OfferedCall[]): { byId: Map<string, CallOutcome>; centre: ContactCentre; order: string[] } {
  const byId = new Map<string, CallOutcome>();
  const order: string[] = [];
  const centre = new ContactCentre(plan, {
    startSec: 0,
    onOutcome: (o) => {
      expect(byId.has(o.callId), `${o.callId} reported twice`).toBe(false);
      byId.set(o.callId, o);
      order.push(o.callId);
    },
  });
  for (const c of calls) centre.offer(c);
  centre.finish();
  expect(byId.size).toBe(calls.length);
  return { byId, centre, order };
}

describe('who gets answered first', () => {
  it('a higher-priority call queued later is answered before a lower-priority one', () => {
    nextSeq = 0;
    const { byId } = simulate(staffing([{ id: 'floor', skills: { general: 1 }, agents: 1 }]), [
      call({ at: 0, callId: 'busy' }),
      call({ at: 10, callId: 'standard', route: { queue: 'general', priority: 10, overflow: [] } }),
      call({ at: 20, callId: 'diamond', route: { queue: 'general', priority: 100, overflow: [] } }),
    ]);
    expect(byId.get('diamond')!.answeredSec).toBe(100);
    expect(byId.get('standard')!.answeredSec).toBe(200);
    expect(byId.get('standard')!.waitSec).toBe(190);
  });

  it('calls of equal priority are answered in the order they entered the queue', () => {
    nextSeq = 0;
    const { order } = simulate(staffing([{ id: 'floor', skills: { general: 1 }, agents: 1 }]), [
      call({ at: 0, callId: 'a' }),
      call({ at: 1, callId: 'b' }),
      call({ at: 2, callId: 'c' }),
      call({ at: 3, callId: 'd' }),
    ]);
    expect(order).toEqual(['a', 'b', 'c', 'd']);
  });

  it('orders by queue entry, not IVR arrival, when a caller spends longer in the IVR', () => {
    nextSeq = 0;
    const { byId } = simulate(staffing([{ id: 'floor', skills: { general: 1 }, agents: 1 }]), [
      call({ at: 0, callId: 'busy' }),
      call({ at: 5, queuedSec: 60, callId: 'slow-ivr' }),
      call({ at: 10, queuedSec: 20, callId: 'fast-ivr' }),
    ]);
    expect(byId.get('fast-ivr')!.answeredSec).toBe(100);
    expect(byId.get('slow-ivr')!.answeredSec).toBe(200);
    expect(byId.get('slow-ivr')!.waitSec).toBe(140);
  });

  it('an agent with vip as primary skill takes a waiting VIP call even if a general call waited longer', () => {
    nextSeq = 0;
    const { byId } = simulate(staffing([{ id: 'vip-desk', skills: { vip: 1, general: 2 }, agents: 1 }]), [
      call({ at: 0, callId: 'busy', route: { queue: 'vip', priority: 50, overflow: [] } }),
      call({ at: 5, callId: 'general', route: { queue: 'general', priority: 100, overflow: [] } }),
      call({ at: 50, callId: 'vip', route: { queue: 'vip', priority: 10, overflow: [] } }),
    ]);
    expect(byId.get('vip')!.answeredSec).toBe(100);
    expect(byId.get('general')!.answeredSec).toBe(200);
    expect(byId.get('general')!.agentGroup).toBe('vip-desk');
  });

  it('everything happening at one instant is in before a freed agent chooses', () => {
    nextSeq = 0;
    // The agent frees at 100; a standard and a VIP call join at 100, the standard one first.
    const { byId } = simulate(staffing([{ id: 'floor', skills: { general: 1 }, agents: 1 }]), [
      call({ at: 0, callId: 'busy' }),
      call({ at: 100, callId: 'standard' }),
      call({ at: 100, callId: 'vip', route: { queue: 'general', priority: 80, overflow: [] } }),
    ]);
    expect(byId.get('vip')!.answeredSec).toBe(100);
    expect(byId.get('standard')!.answeredSec).toBe(200);
  });

  it('a call goes to a free agent whose primary skill it is, keeping multi-skilled desks free', () => {
    nextSeq = 0;
    const plan = staffing([
      { id: 'vip-desk', skills: { vip: 1, general: 2 }, agents: 1 },
      { id: 'floor', skills: { general: 1 }, agents: 1 },
    ]);
    const { byId } = simulate(plan, [call({ at: 10, callId: 'general' })]);
    expect(byId.get('general')!.agentGroup).toBe('floor');
  });

  it('among equally skilled free agents the longest idle answers', () => {
    nextSeq = 0;
    const plan = staffing([
      { id: 'early', skills: { general: 1 }, agents: 1 },
      { id: 'late', skills: { general: 1 }, agents: 1 },
    ]);
    // 'early' is busy 0–100; afterwards 'late' has been idle longer and takes the next call.
    const { byId } = simulate(plan, [call({ at: 0, callId: 'first' }), call({ at: 150, callId: 'second' })]);
    expect(byId.get('first')!.agentGroup).toBe('early');
    expect(byId.get('second')!.agentGroup).toBe('late');
  });
});

describe('overflow', () => {
  const plan = staffing([
    { id: 'vip-desk', skills: { vip: 1 }, agents: 1 },
    { id: 'floor', skills: { general: 1 }, agents: 1 },
  ]);

  it('after the threshold an agent of the overflow queue can take the call', () => {
    nextSeq = 0;
    const { byId } = simulate(plan, [
      call({ at: 0, callId: 'busy', route: { queue: 'vip', priority: 50, overflow: [] }, talkSec: 1000 }),
      call({ at: 10, callId: 'vip', route: { queue: 'vip', priority: 50, overflow: [{ afterSec: 30, queue: 'general' }] } }),
    ]);
    const vip = byId.get('vip')!;
    expect(vip).toMatchObject({ answered: true, answeredSec: 40, agentGroup: 'floor', queue: 'general', entryQueue: 'vip', overflowed: true });
  });

  it('keeps the call in its original queue: whichever agent is free first takes it', () => {
    nextSeq = 0;
    const { byId } = simulate(plan, [
      call({ at: 0, callId: 'vip-busy', route: { queue: 'vip', priority: 50, overflow: [] }, talkSec: 60 }),
      call({ at: 0, callId: 'floor-busy', talkSec: 1000 }),
      call({ at: 10, callId: 'vip', route: { queue: 'vip', priority: 50, overflow: [{ afterSec: 30, queue: 'general' }] } }),
    ]);
    expect(byId.get('vip')).toMatchObject({ answeredSec: 60, agentGroup: 'vip-desk', queue: 'vip', overflowed: true });
  });

  it('names the queue the overflow offered the call to, even when its own queue answered it', () => {
    nextSeq = 0;
    const { byId } = simulate(plan, [
      call({ at: 0, callId: 'vip-busy', route: { queue: 'vip', priority: 50, overflow: [] }, talkSec: 60 }),
      call({ at: 0, callId: 'floor-busy', talkSec: 1000 }),
      call({ at: 10, callId: 'vip', route: { queue: 'vip', priority: 50, overflow: [{ afterSec: 30, queue: 'general' }] } }),
      call({ at: 20, callId: 'quick', route: { queue: 'vip', priority: 50, overflow: [{ afterSec: 300, queue: 'general' }] } }),
    ]);
    expect(byId.get('vip')).toMatchObject({ agentGroup: 'vip-desk', overflowQueue: 'general' });
    expect(byId.get('quick')!.overflowed).toBe(false);
    expect(byId.get('quick')!.overflowQueue).toBeUndefined();
  });

  it('uses the overflow step priority in the new queue', () => {
    nextSeq = 0;
    const { byId } = simulate(plan, [
      call({ at: 0, callId: 'floor-busy', talkSec: 200 }),
      call({ at: 0, callId: 'vip-busy', route: { queue: 'vip', priority: 50, overflow: [] }, talkSec: 1000 }),
      call({ at: 5, callId: 'general' }),
      call({ at: 10, callId: 'vip', route: { queue: 'vip', priority: 5, overflow: [{ afterSec: 30, queue: 'general', priority: 90 }] } }),
    ]);
    expect(byId.get('vip')!.answeredSec).toBe(200);
    expect(byId.get('general')!.answeredSec).toBe(300);
  });
});

describe('abandonment', () => {
  const plan = staffing([{ id: 'floor', skills: { general: 1 }, agents: 1 }]);

  it('a caller hangs up when patience runs out', () => {
    nextSeq = 0;
    const { byId } = simulate(plan, [call({ at: 0, callId: 'busy' }), call({ at: 10, callId: 'impatient', patienceSec: 40 })]);
    expect(byId.get('impatient')).toMatchObject({ answered: false, abandoned: true, waitSec: 40, talkSec: 0, wrapSec: 0 });
  });

  it('a caller is still answered if an agent frees up at the very moment patience runs out', () => {
    nextSeq = 0;
    const { byId } = simulate(plan, [call({ at: 0, callId: 'busy' }), call({ at: 10, callId: 'just-in-time', patienceSec: 90 })]);
    expect(byId.get('just-in-time')).toMatchObject({ answered: true, abandoned: false, waitSec: 90 });
  });

  it('an abandoned call no longer holds up the queue', () => {
    nextSeq = 0;
    const { byId } = simulate(plan, [
      call({ at: 0, callId: 'busy' }),
      call({ at: 1, callId: 'gone', patienceSec: 5 }),
      call({ at: 2, callId: 'next' }),
    ]);
    expect(byId.get('next')!.answeredSec).toBe(100);
  });
});

describe('shifts', () => {
  const plan = staffing([{ id: 'day', skills: { general: 1 }, shifts: [{ from: '08:00', to: '09:00', agents: 1 }] }]);

  it('a call waiting before the shift starts is answered when the agent logs in', () => {
    nextSeq = 0;
    const { byId } = simulate(plan, [call({ at: 8 * HOUR - 60, callId: 'early' })]);
    expect(byId.get('early')).toMatchObject({ answeredSec: 8 * HOUR, waitSec: 60 });
  });

  it('an agent whose shift ends finishes the call first, then logs off until the next day', () => {
    nextSeq = 0;
    const { byId, centre } = simulate(plan, [
      call({ at: 9 * HOUR - 60, callId: 'last', talkSec: 300 }),
      call({ at: 9 * HOUR - 30, callId: 'too-late' }),
    ]);
    expect(byId.get('last')).toMatchObject({ answered: true, answeredSec: 9 * HOUR - 60 });
    expect(byId.get('too-late')).toMatchObject({ answered: true, answeredSec: 24 * HOUR + 8 * HOUR });
    // Staffed time in 09:00–09:30 is the 240 s of the call that ran over, and nothing after.
    const nine = centre.groupSeries().find((r) => r.startSec === 9 * HOUR)!;
    expect(nine.staffedAgentSec).toBe(240);
    expect(nine.busyAgentSec).toBe(240);
    const ten = centre.groupSeries().find((r) => r.startSec === 10 * HOUR)!;
    expect(ten.staffedAgentSec).toBe(0);
    expect(ten.occupancy).toBeNull();
  });

  it('a shift that grows while agents are due to leave keeps them on instead', () => {
    nextSeq = 0;
    const growing = staffing([
      {
        id: 'floor',
        skills: { general: 1 },
        shifts: [
          { from: '08:00', to: '09:00', agents: 2 },
          { from: '09:00', to: '09:05', agents: 1 },
          { from: '09:05', to: '10:00', agents: 2 },
        ],
      },
    ]);
    const { centre } = simulate(growing, [
      call({ at: 9 * HOUR - 10, callId: 'a', talkSec: 600 }),
      call({ at: 9 * HOUR - 10, callId: 'b', talkSec: 600 }),
    ]);
    const nine = centre.groupSeries().find((r) => r.startSec === 9 * HOUR)!;
    // Both agents stay logged in across 09:00–09:05 (one finishing a call, then rejoined by the shift).
    expect(nine.maxStaffed).toBe(2);
  });
});

describe('streaming input', () => {
  it('refuses calls out of arrival order and calls for queues the staffing does not define', () => {
    nextSeq = 0;
    const centre = new ContactCentre(staffing([{ id: 'floor', skills: { general: 1 }, agents: 1 }]), { onOutcome: () => {} });
    centre.offer(call({ at: 100, seq: 0 }));
    expect(() => centre.offer(call({ at: 50, seq: 1 }))).toThrow(SimulationError);
    expect(() => centre.offer(call({ at: 50, seq: 1 }))).toThrow(/offer calls in arrival order/);
    try {
      centre.offer(call({ at: 200, seq: 2, route: { queue: 'roaming', priority: 1, overflow: [] } }));
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'UNKNOWN_QUEUE', callId: 'c2' });
    }
    expect(() => centre.offer(call({ at: 300, seq: 3, queuedSec: 299 }))).toThrow(/queuedSec/);
  });

  it('checks every call on its own even when it shares the route of the call before (routes are checked once)', () => {
    nextSeq = 0;
    const centre = new ContactCentre(staffing([{ id: 'floor', skills: { general: 1 }, agents: 1 }]), { onOutcome: () => {} });
    const route = { queue: 'general', priority: 10, overflow: [] };
    centre.offer(call({ at: 100, route }));
    const bad: Array<[Partial<OfferedCall>, RegExp]> = [
      [{ talkSec: -1 }, /talkSec/],
      [{ talkSec: Number.NaN }, /talkSec/],
      [{ wrapSec: -1 }, /wrapSec/],
      [{ patienceSec: -1 }, /patienceSec/],
      [{ queuedSec: 99 }, /queuedSec/],
      [{ seq: 1.5 }, /seq/],
    ];
    for (const [fields, message] of bad) {
      expect(() => centre.offer(call({ at: 200, route, ...fields }))).toThrow(message);
    }
    centre.offer(call({ at: 200, route }));
    // A route seen for the first time is checked, whatever came before.
    expect(() => centre.offer(call({ at: 300, route: { queue: 'general', priority: Number.NaN, overflow: [] } }))).toThrow(/priority/);
    expect(() => centre.offer(call({ at: 300, route: { queue: 'general', priority: 1, overflow: [{ afterSec: 10, queue: 'nowhere' }] } }))).toThrow(/nowhere/);
    expect(() => centre.offer(call({ at: 300, route: { queue: 'general', priority: 1, overflow: [{ afterSec: -1, queue: 'vip' }] } }))).toThrow(/afterSec|seconds/);
  });

  it('reports calls that no agent will ever take as neither answered nor abandoned when drained', () => {
    nextSeq = 0;
    const { byId } = simulate(staffing([{ id: 'floor', skills: { general: 1 }, agents: 1 }]), [
      call({ at: 10, callId: 'orphan', route: { queue: 'vip', priority: 10, overflow: [] } }),
      call({ at: 20, callId: 'served', talkSec: 50 }),
    ]);
    expect(byId.get('orphan')).toMatchObject({ answered: false, abandoned: false, waitSec: 60 });
    expect(byId.get('served')).toMatchObject({ answered: true });
  });

  it('emits each outcome while later calls are still to come, keeping only calls in progress', () => {
    nextSeq = 0;
    const seen: string[] = [];
    const centre = new ContactCentre(staffing([{ id: 'floor', skills: { general: 1 }, agents: 2 }]), {
      onOutcome: (o) => seen.push(o.callId),
    });
    for (let i = 0; i < 1000; i++) {
      centre.offer(call({ at: i * 100, talkSec: 30 }));
      expect(centre.callsInProgress).toBeLessThanOrEqual(1);
    }
    expect(seen.length).toBeGreaterThanOrEqual(999);
    centre.finish();
    expect(centre.callsInProgress).toBe(0);
  });

  it('a call whose outcome is out no longer counts as in progress, when answered, abandoned or stranded', () => {
    nextSeq = 0;
    const inProgress: Array<[string, number]> = [];
    const centre: ContactCentre = new ContactCentre(staffing([{ id: 'floor', skills: { general: 1 }, wrapSec: 0, agents: 1 }]), {
      startSec: 0,
      onOutcome: (o) => inProgress.push([o.callId, centre.callsInProgress]),
    });
    centre.offer(call({ at: 0, callId: 'answered', talkSec: 100 }));
    centre.offer(call({ at: 1, callId: 'gives-up', patienceSec: 5 }));
    centre.offer(call({ at: 2, callId: 'stranded', route: { queue: 'vip', priority: 10, overflow: [] } }));
    centre.finish();
    // Answered (settled before the next call is offered): only its agent is busy. Gives up: the
    // agent still busy and the stranded call waiting. Stranded: nothing left.
    expect(inProgress).toEqual([['answered', 1], ['gives-up', 2], ['stranded', 0]]);
  });

  it('forgets the patience and overflow timers of answered calls, so long patience costs no memory', () => {
    nextSeq = 0;
    const centre = new ContactCentre(staffing([{ id: 'floor', skills: { general: 1 }, agents: 1 }]), { onOutcome: () => {} });
    for (let i = 0; i < 5000; i++) {
      centre.offer(
        call({
          at: i * 60,
          talkSec: 30,
          patienceSec: 1e9,
          route: { queue: 'general', priority: 10, overflow: [{ afterSec: 1e8, queue: 'vip' }] },
        }),
      );
    }
    // The last call's entry, its two timers and its agent's talk end, at most.
    expect(centre.pendingEvents).toBeLessThanOrEqual(4);
    centre.finish();
    expect(centre.pendingEvents).toBe(0);
  });
});

describe('time series', () => {
  it('measures occupancy as busy time, wrap included, over staffed time per interval', () => {
    nextSeq = 0;
    const plan = { ...staffing([{ id: 'floor', skills: { general: 1 }, agents: 2, wrapSec: 60 }]) };
    const centre = new ContactCentre(plan, { startSec: 0, onOutcome: () => {} });
    centre.offer(call({ at: 0, talkSec: 540 }));
    centre.advanceTo(1800);
    centre.offer(call({ at: 1800, talkSec: 1 }));
    centre.finish();
    const first = centre.groupSeries()[0]!;
    expect(first).toMatchObject({ interval: 0, startSec: 0, coveredSec: 1800, staffedAgentSec: 3600, busyAgentSec: 600, avgStaffed: 2 });
    expect(first.occupancy).toBeCloseTo(600 / 3600, 12);
  });

  it('averages queue length over the interval and records its peak', () => {
    nextSeq = 0;
    const centre = new ContactCentre(staffing([{ id: 'floor', skills: { general: 1 }, agents: 1 }]), {
      startSec: 0,
      onOutcome: () => {},
    });
    centre.offer(call({ at: 0, talkSec: 900 }));
    centre.offer(call({ at: 0, talkSec: 900 }));
    centre.offer(call({ at: 0, talkSec: 10 }));
    centre.finish();
    const general = centre.queueSeries().filter((r) => r.queue === 'general');
    // Two wait 0–900, one more 900–1800: area 2·900 + 1·900 over 1800 s.
    expect(general[0]).toMatchObject({ interval: 0, avgWaiting: 1.5, maxWaiting: 2 });
  });
});

describe('determinism', () => {
  it('the same trace through the same staffing gives identical outcomes and series, byte for byte', () => {
    const plan = parseStaffing(readFileSync(new URL('../../data/staffing.json', import.meta.url), 'utf8'), 'staffing.json').staffing;
    const run = () => {
      const random = mulberry32(20240611);
      const queues = plan.queues.map((q) => q.id);
      const outcomes: CallOutcome[] = [];
      const centre = new ContactCentre(plan, { onOutcome: (o) => outcomes.push(o) });
      let t = 7 * HOUR;
      for (let seq = 0; seq < 3000; seq++) {
        // Whole seconds, so simultaneous events are common and tie-breaking is exercised.
        t += Math.round(exponential(random, 8));
        const queue = queues[Math.floor(random() * queues.length)]!;
        centre.offer({
          seq,
          callId: `call-${seq}`,
          segment: queue,
          arrivalSec: t,
          queuedSec: t + Math.round(random() * 60),
          route: { queue, priority: queue.startsWith('vip') ? 80 : 10, overflow: [{ afterSec: 45, queue: 'general' }] },
          talkSec: Math.round(exponential(random, 240)),
          patienceSec: Math.round(exponential(random, 150)),
        });
      }
      centre.finish();
      return JSON.stringify({ outcomes, queues: centre.queueSeries(), groups: centre.groupSeries() });
    };
    const first = run();
    expect(run()).toBe(first);
    expect(JSON.parse(first).outcomes).toHaveLength(3000);
  });
});
