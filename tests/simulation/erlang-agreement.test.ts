/**
 * The simulator against queueing theory. A single queue with Poisson arrivals and exponential
 * talk times is exactly the M/M/c (Erlang C) queue, and with exponential patience the
 * M/M/c+M (Erlang A) queue, so over a long run the simulated figures must agree with the
 * formulas up to sampling noise.
 *
 * Tolerance, by batch means: the run is cut into B = 20 batches of simulated time (after a
 * first batch thrown away as warm-up from an empty centre). Each batch holds about 10 000
 * calls, far longer than the queue's memory at these loads, so the batch figures are close
 * to independent and normal, and (mean − μ) / (s / √B) follows Student's t with B − 1 = 19
 * degrees of freedom. The analytic value must lie in the 99% confidence interval
 * mean ± t(0.995, 19) · s / √B, with t(0.995, 19) = 2.861 (standard t table). Seeds are
 * fixed, so the outcome is reproducible; the interval, not a hand-tuned margin, sets the bar.
 */

import { describe, expect, it } from 'vitest';
import { ContactCentre } from '../../src/core/simulation/contact-centre.js';
import { QueueKpiAccumulator, type IntervalKpis } from '../../src/core/simulation/queue-kpi-accumulator.js';
import { erlangA } from '../../src/core/staffing/erlang-a.js';
import { erlangC } from '../../src/core/staffing/erlang-c.js';
import type { Staffing } from '../../src/core/staffing/staffing.js';
import { exponential, mulberry32 } from '../helpers/seeded-random.js';

const BATCHES = 20;
const T_0995_19 = 2.861;

interface Scenario {
  seed: number;
  callsPerHour: number;
  ahtSec: number;
  agents: number;
  thresholdSec: number;
  patienceSec?: number;
  /** Calls per batch, roughly. */
  callsPerBatch: number;
}

/** Simulates BATCHES + 1 batches and returns the per-batch figures of the last BATCHES. */
function simulateBatches(s: Scenario): IntervalKpis[] {
  const batchSec = (s.callsPerBatch / s.callsPerHour) * 3600;
  const staffing: Staffing = {
    serviceLevel: { target: 0.8, thresholdSec: s.thresholdSec },
    intervalMin: 30,
    defaultWrapSec: 0,
    queues: [{ id: 'line' }],
    groups: [{ id: 'agents', skills: { line: 1 }, agents: s.agents }],
  };
  // One reporting interval per batch, so the accumulator's intervals are the batches.
  const kpis = new QueueKpiAccumulator({ thresholdSec: s.thresholdSec, intervalSec: batchSec });
  const centre = new ContactCentre(staffing, { intervalSec: batchSec, startSec: 0, onOutcome: (o) => kpis.add(o) });
  const random = mulberry32(s.seed);
  const end = (BATCHES + 1) * batchSec;
  let t = 0;
  for (let seq = 0; ; seq++) {
    t += exponential(random, 3600 / s.callsPerHour);
    if (t >= end) break;
    const call = {
      seq,
      callId: String(seq),
      segment: 'standard',
      arrivalSec: t,
      queuedSec: t,
      route: { queue: 'line', priority: 10, overflow: [] },
      talkSec: exponential(random, s.ahtSec),
    };
    centre.offer(s.patienceSec === undefined ? call : { ...call, patienceSec: exponential(random, s.patienceSec) });
  }
  centre.finish();
  for (const row of centre.groupSeries()) kpis.addAgentTime(row);
  const batches = kpis.report().intervals.filter((r) => r.interval >= 1 && r.interval <= BATCHES);
  expect(batches).toHaveLength(BATCHES);
  return batches;
}

/** 99% batch-means confidence interval of a figure. */
function interval(batches: IntervalKpis[], figure: (b: IntervalKpis) => number | null): { mean: number; halfWidth: number } {
  const values = batches.map((b) => {
    const v = figure(b);
    if (v === null) throw new Error('a batch has no data for this figure');
    return v;
  });
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, halfWidth: (T_0995_19 * Math.sqrt(variance)) / Math.sqrt(values.length) };
}

function expectWithin(label: string, ci: { mean: number; halfWidth: number }, analytic: number): void {
  expect(
    Math.abs(ci.mean - analytic),
    `${label}: simulated ${ci.mean.toFixed(4)} ± ${ci.halfWidth.toFixed(4)} vs analytic ${analytic.toFixed(4)}`,
  ).toBeLessThanOrEqual(ci.halfWidth);
}

describe('the simulator agrees with queueing theory', () => {
  it('without abandonment: service level, ASA and occupancy match Erlang C (10 Erlangs on 12 agents)', () => {
    const scenario: Scenario = { seed: 1, callsPerHour: 200, ahtSec: 180, agents: 12, thresholdSec: 20, callsPerBatch: 10_000 };
    const analytic = erlangC(scenario);
    expect(analytic.pWait).toBeGreaterThan(0.4); // a busy queue, so the comparison means something
    const batches = simulateBatches(scenario);
    expectWithin('service level', interval(batches, (b) => b.serviceLevel), analytic.serviceLevel);
    expectWithin('ASA', interval(batches, (b) => b.asaSec), analytic.asaSec);
    expectWithin('occupancy', interval(batches, (b) => b.occupancy), analytic.occupancy);
    for (const b of batches) expect(b.abandoned).toBe(0);
  });

  it('with exponential patience: abandonment, service level and ASA match Erlang A (10 Erlangs on 10 agents)', () => {
    const scenario: Scenario = {
      seed: 2,
      callsPerHour: 200,
      ahtSec: 180,
      agents: 10,
      thresholdSec: 20,
      patienceSec: 120,
      callsPerBatch: 10_000,
    };
    const analytic = erlangA({ ...scenario, patienceSec: 120 });
    expect(analytic.pAbandon).toBeGreaterThan(0.05);
    const batches = simulateBatches(scenario);
    expectWithin('abandon rate', interval(batches, (b) => b.abandonRate), analytic.pAbandon);
    expectWithin('service level', interval(batches, (b) => b.serviceLevel), analytic.serviceLevel);
    expectWithin('ASA', interval(batches, (b) => b.asaSec), analytic.asaSec);
    expectWithin('occupancy', interval(batches, (b) => b.occupancy), analytic.occupancy);
  });
});
