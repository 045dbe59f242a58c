/**
 * A tiny seeded pseudo-random generator (mulberry32) for property-style tests:
 * the same seed always produces the same cases, so a failure can be replayed.
 */

import { SeededRandom } from '../../src/core/random/seeded-random.js';

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export function mulberry32(seed: number): Random {
  // The product's own generator (src/core/random), so tests and the trace generator agree.
  const source = new SeededRandom(seed);
  const next = (): number => source.next();
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
  };
}
