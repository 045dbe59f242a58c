import { studentTQuantile, studentTTwoSided } from './student-t.js';

/** Confidence level of every interval the replications report. */
export const CONFIDENCE = 0.95;

/** What the replications say about one figure: where its mean is, and where one day lands. */
export interface FigureInterval {
  /** Mean over the replications. */
  mean: number | null;
  /** 95 % confidence interval of the mean (Student t with n − 1 degrees of freedom). */
  ciLow: number | null;
  ciHigh: number | null;
  halfWidth: number | null;
  /** 2.5 and 97.5 percentiles of the replications: the range a day like this lands in. */
  p025: number | null;
  p975: number | null;
}

/** Unrounded summary of a sample, with the paired t-test of "mean = 0". */
export interface SampleSummary extends FigureInterval {
  n: number;
  /** Two-sided p-value of the t-test of a zero mean; null with fewer than two values. */
  p: number | null;
}

/** Percentile by linear interpolation between order statistics (Hyndman & Fan type 7, R's default). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no values');
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Mean, t-interval of the mean, 2.5–97.5 percentile range and t-test p-value of the values that are not null. */
export function summarise(values: readonly (number | null)[]): SampleSummary {
  const xs = values.filter((v): v is number => v !== null);
  const n = xs.length;
  if (n === 0) return { n, mean: null, ciLow: null, ciHigh: null, halfWidth: null, p025: null, p975: null, p: null };
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / n;
  const sorted = [...xs].sort((a, b) => a - b);
  const range = { p025: percentile(sorted, 0.025), p975: percentile(sorted, 0.975) };
  if (n < 2) return { n, mean, ciLow: null, ciHigh: null, halfWidth: null, ...range, p: null };
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  const se = Math.sqrt(ss / (n - 1) / n);
  const halfWidth = studentTQuantile(1 - (1 - CONFIDENCE) / 2, n - 1) * se;
  // Identical values: the mean is known exactly; it differs from zero or it does not.
  const p = se === 0 ? (mean === 0 ? 1 : 0) : studentTTwoSided(mean / se, n - 1);
  return { n, mean, ciLow: mean - halfWidth, ciHigh: mean + halfWidth, halfWidth, ...range, p };
}

/**
 * Holm's step-down adjustment of p-values for a family of tests: the k-th smallest is
 * multiplied by (m − k + 1), and the adjusted values are kept non-decreasing. Rejecting
 * where the adjusted p-value is below α keeps the chance of any false "significant" in the
 * family at most α. Nulls (no test) stay null and do not count in the family.
 */
export function holm(ps: readonly (number | null)[]): (number | null)[] {
  const tested = ps.map((p, i) => ({ p, i })).filter((x): x is { p: number; i: number } => x.p !== null);
  tested.sort((a, b) => a.p - b.p || a.i - b.i);
  const m = tested.length;
  const out: (number | null)[] = ps.map(() => null);
  let running = 0;
  tested.forEach(({ p, i }, k) => {
    running = Math.max(running, Math.min(1, (m - k) * p));
    out[i] = running;
  });
  return out;
}

/** Rounds every figure of an interval to `digits` decimals. */
export function roundInterval(s: FigureInterval, digits: number): FigureInterval {
  const r = (x: number | null) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits + 0);
  return { mean: r(s.mean), ciLow: r(s.ciLow), ciHigh: r(s.ciHigh), halfWidth: r(s.halfWidth), p025: r(s.p025), p975: r(s.p975) };
}
