/**
 * Reproducible random numbers for the core: mulberry32 (the generator the statistical tests
 * already use), small and fast, with a period of 2^32 — far more draws than a million-call
 * trace needs. The distributions are the few that call generation draws from.
 */
export class SeededRandom {
  private state: number;
  /** The second normal variate of a Box–Muller pair, kept for the next call. */
  private spareNormal: number | undefined;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    this.state = seed >>> 0;
  }

  /**
   * An independent stream for one concern (arrivals, callers, keys…): changing how one concern
   * draws then leaves the others' numbers unchanged, so two traces differ only where asked.
   */
  static stream(seed: number, label: string): SeededRandom {
    let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b);
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
    // murmur3 finaliser: nearby seeds and labels land far apart.
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return new SeededRandom(h >>> 0);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Exponential variate with the given mean; 1 − u keeps the logarithm away from zero. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Standard normal variate (Box–Muller). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return z;
    }
    const r = Math.sqrt(-2 * Math.log(1 - this.next()));
    const theta = 2 * Math.PI * this.next();
    this.spareNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /**
   * Lognormal variate given its own mean and coefficient of variation (standard deviation /
   * mean), the way handle times are quoted, rather than the parameters of the underlying normal.
   */
  lognormal(mean: number, cv: number): number {
    if (cv === 0) return mean;
    const sigma2 = Math.log(1 + cv * cv);
    const mu = Math.log(mean) - sigma2 / 2;
    return Math.exp(mu + Math.sqrt(sigma2) * this.normal());
  }

  /**
   * Poisson variate. Knuth's product method for small means; above 30 the normal
   * approximation with continuity correction (relative error under 1% in the bulk).
   */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Index drawn with probability proportional to its weight (weights ≥ 0, not all 0). */
  pick(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    if (!(total > 0)) throw new RangeError('pick needs at least one positive weight');
    let u = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i]!;
      if (u < 0) return i;
    }
    // Rounding can leave u at 0 after the last subtraction: the last positive weight wins.
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
    return weights.length - 1;
  }
}
