/**
 * Regularised incomplete gamma functions P(a, x) and Q(a, x) = 1 − P(a, x), needed for the
 * Erlang A service level. Series below x < a + 1, continued fraction above, as in Numerical
 * Recipes §6.2: each converges quickly on its side and we return both P and Q so a caller can
 * subtract the one that is small and keep its precision.
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; relative error around 1e-15). */
export function lnGamma(x: number): number {
  if (x < 0.5) {
    // Reflection keeps the approximation in its accurate range.
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

export interface GammaPQ {
  p: number;
  q: number;
  /** ln p and ln q, accurate even where p or q underflows. */
  logP: number;
  logQ: number;
}

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 10_000_000;

/** Regularised lower (p) and upper (q) incomplete gamma functions, a > 0, x >= 0. */
export function regularizedGamma(a: number, x: number): GammaPQ {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`incomplete gamma needs a > 0 and x >= 0, got a=${a}, x=${x}`);
  if (x === 0) return { p: 0, q: 1, logP: -Infinity, logQ: 0 };
  if (x === Infinity) return { p: 1, q: 0, logP: 0, logQ: -Infinity };
  const logPrefix = a * Math.log(x) - x - lnGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < MAX_ITERATIONS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    const logP = Math.log(sum) + logPrefix;
    const p = Math.exp(logP);
    return { p, q: 1 - p, logP, logQ: Math.log1p(-p) };
  }
  // Modified Lentz evaluation of the continued fraction for Q.
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  const logQ = Math.log(h) + logPrefix;
  const q = Math.exp(logQ);
  return { p: 1 - q, q, logP: Math.log1p(-q), logQ };
}
