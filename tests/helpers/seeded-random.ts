/**
 * Reproducible random numbers for statistical tests: mulberry32, a 32-bit generator that is
 * small, fast and good enough for simulation inputs (it passes gjrand and PractRand to 2^32),
 * plus the few distributions the tests draw from.
 */

export type Random = () => number;

/** Uniform numbers in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Exponential variate with the given mean; 1 − u keeps the logarithm away from zero. */
export function exponential(random: Random, mean: number): number {
  return -mean * Math.log(1 - random());
}
