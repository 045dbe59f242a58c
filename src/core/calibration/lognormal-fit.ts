import { estimate, quantile, sampleMean, Z95, type Estimate } from './estimate.js';

/** A lognormal fitted by maximum likelihood, quoted as the simulator's generators take it (mean, cv). */
export interface LognormalFit {
  /** Mean and standard deviation of ln(x). */
  mu: Estimate;
  sigma: Estimate;
  /** exp(mu + sigma²/2), with a delta-method interval. */
  meanSec: Estimate;
  cv: number;
}

/** The empirical distribution of a duration: what the log says, before any model. */
export interface EmpiricalSummary {
  n: number;
  meanSec: Estimate;
  medianSec: number;
  p90Sec: number;
  maxSec: number;
  /** Counts in equal-width bins from 0, for the report's histogram. */
  histogram: { binSec: number; counts: number[] };
}

/** Fits a lognormal to positive durations (values ≤ 0 are left out: ln is undefined there). */
export function fitLognormal(values: readonly number[]): LognormalFit | undefined {
  const logs = values.filter((v) => v > 0).map(Math.log);
  const n = logs.length;
  if (n < 3) return undefined;
  const mu = logs.reduce((s, x) => s + x, 0) / n;
  const s2 = logs.reduce((s, x) => s + (x - mu) ** 2, 0) / (n - 1);
  const sigma = Math.sqrt(s2);
  const seMu = sigma / Math.sqrt(n);
  // sigma's interval from the normal approximation of ln(s): se ≈ 1 / sqrt(2(n−1)).
  const seLogSigma = 1 / Math.sqrt(2 * (n - 1));
  const mean = Math.exp(mu + s2 / 2);
  // Delta method for ln(mean) = mu + sigma²/2: var = sigma²/n + sigma⁴/(2(n−1)).
  const seLogMean = Math.sqrt(s2 / n + (s2 * s2) / (2 * (n - 1)));
  return {
    mu: estimate(mu, mu - Z95 * seMu, mu + Z95 * seMu, n),
    sigma: estimate(sigma, sigma * Math.exp(-Z95 * seLogSigma), sigma * Math.exp(Z95 * seLogSigma), n),
    meanSec: estimate(mean, mean * Math.exp(-Z95 * seLogMean), mean * Math.exp(Z95 * seLogMean), n, 2),
    cv: Math.round(Math.sqrt(Math.exp(s2) - 1) * 10_000) / 10_000,
  };
}

export function summarise(values: readonly number[], bins = 30): EmpiricalSummary {
  const sorted = [...values].sort((a, b) => a - b);
  const max = sorted.length ? sorted[sorted.length - 1]! : 0;
  // Bins up to the 99th percentile, so one very long call does not flatten the rest.
  const top = Math.max(1, quantile(sorted, 0.99));
  const binSec = niceBin(top / bins);
  const counts = new Array<number>(Math.ceil(top / binSec) + 1).fill(0);
  for (const v of sorted) counts[Math.min(counts.length - 1, Math.floor(v / binSec))]!++;
  return {
    n: sorted.length,
    meanSec: sampleMean(sorted),
    medianSec: Math.round(quantile(sorted, 0.5) * 100) / 100,
    p90Sec: Math.round(quantile(sorted, 0.9) * 100) / 100,
    maxSec: max,
    histogram: { binSec, counts },
  };
}

function niceBin(x: number): number {
  const steps = [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600];
  return steps.find((s) => s >= x) ?? 3600;
}
