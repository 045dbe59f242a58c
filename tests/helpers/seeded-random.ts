/**
 * Reproducible random numbers for statistical tests: mulberry32, a 32-bit generator that is
 * small, fast and good enough for simulation inputs (it passes gjrand and PractRand to 2^32),
 * plus the few distributions the tests draw from.
 */

import { SeededRandom } from '../../src/core/random/seeded-random.js';

export type Random = () => number;

/** Uniform numbers in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): Random {
  // The product's own generator (src/core/random), so tests and the trace generator agree.
  const source = new SeededRandom(seed);
  return () => source.next();
}

/** Exponential variate with the given mean; 1 − u keeps the logarithm away from zero. */
export function exponential(random: Random, mean: number): number {
  return -mean * Math.log(1 - random());
}
