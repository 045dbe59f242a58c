/**
 * Erlang A: the M/M/c+M queue (Palm's model, as treated by Garnett, Mandelbaum and Reiman):
 * Poisson arrivals, exponential handle times, c agents, and callers whose patience is
 * exponential with mean `patienceSec`; a caller whose patience runs out before an agent
 * answers hangs up. Always stable, unlike Erlang C, because the queue sheds load.
 *
 * Service level here is P(answered within the threshold) over all offered calls, so a caller
 * who hangs up, however early, counts against it. That is the simulator's definition too
 * (see QueueKpiAccumulator), so the two can be compared figure for figure.
 */

import { erlangB, erlangC, trafficErlangs } from './erlang-c.js';
import { checkErlangInputs, checkTargetServiceLevel } from './erlang-input.js';
import { lnGamma, regularizedGamma } from './incomplete-gamma.js';

export interface ErlangAInput {
  callsPerHour: number;
  /** Mean handle time in seconds (talk plus after-call work). */
  ahtSec: number;
  agents: number;
  thresholdSec: number;
  /** Mean patience of a waiting caller in seconds; Infinity reduces to Erlang C. */
  patienceSec: number;
}

export interface ErlangAResult {
  agents: number;
  trafficErlangs: number;
  /** Probability that a call finds every agent busy. */
  pWait: number;
  /** Probability that a call hangs up before an agent answers. */
  pAbandon: number;
  /** P(answered within the threshold) over offered calls: abandons count against. */
  serviceLevel: number;
  /** Mean wait of answered calls (zero waits included). Infinity when no call is answered. */
  asaSec: number;
  /** Fraction of staffed time spent handling calls: carried (answered) load ÷ agents. */
  occupancy: number;
}

// Terms of the queue-length series this far (in natural log) below the largest are dropped.
const NEGLIGIBLE_LOG = -46;
const MAX_TERMS = 50_000_000;

export function erlangA(input: ErlangAInput): ErlangAResult {
  checkInput(input);
  const { callsPerHour, ahtSec, agents: c, thresholdSec, patienceSec } = input;
  const a = trafficErlangs(callsPerHour, ahtSec);
  if (a === 0) {
    return { agents: c, trafficErlangs: 0, pWait: 0, pAbandon: 0, serviceLevel: 1, asaSec: 0, occupancy: 0 };
  }
  if (patienceSec === Infinity) {
    // Infinitely patient callers never abandon: exactly Erlang C.
    return { ...erlangC({ callsPerHour, ahtSec, agents: c, thresholdSec }), pAbandon: 0 };
  }
  if (c === 0) {
    return { agents: 0, trafficErlangs: a, pWait: 1, pAbandon: 1, serviceLevel: 0, asaSec: Infinity, occupancy: 0 };
  }

  const lambda = callsPerHour / 3600;
  const theta = 1 / patienceSec;
  // Rates scaled by the abandonment rate: x = cμ/θ, y = λ/θ. With k callers waiting, the
  // birth-death chain moves up at λ and down at cμ + kθ, so π(c+k)/π(c) = Π_{i=1..k} y/(x+i).
  const x = c / ahtSec / theta;
  const y = lambda / theta;

  const logA = logSeriesSum(x, y);
  const b = erlangB(c, a);
  // P(N ≥ c) = A·B / (1 + (A−1)·B), rearranged so that neither A (which can overflow) nor
  // 1/B (which can overflow when B underflows) is formed.
  const pWait = b === 0 ? 0 : 1 / (1 + Math.exp(Math.log1p(-b) - logA - Math.log(b)));

  // A caller who finds k others waiting is answered after a sum of exponential stages with
  // rates θ(x+j), j = k..0, provided its own patience outlasts them: P = x/(x+k+1), and
  // E[wait; answered] = x/(x+k+1) · Σ_{i=1..k+1} 1/(θ(x+i)). Weighted by the queue length
  // an arriving caller sees.
  let servedGivenWait = 0;
  let waitServedGivenWait = 0;
  forEachTerm(x, y, logA, (k, weight, harmonic) => {
    const served = x / (x + k + 1);
    servedGivenWait += weight * served;
    waitServedGivenWait += (weight * served * harmonic) / theta;
  });

  const pAbandon = pWait * (1 - servedGivenWait);
  const pServed = 1 - pAbandon;
  const asaSec = (pWait * waitServedGivenWait) / pServed;
  const serviceLevel = 1 - pWait + pWait * answeredWithinGivenWait(x, y, logA, theta * thresholdSec);
  return {
    agents: c,
    trafficErlangs: a,
    pWait,
    pAbandon,
    serviceLevel: clamp01(serviceLevel),
    asaSec,
    occupancy: Math.min(1, (a * pServed) / c),
  };
}

/**
 * The smallest number of agents whose Erlang A service level reaches `targetSl`. The service
 * level grows with the head count, so a doubling search followed by bisection needs only a
 * logarithmic number of evaluations.
 */
export function agentsForServiceLevelErlangA(
  callsPerHour: number,
  ahtSec: number,
  patienceSec: number,
  targetSl: number,
  thresholdSec: number,
): ErlangAResult {
  checkTargetServiceLevel(targetSl);
  const at = (agents: number) => erlangA({ callsPerHour, ahtSec, agents, thresholdSec, patienceSec });
  let best = at(0);
  if (best.serviceLevel >= targetSl) return best;
  let low = 0; // known to miss the target
  let high = Math.max(1, Math.ceil(trafficErlangs(callsPerHour, ahtSec)));
  best = at(high);
  while (best.serviceLevel < targetSl) {
    low = high;
    high *= 2;
    best = at(high);
  }
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    const result = at(mid);
    if (result.serviceLevel >= targetSl) {
      high = mid;
      best = result;
    } else {
      low = mid;
    }
  }
  return best;
}

/** ln Σ_{k≥0} Π_{i=1..k} y/(x+i): the waiting states' mass relative to π(c). */
function logSeriesSum(x: number, y: number): number {
  let logSum = -Infinity;
  forEachLogTerm(x, y, () => logSum, (_k, logTerm) => {
    logSum = logAdd(logSum, logTerm);
  });
  return logSum;
}

function forEachTerm(
  x: number,
  y: number,
  logTotal: number,
  visit: (k: number, weight: number, harmonic: number) => void,
): void {
  let harmonic = 0; // Σ_{i=1..k+1} 1/(x+i)
  forEachLogTerm(x, y, () => logTotal, (k, logTerm) => {
    harmonic += 1 / (x + k + 1);
    visit(k, Math.exp(logTerm - logTotal), harmonic);
  });
}

/**
 * Walks k = 0, 1, … with ln Π_{i=1..k} y/(x+i). The terms rise while x + k < y and then
 * fall faster than geometrically, so the walk stops once past the peak and negligible.
 */
function forEachLogTerm(
  x: number,
  y: number,
  logReference: () => number,
  visit: (k: number, logTerm: number) => void,
): void {
  const logY = Math.log(y);
  let logTerm = 0;
  for (let k = 0; k < MAX_TERMS; k++) {
    if (k > 0) logTerm += logY - Math.log(x + k);
    visit(k, logTerm);
    if (x + k > y && logTerm - logReference() < NEGLIGIBLE_LOG) return;
  }
  throw new RangeError('patience too long for Erlang A at this load; use Erlang C');
}

/**
 * P(answered within t | had to wait). Summing the waiting-time densities over the queue
 * length seen on arrival gives the density θx·e^{−θxs}·e^{y(1−e^{−θs})} (relative to π(c));
 * weighting by the chance e^{−θs} that the caller is still there and substituting
 * u = y·e^{−θs} turns the integral over [0, t] into incomplete gamma functions:
 * x·e^y·y^{−(x+1)}·[γ(x+1, y) − γ(x+1, y·e^{−θt})].
 */
function answeredWithinGivenWait(x: number, y: number, logA: number, thetaT: number): number {
  const shape = x + 1;
  const upper = regularizedGamma(shape, y);
  const lower = regularizedGamma(shape, y * Math.exp(-thetaT));
  // ln[P(shape, y) − P(shape, lower)], subtracting whichever tails are small so that their
  // digits survive; with many agents and patient callers both can be far below 1e-308,
  // which the huge e^y of the coefficient then cancels.
  let logDifference: number;
  if (upper.p <= 0.5) logDifference = upper.logP + Math.log(-Math.expm1(lower.logP - upper.logP));
  else if (lower.q <= 0.5) logDifference = lower.logQ + Math.log(-Math.expm1(upper.logQ - lower.logQ));
  else logDifference = Math.log(lower.q - upper.q);
  if (!(logDifference > -Infinity)) return 0;
  const logCoefficient = Math.log(x) + y - shape * Math.log(y) + lnGamma(shape) - logA;
  return Math.exp(logCoefficient + logDifference);
}

function logAdd(p: number, q: number): number {
  if (p === -Infinity) return q;
  const hi = Math.max(p, q);
  return hi + Math.log1p(Math.exp(Math.min(p, q) - hi));
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

function checkInput(input: ErlangAInput): void {
  checkErlangInputs(input);
  if (!(input.patienceSec > 0)) {
    throw new RangeError(`patience must be a number of seconds > 0 (or Infinity), got ${input.patienceSec}`);
  }
}
