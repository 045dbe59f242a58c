/** A number estimated from the log, with its 95 % confidence interval and the sample it rests on. */
export interface Estimate {
  value: number;
  ciLow: number;
  ciHigh: number;
  /** Observations the estimate rests on (calls, events, agents' calls…, as its field says). */
  n: number;
}

/** Two-sided 95 %. */
export const Z95 = 1.959963984540054;

export function round(x: number, digits = 4): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function estimate(value: number, ciLow: number, ciHigh: number, n: number, digits = 4): Estimate {
  return { value: round(value, digits), ciLow: round(ciLow, digits), ciHigh: round(ciHigh, digits), n };
}

/** A share k/n with Wilson's score interval (sound for small n and shares near 0 or 1). */
export function proportion(k: number, n: number): Estimate {
  if (n === 0) return { value: NaN, ciLow: 0, ciHigh: 1, n: 0 };
  const p = k / n;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return estimate(p, Math.max(0, centre - half), Math.min(1, centre + half), n);
}

/** A Poisson count's 95 % interval (Wilson–Hilferty approximation of the exact chi-square limits). */
export function poissonInterval(count: number): { low: number; high: number } {
  const wh = (k: number, z: number) => k * (1 - 1 / (9 * k) + (z / 3) * Math.sqrt(1 / k)) ** 3;
  return { low: count === 0 ? 0 : wh(count, -Z95), high: wh(count + 1, Z95) };
}

/** Mean of a sample with its normal-approximation interval. */
export function sampleMean(xs: readonly number[]): Estimate {
  const n = xs.length;
  if (n === 0) return { value: NaN, ciLow: NaN, ciHigh: NaN, n: 0 };
  let s = 0;
  for (const x of xs) s += x;
  const m = s / n;
  let ss = 0;
  for (const x of xs) ss += (x - m) ** 2;
  const se = n > 1 ? Math.sqrt(ss / (n - 1) / n) : NaN;
  return estimate(m, m - Z95 * se, m + Z95 * se, n, 2);
}

/** The q-quantile of sorted values (linear interpolation). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
