/**
 * Replications against queueing theory. A day of Poisson arrivals and exponential talk times
 * on one queue is the M/M/c (Erlang C) queue, so the days resampled from such a recorded day
 * must spread around the Erlang C service level, and the 95% intervals of the mean must cover
 * the mean they estimate about 95% of the time, without being wider than the spread they describe.
 *
 * Warm-up is excluded as the Erlang agreement tests exclude it: the first hour's calls go to a
 * queue of their own ("warm-up") that the same agents serve first come, first served with the
 * measured queue ("line"), so the agents are busy as in steady state when the measured calls
 * start, and only the "line" figures are compared.
 */
import { describe, expect, it } from 'vitest';
import { loadConfiguration } from '../../src/core/configuration/configuration.js';
import type { Scenario } from '../../src/core/replay/replay-run.js';
import { summarise } from '../../src/core/replications/interval-statistics.js';
import { studentTQuantile } from '../../src/core/replications/student-t.js';
import { Replicator } from '../../src/core/replications/replication.js';
import { resampleDay, type RecordedDay, type ResamplingPlan } from '../../src/core/replications/trace-resampler.js';
import { erlangC } from '../../src/core/staffing/erlang-c.js';
import type { Staffing } from '../../src/core/staffing/staffing.js';
import { exponential, mulberry32 } from '../helpers/seeded-random.js';

const LOAD = { callsPerHour: 200, ahtSec: 180, agents: 12, thresholdSec: 20 };
const WARM_UP_SEC = 3600;
const DAY_SEC = 7 * 3600;

const staffing: Staffing = {
  serviceLevel: { target: 0.8, thresholdSec: LOAD.thresholdSec },
  intervalMin: 60,
  defaultWrapSec: 0,
  queues: [{ id: 'warm-up' }, { id: 'line' }],
  groups: [{ id: 'agents', skills: { 'warm-up': 1, line: 1 }, agents: LOAD.agents }],
};
const scenario: Scenario = { config: loadConfiguration(), staffing, staffingSource: 'test', seed: 1 };

/** A recorded M/M/c day of ACD-level calls (no IVR), the first hour on the warm-up queue. */
function poissonDay(seed: number): RecordedDay {
  const random = mulberry32(seed);
  const day: RecordedDay = { calls: [] };
  for (let t = exponential(random, 3600 / LOAD.callsPerHour), i = 0; t < DAY_SEC; t += exponential(random, 3600 / LOAD.callsPerHour), i++) {
    const queue = t < WARM_UP_SEC ? 'warm-up' : 'line';
    const callId = `d${seed}-${i}`;
    day.calls.push({ call: { callId, arrivalSec: t, talkSec: exponential(random, LOAD.ahtSec), queue, priority: 10 }, input: { callId, keys: [], queue } });
  }
  return day;
}

function lineServiceLevels(day: RecordedDay, plan: ResamplingPlan, indices: number[]): number[] {
  const replicator = new Replicator([scenario]);
  return indices.map((i) => replicator.replay(resampleDay(day, plan, i))[0]!.byQueue['line']!.serviceLevel!);
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe('replications of Poisson single-queue days agree with Erlang C', () => {
  const analytic = erlangC(LOAD);

  // One recorded day's call count estimates its day's expected volume only to within a
  // coefficient of variation of 1/√calls; the day-level volume factor carries that uncertainty
  // (without it the replications centre on the recorded day's own busyness, see the tester's guide).
  it('the Erlang C service level lies in the 2.5–97.5 percentile range of the replicated days, on several recorded days', () => {
    expect(analytic.pWait).toBeGreaterThan(0.4); // a busy queue, so the comparison means something
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const day = poissonDay(seed);
      const levels = lineServiceLevels(day, { seed, intervalSec: 3600, volumeCv: 1 / Math.sqrt(day.calls.length) }, range(0, 40));
      const s = summarise(levels);
      expect(analytic.serviceLevel, `day ${seed}: Erlang C ${analytic.serviceLevel.toFixed(4)} vs range [${s.p025!.toFixed(4)}, ${s.p975!.toFixed(4)}]`).toBeGreaterThanOrEqual(s.p025!);
      expect(analytic.serviceLevel).toBeLessThanOrEqual(s.p975!);
    }
  }, 180_000); // CPU-bound: generous for a busy machine

  it('the 95% interval of the mean covers the mean of the replicated days in about 95% of runs (over 40 seeds)', () => {
    const day = poissonDay(7);
    // The mean being estimated: that of many replications (their own error is a fraction of an interval's).
    const reference = summarise(lineServiceLevels(day, { seed: 999, intervalSec: 3600, volumeCv: 0 }, range(0, 240))).mean!;
    let covered = 0;
    const runs = 40;
    const perRun = 6;
    const means: number[] = [];
    const standardErrors: number[] = [];
    for (let seed = 1; seed <= runs; seed++) {
      const s = summarise(lineServiceLevels(day, { seed, intervalSec: 3600, volumeCv: 0 }, range(0, perRun)));
      if (s.ciLow! <= reference && reference <= s.ciHigh!) covered++;
      means.push(s.mean!);
      standardErrors.push(s.halfWidth! / studentTQuantile(0.975, perRun - 1));
    }
    // Binomial(40, 0.95): fewer than 34 covered has probability below 1%.
    expect(covered, `${covered} of ${runs} intervals covered ${reference.toFixed(4)}`).toBeGreaterThanOrEqual(34);
    // Coverage alone cannot tell intervals that are too wide (all 40 covered is likely either way),
    // so the width is checked against the spread it claims to describe: the 40 means come from
    // independent seeds, so their standard deviation is the true standard error of a mean of 6,
    // and the runs' own standard errors should average about the same (E[s] = 0.95σ for n = 6).
    // The ratio's sampling error here is about 12% (the spread of 40 means: 1/√78 = 11%; the
    // average of 40 standard errors of 6 values: 31%/√40 = 5%): 3.5 of those either side of 1.
    const grand = means.reduce((a, b) => a + b, 0) / runs;
    const spread = Math.sqrt(means.reduce((a, m) => a + (m - grand) ** 2, 0) / (runs - 1));
    const ratio = standardErrors.reduce((a, b) => a + b, 0) / runs / spread;
    expect(ratio, `mean standard error ${(ratio * spread).toFixed(4)} against the spread of the means ${spread.toFixed(4)}`).toBeGreaterThan(1 - 3.5 * 0.124);
    expect(ratio).toBeLessThan(1 + 3.5 * 0.124);
  }, 180_000); // CPU-bound: generous for a busy machine
});
