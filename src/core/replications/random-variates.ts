import type { SeededRandom } from '../random/seeded-random.js';
import { lnGamma } from './student-t.js';

/**
 * Poisson variate with mean `mean`: multiplication of uniforms below 30, Hörmann's transformed
 * rejection (PTRS, as numpy uses it) above, so a busy interval costs a few draws, not thousands.
 */
export function poisson(random: SeededRandom, mean: number): number {
  if (!(mean >= 0) || !Number.isFinite(mean)) throw new RangeError(`Poisson mean must be finite and >= 0, got ${mean}`);
  if (mean === 0) return 0;
  if (mean < 30) {
    const limit = Math.exp(-mean);
    let k = 0;
    let prod = random.next();
    while (prod > limit) {
      k++;
      prod *= random.next();
    }
    return k;
  }
  const slam = Math.sqrt(mean);
  const loglam = Math.log(mean);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = random.next() - 0.5;
    const v = random.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -mean + k * loglam - lnGamma(k + 1)) return k;
  }
}

/** Gamma variate with shape `shape` and scale 1 (Marsaglia & Tsang; boosted below shape 1). */
export function gamma(random: SeededRandom, shape: number): number {
  if (!(shape > 0)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
  if (shape < 1) return gamma(random, shape + 1) * Math.pow(1 - random.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = random.normal();
    const v0 = 1 + c * x;
    if (v0 <= 0) continue;
    const v = v0 * v0 * v0;
    const u = 1 - random.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** A day-level volume factor with mean 1 and coefficient of variation `cv` (gamma distributed); exactly 1 when cv is 0. */
export function volumeFactor(random: SeededRandom, cv: number): number {
  if (cv === 0) return 1;
  const shape = 1 / (cv * cv);
  return gamma(random, shape) / shape;
}
