import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/core/random/seeded-random.js';

// Tolerances: four standard errors of the estimate (see trace-generator.test.ts).
const Z = 4;
const n = 100_000;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]) => {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};

describe('SeededRandom', () => {
  it('is mulberry32: the first outputs for seed 12345 match an independent implementation', () => {
    // Reference values computed outside this code base (a Python transcription of mulberry32).
    const ours = new SeededRandom(12345);
    expect(Array.from({ length: 5 }, () => ours.next())).toEqual([
      0.9797282677609473, 0.3067522644996643, 0.484205421525985, 0.817934412509203, 0.5094283693470061,
    ]);
  });

  it('gives each labelled stream of a seed its own numbers, the same every time', () => {
    const first = (r: SeededRandom) => Array.from({ length: 5 }, () => r.next());
    expect(first(SeededRandom.stream(7, 'arrivals'))).toEqual(first(SeededRandom.stream(7, 'arrivals')));
    expect(first(SeededRandom.stream(7, 'arrivals'))).not.toEqual(first(SeededRandom.stream(7, 'callers')));
    expect(first(SeededRandom.stream(7, 'arrivals'))).not.toEqual(first(SeededRandom.stream(8, 'arrivals')));
  });

  it('draws integers in the closed range, each equally often', () => {
    const r = new SeededRandom(1);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < n; i++) counts[r.int(0, 5)]!++;
    const p = 1 / 6;
    for (const c of counts) expect(Math.abs(c / n - p)).toBeLessThan(Z * Math.sqrt((p * (1 - p)) / n));
  });

  it('exponential: mean as asked (sd of the mean = mean / sqrt(n))', () => {
    const r = new SeededRandom(2);
    const xs = Array.from({ length: n }, () => r.exponential(30));
    expect(Math.abs(mean(xs) - 30)).toBeLessThan((Z * 30) / Math.sqrt(n));
  });

  it('lognormal: mean and coefficient of variation as asked', () => {
    const r = new SeededRandom(3);
    const xs = Array.from({ length: n }, () => r.lognormal(240, 0.5));
    expect(Math.abs(mean(xs) - 240)).toBeLessThan((Z * 240 * 0.5) / Math.sqrt(n));
    // The sample sd of a lognormal with cv 0.5 (kurtosis about 8) has relative standard error
    // sqrt((8 - 1) / 4n) ≈ 0.0042, so the sample cv has one of about 0.0021; 0.0084 is four.
    expect(Math.abs(Math.sqrt(variance(xs)) / mean(xs) - 0.5)).toBeLessThan(0.0084);
    expect(new SeededRandom(3).lognormal(240, 0)).toBe(240);
  });

  it('poisson: mean and variance equal, for small and large means', () => {
    for (const [seed, m] of [[4, 3], [5, 80]] as const) {
      const r = new SeededRandom(seed);
      const xs = Array.from({ length: n }, () => r.poisson(m));
      expect(Math.abs(mean(xs) - m)).toBeLessThan(Z * Math.sqrt(m / n));
      // The sample variance of a Poisson has sd about m * sqrt(2 / n) (plus a small fourth-moment term).
      expect(Math.abs(variance(xs) - m)).toBeLessThan(Z * m * Math.sqrt(2 / n) * 1.1);
      expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    }
  });

  it('pick: indices in proportion to their weights, never one of weight 0', () => {
    const r = new SeededRandom(6);
    const weights = [1, 0, 3, 6];
    const counts = new Array<number>(4).fill(0);
    for (let i = 0; i < n; i++) counts[r.pick(weights)]!++;
    expect(counts[1]).toBe(0);
    weights.forEach((w, i) => {
      const p = w / 10;
      expect(Math.abs(counts[i]! / n - p)).toBeLessThan(Z * Math.sqrt((p * (1 - p)) / n) + 1e-12);
    });
    expect(() => r.pick([0, 0])).toThrow(RangeError);
  });
});
