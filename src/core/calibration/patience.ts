import { estimate, Z95, type Estimate } from './estimate.js';

/** A wait seen in the log: an abandonment shows the caller's patience, an answer only that it was longer. */
export interface WaitObservation {
  waitSec: number;
  abandoned: boolean;
}

export interface KaplanMeierPoint {
  tSec: number;
  survival: number;
  /** Greenwood interval on the log(−log) scale. */
  ciLow: number;
  ciHigh: number;
  atRisk: number;
}

export type TailFit =
  | { kind: 'exponential'; meanSec: Estimate; logLikelihood: number }
  | { kind: 'weibull'; shape: Estimate; scaleSec: Estimate; logLikelihood: number };

export interface PatienceFit {
  /** Waits used: abandoned (events) + answered (censored). */
  n: number;
  abandoned: number;
  /** Step function at abandonment times while at least MIN_AT_RISK callers still wait (thinned: see STEP_TOLERANCE). */
  points: KaplanMeierPoint[];
  /** Both tails fitted to every wait (censored likelihood) and the one chosen. */
  exponential: Extract<TailFit, { kind: 'exponential' }>;
  weibull: Extract<TailFit, { kind: 'weibull' }> | undefined;
  tail: TailFit;
  /** Why the tail is what it is: the likelihood-ratio statistic against the exponential. */
  tailChoice: string;
  /** Median patience from the curve (undefined when it stays above 0.5). */
  medianSec: number | undefined;
}

/** Below this many callers still waiting the curve stops and the fitted tail takes over. */
export const MIN_AT_RISK = 20;
/** An abandonment at 0 s is placed just after 0, since the model's steps start after 0. */
const EPS_SEC = 0.001;
/** Chi-square(1) 95 % point: the Weibull is chosen only when it fits significantly better. */
const LR_CRITICAL = 3.841458820694124;

/**
 * Kaplan–Meier estimate of the patience distribution from waits: abandoned calls are observed
 * patience, answered calls are censored at their wait (the caller would have waited at least
 * that long). Ties: abandonments at t count before answers at t, which are still at risk at t.
 * Beyond the curve, a parametric tail (exponential, or Weibull when a likelihood-ratio test
 * at 5 % prefers it) fitted by maximum likelihood to all waits, censored ones included.
 */
export function fitPatience(observations: readonly WaitObservation[]): PatienceFit | undefined {
  const obs = observations.map((o) => ({ t: o.abandoned ? Math.max(o.waitSec, EPS_SEC) : o.waitSec, e: o.abandoned })).sort((a, b) => a.t - b.t || Number(b.e) - Number(a.e));
  const events = obs.filter((o) => o.e).length;
  if (events === 0) return undefined;
  const points: KaplanMeierPoint[] = [];
  let atRisk = obs.length;
  let s = 1;
  let greenwood = 0;
  for (let i = 0; i < obs.length; ) {
    const t = obs[i]!.t;
    let d = 0;
    let c = 0;
    while (i < obs.length && obs[i]!.t === t) {
      if (obs[i]!.e) d++;
      else c++;
      i++;
    }
    if (d > 0 && atRisk >= MIN_AT_RISK && t > 0) {
      s *= 1 - d / atRisk;
      if (atRisk > d) greenwood += d / (atRisk * (atRisk - d));
      points.push({ tSec: round3(t), survival: s, ...logLogInterval(s, greenwood), atRisk });
    }
    atRisk -= d + c;
  }
  const exponential = fitExponential(obs);
  const weibull = fitWeibull(obs);
  const lr = weibull ? 2 * (weibull.logLikelihood - exponential.logLikelihood) : 0;
  const useWeibull = weibull !== undefined && lr > LR_CRITICAL;
  const median = points.find((p) => p.survival <= 0.5)?.tSec;
  return {
    n: obs.length,
    abandoned: events,
    points: thinSteps(points).map((p) => ({ ...p, survival: round6(p.survival), ciLow: round6(p.ciLow), ciHigh: round6(p.ciHigh) })),
    exponential,
    weibull,
    tail: useWeibull ? weibull : exponential,
    tailChoice: weibull
      ? `likelihood ratio ${lr.toFixed(2)} ${useWeibull ? '>' : '≤'} ${LR_CRITICAL.toFixed(2)} (chi-square, 1 df, 5 %): ${useWeibull ? 'Weibull' : 'exponential'}`
      : 'exponential: too few abandonments for a Weibull fit',
    medianSec: median,
  };
}

/** Largest amount a thinned curve may lie above the full one between its kept steps. */
export const STEP_TOLERANCE = 0.002;

/**
 * Keeps a step once the curve has fallen STEP_TOLERANCE below the last kept one (and the last
 * step), so a log of thousands of abandonments gives a curve of a few hundred steps that is
 * nowhere more than STEP_TOLERANCE above the full estimate.
 */
function thinSteps(points: KaplanMeierPoint[]): KaplanMeierPoint[] {
  const out: KaplanMeierPoint[] = [];
  let kept = 1;
  points.forEach((p, i) => {
    if (kept - p.survival >= STEP_TOLERANCE - 1e-12 || i === points.length - 1) {
      out.push(p);
      kept = p.survival;
    }
  });
  return out;
}

function logLogInterval(s: number, greenwood: number): { ciLow: number; ciHigh: number } {
  if (s <= 0 || s >= 1) return { ciLow: s, ciHigh: s };
  const se = Math.sqrt(greenwood) / Math.abs(Math.log(s));
  return { ciLow: s ** Math.exp(Z95 * se), ciHigh: s ** Math.exp(-Z95 * se) };
}

/** Exponential MLE under censoring: events / total exposure; ln(mean) has standard error 1/√events. */
function fitExponential(obs: readonly { t: number; e: boolean }[]): Extract<TailFit, { kind: 'exponential' }> {
  let exposure = 0;
  let d = 0;
  for (const o of obs) {
    exposure += o.t;
    if (o.e) d++;
  }
  const mean = exposure / d;
  const se = 1 / Math.sqrt(d);
  return {
    kind: 'exponential',
    meanSec: estimate(mean, mean * Math.exp(-Z95 * se), mean * Math.exp(Z95 * se), d, 2),
    logLikelihood: -d * Math.log(mean) - exposure / mean,
  };
}

/**
 * Weibull MLE under censoring. For a shape k the best scale is (Σ tᵏ / events)^(1/k), so the
 * shape is found on the profile likelihood; intervals from the observed information of
 * (ln k, ln scale), by finite differences.
 */
function fitWeibull(obs: readonly { t: number; e: boolean }[]): Extract<TailFit, { kind: 'weibull' }> | undefined {
  const d = obs.filter((o) => o.e).length;
  if (d < 10) return undefined;
  const ts = obs.filter((o) => o.t > 0).map((o) => o.t);
  const sumLogEvents = obs.reduce((s, o) => s + (o.e ? Math.log(o.t) : 0), 0);
  // Scaled by the largest time so tᵏ stays finite for large k.
  const tMax = Math.max(...ts);
  const ll = (logK: number, logScale: number): number => {
    const k = Math.exp(logK);
    const lam = Math.exp(logScale);
    let sum = 0;
    for (const t of ts) sum += (t / lam) ** k;
    return d * Math.log(k) - d * k * logScale + (k - 1) * sumLogEvents - sum;
  };
  const bestScale = (logK: number): number => {
    const k = Math.exp(logK);
    let sum = 0;
    for (const t of ts) sum += (t / tMax) ** k;
    return Math.log(tMax) + Math.log(sum / d) / k;
  };
  const profile = (logK: number) => ll(logK, bestScale(logK));
  // Golden-section search on ln k in [ln 0.05, ln 20].
  let a = Math.log(0.05);
  let b = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let e = a + g * (b - a);
  let fc = profile(c);
  let fe = profile(e);
  for (let i = 0; i < 80; i++) {
    if (fc > fe) {
      b = e;
      e = c;
      fe = fc;
      c = b - g * (b - a);
      fc = profile(c);
    } else {
      a = c;
      c = e;
      fc = fe;
      e = a + g * (b - a);
      fe = profile(e);
    }
  }
  const logK = (a + b) / 2;
  const logS = bestScale(logK);
  const h = 1e-3;
  const f0 = ll(logK, logS);
  const faa = (ll(logK + h, logS) - 2 * f0 + ll(logK - h, logS)) / (h * h);
  const fbb = (ll(logK, logS + h) - 2 * f0 + ll(logK, logS - h)) / (h * h);
  const fab = (ll(logK + h, logS + h) - ll(logK + h, logS - h) - ll(logK - h, logS + h) + ll(logK - h, logS - h)) / (4 * h * h);
  // Inverse of the observed information −H.
  const det = faa * fbb - fab * fab;
  const varA = -fbb / det;
  const varB = -faa / det;
  const seA = Math.sqrt(Math.max(varA, 0));
  const seB = Math.sqrt(Math.max(varB, 0));
  const k = Math.exp(logK);
  const scale = Math.exp(logS);
  return {
    kind: 'weibull',
    shape: estimate(k, k * Math.exp(-Z95 * seA), k * Math.exp(Z95 * seA), d),
    scaleSec: estimate(scale, scale * Math.exp(-Z95 * seB), scale * Math.exp(Z95 * seB), d, 2),
    logLikelihood: f0,
  };
}

/** The survival function the fit stands for: the curve's steps, then the tail conditional on passing the last step. */
export function survivalAt(fit: Pick<PatienceFit, 'points' | 'tail'>, t: number): number {
  let s = 1;
  let last = 0;
  for (const p of fit.points) {
    if (p.tSec > t) return s;
    s = p.survival;
    last = p.tSec;
  }
  return s * (tailSurvival(fit.tail, t) / tailSurvival(fit.tail, last));
}

export function tailSurvival(tail: TailFit, t: number): number {
  return tail.kind === 'exponential' ? Math.exp(-t / tail.meanSec.value) : Math.exp(-((t / tail.scaleSec.value) ** tail.shape.value));
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
