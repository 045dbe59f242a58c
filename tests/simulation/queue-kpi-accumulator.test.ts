import { describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../src/core/simulation/call-outcome.js';
import { QueueKpiAccumulator } from '../../src/core/simulation/queue-kpi-accumulator.js';

function outcome(fields: Partial<CallOutcome> & { queuedSec: number }): CallOutcome {
  return {
    seq: 0,
    callId: 'c',
    segment: 'standard',
    queue: 'general',
    entryQueue: 'general',
    answered: true,
    abandoned: false,
    waitSec: 0,
    arrivalSec: fields.queuedSec,
    talkSec: 100,
    wrapSec: 10,
    overflowed: false,
    ...fields,
  };
}

const answered = (queuedSec: number, waitSec: number, queue = 'general') =>
  outcome({ queuedSec, waitSec, queue, answeredSec: queuedSec + waitSec, agentGroup: 'floor' });
const abandoned = (queuedSec: number, waitSec: number, queue = 'general') =>
  outcome({ queuedSec, waitSec, queue, answered: false, abandoned: true, talkSec: 0, wrapSec: 0 });

describe('queue KPIs', () => {
  it('counts a caller who hangs up against the service level, however quickly', () => {
    const kpis = new QueueKpiAccumulator({ thresholdSec: 20, intervalSec: 1800 });
    kpis.add(answered(0, 5));
    kpis.add(answered(10, 15));
    kpis.add(answered(20, 45));
    kpis.add(abandoned(30, 3));
    const overall = kpis.report().overall;
    expect(overall).toMatchObject({ offered: 4, answered: 3, abandoned: 1, unanswered: 0, answeredWithinThreshold: 2 });
    expect(overall.serviceLevel).toBe(2 / 4);
    expect(overall.abandonRate).toBe(1 / 4);
  });

  it('averages wait and handle time over answered calls only', () => {
    const kpis = new QueueKpiAccumulator({ thresholdSec: 20, intervalSec: 1800 });
    kpis.add(answered(0, 0));
    kpis.add(answered(0, 30));
    kpis.add(abandoned(0, 600));
    const overall = kpis.report().overall;
    expect(overall.asaSec).toBe(15);
    expect(overall.ahtSec).toBe(110);
  });

  it('counts the threshold itself as in time', () => {
    const kpis = new QueueKpiAccumulator({ thresholdSec: 20, intervalSec: 1800 });
    kpis.add(answered(0, 20));
    expect(kpis.report().overall.serviceLevel).toBe(1);
  });

  it('files calls under the interval in which they entered the queue, per queue and overall', () => {
    const kpis = new QueueKpiAccumulator({ thresholdSec: 20, intervalSec: 1800, queueOrder: ['vip', 'general'] });
    kpis.add(answered(1790, 60)); // entered in interval 0, answered in interval 1
    kpis.add(answered(1800, 0, 'vip'));
    kpis.add(abandoned(5400, 10, 'vip'));
    const report = kpis.report();
    expect(report.intervals.map((r) => [r.interval, r.startSec, r.offered])).toEqual([
      [0, 0, 1],
      [1, 1800, 1],
      [2, 3600, 0],
      [3, 5400, 1],
    ]);
    expect(report.intervals[2]!.serviceLevel).toBeNull();
    expect(report.queues.map((q) => q.queue)).toEqual(['vip', 'general']);
    const vip = report.queues[0]!;
    expect(vip.overall).toMatchObject({ offered: 2, answered: 1, abandoned: 1, serviceLevel: 0.5 });
    expect(vip.intervals.map((r) => r.offered)).toEqual([0, 1, 0, 1]);
    expect(report.queues[1]!.intervals[0]!.serviceLevel).toBe(0);
  });

  it('can group calls by the queue they entered rather than the one that answered', () => {
    const kpis = new QueueKpiAccumulator({ thresholdSec: 20, intervalSec: 1800, keyBy: (o) => o.entryQueue });
    kpis.add(outcome({ queuedSec: 0, waitSec: 40, queue: 'general', entryQueue: 'vip', overflowed: true }));
    expect(kpis.report().queues.map((q) => q.queue)).toEqual(['vip']);
  });

  it('reports calls nobody could answer separately from abandons', () => {
    const kpis = new QueueKpiAccumulator({ thresholdSec: 20, intervalSec: 1800 });
    kpis.add(outcome({ queuedSec: 0, waitSec: 900, answered: false, abandoned: false, talkSec: 0, wrapSec: 0 }));
    expect(kpis.report().overall).toMatchObject({ offered: 1, unanswered: 1, abandoned: 0, serviceLevel: 0, abandonRate: 0, asaSec: null });
  });

  it('takes occupancy from agent time: busy over staffed, per group and across groups, never per queue', () => {
    const kpis = new QueueKpiAccumulator({ thresholdSec: 20, intervalSec: 1800 });
    kpis.add(answered(0, 5));
    kpis.addAgentTime({ group: 'floor', interval: 0, staffedAgentSec: 3600, busyAgentSec: 1800 });
    kpis.addAgentTime({ group: 'vip-desk', interval: 0, staffedAgentSec: 1800, busyAgentSec: 900 });
    kpis.addAgentTime({ group: 'floor', interval: 1, staffedAgentSec: 3600, busyAgentSec: 3600 });
    const report = kpis.report();
    expect(report.intervals.map((r) => r.occupancy)).toEqual([2700 / 5400, 1]);
    expect(report.overall.occupancy).toBe(6300 / 9000);
    expect(report.groups.map((g) => [g.group, g.occupancy])).toEqual([
      ['floor', 5400 / 7200],
      ['vip-desk', 0.5],
    ]);
    expect(report.groups[1]!.intervals[1]!.occupancy).toBeNull();
    expect(report.queues[0]!.overall.occupancy).toBeNull();
  });

  it('gives an empty report when nothing was added', () => {
    const report = new QueueKpiAccumulator({ thresholdSec: 20, intervalSec: 1800 }).report();
    expect(report.overall).toMatchObject({ offered: 0, serviceLevel: null, asaSec: null, occupancy: null });
    expect(report.intervals).toEqual([]);
    expect(report.queues).toEqual([]);
  });
});
