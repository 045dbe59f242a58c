import { describe, expect, it } from 'vitest';
import { holm, percentile, summarise } from '../../src/core/replications/interval-statistics.js';
import { EMPTY_ROW, replicationsBlock } from '../../src/core/replications/replication-report.js';
import type { ReplicationRows } from '../../src/core/replications/replication.js';
import type { KpiRow } from '../../src/core/replay/replay-report.js';
import { gamma, poisson } from '../../src/core/replications/random-variates.js';
import { studentTCdf, studentTQuantile, studentTTwoSided } from '../../src/core/replications/student-t.js';
import { SeededRandom } from '../../src/core/random/seeded-random.js';

describe("Student's t", () => {
  it('quantiles match the standard t table', () => {
    // t(0.975, df) and t(0.995, df) from the standard table.
    const table: Array<[number, number, number]> = [
      [0.975, 1, 12.706], [0.975, 2, 4.303], [0.975, 9, 2.262], [0.975, 19, 2.093], [0.975, 99, 1.984], [0.995, 19, 2.861], [0.95, 5, 2.015],
    ];
    for (const [p, df, t] of table) expect(studentTQuantile(p, df), `t(${p}, ${df})`).toBeCloseTo(t, 3);
    expect(studentTQuantile(0.975, 100_000)).toBeCloseTo(1.96, 2);
    expect(studentTQuantile(0.025, 19)).toBeCloseTo(-2.093, 3);
  });

  it('the distribution function is symmetric and inverts the quantile', () => {
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 12);
    expect(studentTCdf(1.3, 7) + studentTCdf(-1.3, 7)).toBeCloseTo(1, 12);
    expect(studentTCdf(studentTQuantile(0.9, 12), 12)).toBeCloseTo(0.9, 9);
    expect(studentTTwoSided(2.093, 19)).toBeCloseTo(0.05, 4);
  });
});

describe('interval statistics', () => {
  it('percentiles interpolate between order statistics (type 7)', () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(xs, 0.025)).toBeCloseTo(1.225, 10);
    expect(percentile(xs, 0.975)).toBeCloseTo(9.775, 10);
    expect(percentile([4], 0.5)).toBe(4);
  });

  it('summarise gives the mean, the t-interval of the mean and the percentile range, leaving nulls out', () => {
    const s = summarise([2, 4, 4, 4, 5, 5, 7, 9, null]);
    expect(s.n).toBe(8);
    expect(s.mean).toBe(5);
    const sd = Math.sqrt(32 / 7);
    expect(s.halfWidth).toBeCloseTo((2.365 * sd) / Math.sqrt(8), 2);
    expect(s.ciLow).toBeCloseTo(5 - s.halfWidth!, 12);
    expect(s.p025).toBeCloseTo(2.35, 10);
    expect(s.p975).toBeCloseTo(8.65, 10);
  });

  it('identical values: a zero-width interval; a zero mean is not significant, another mean is', () => {
    expect(summarise([0, 0, 0])).toMatchObject({ mean: 0, halfWidth: 0, p: 1 });
    expect(summarise([1.5, 1.5])).toMatchObject({ mean: 1.5, halfWidth: 0, p: 0 });
    expect(summarise([3])).toMatchObject({ mean: 3, halfWidth: null, p: null });
  });

  it("Holm's adjustment multiplies the k-th smallest p-value by m − k + 1 and keeps the order", () => {
    expect(holm([0.01, 0.04, 0.03, null, 0.005])).toEqual([0.03, 0.06, 0.06, null, 0.02]);
    expect(holm([0.5, 0.9])).toEqual([1, 1]);
    expect(holm([0.04, 0.01])).toEqual([0.04, 0.02]);
  });
});

describe('random variates of the resampling', () => {
  it('Poisson draws have mean and variance equal to the mean, small and large', () => {
    for (const mean of [3.5, 80, 2500]) {
      const random = new SeededRandom(mean * 10);
      const xs = Array.from({ length: 20_000 }, () => poisson(random, mean));
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
      // Standard error of the mean √(mean/n); of the variance about mean·√(2/n): 5 of them.
      expect(Math.abs(m - mean), `mean of Poisson(${mean})`).toBeLessThan(5 * Math.sqrt(mean / xs.length));
      expect(Math.abs(v - mean), `variance of Poisson(${mean})`).toBeLessThan(5 * mean * Math.sqrt(2 / xs.length) + 0.05);
      expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    }
  });

  it('gamma draws have mean and variance equal to the shape', () => {
    for (const shape of [0.5, 4, 100]) {
      const random = new SeededRandom(7);
      const xs = Array.from({ length: 20_000 }, () => gamma(random, shape));
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
      expect(Math.abs(m - shape)).toBeLessThan(5 * Math.sqrt(shape / xs.length));
      expect(Math.abs(v / shape - 1)).toBeLessThan(0.1);
    }
  });
});

describe("the replications block's intervals", () => {
  const row = (over: Partial<KpiRow>): KpiRow => ({ ...EMPTY_ROW, ...over });
  it('stay within what a figure can be; the half-width stays the t half-width', () => {
    // A small segment's service level over five days: 0.9 ± 0.6 by Student t.
    const levels = [1, 1, 1, 1, 0.2];
    const days: ReplicationRows[] = levels.map((sl, i) => {
      const r = row({ calls: 3 + i, serviceLevel: sl, abandonRate: 1 - sl, asaSec: sl === 1 ? 0 : 40 });
      return { overall: r, bySegment: { campus: r }, byQueue: {} };
    });
    const block = replicationsBlock(days, { seed: 1, method: 'test', queueOrder: [] });
    const sl = block.bySegment['campus']!.serviceLevel;
    const unclipped = summarise(levels);
    expect(unclipped.ciHigh!).toBeGreaterThan(1);
    expect(sl.ciHigh).toBe(1);
    expect(sl.ciLow).toBeCloseTo(unclipped.ciLow!, 4);
    expect(sl.halfWidth).toBeCloseTo(unclipped.halfWidth!, 4);
    const ab = block.overall.abandonRate;
    expect(summarise(levels.map((x) => 1 - x)).ciLow!).toBeLessThan(0);
    expect(ab.ciLow).toBe(0);
    expect(ab.ciHigh).toBeGreaterThan(0);
    expect(block.overall.asaSec.ciLow).toBe(0);
    expect(block.overall.asaSec.ciHigh).toBeGreaterThan(0);
  });
});
