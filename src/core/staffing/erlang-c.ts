/**
 * Erlang C: the M/M/c queue (Poisson arrivals, exponential handle times, c identical agents,
 * callers who never hang up). The classic planning formula for a hotline; it ignores
 * abandonment, so it overstates waits when callers are impatient (see erlang-a.ts).
 */

import { checkErlangInputs, checkTargetServiceLevel } from './erlang-input.js';

export interface ErlangCInput {
  /** Offered calls per hour. */
  callsPerHour: number;
  /** Mean handle time in seconds (talk plus after-call work). */
  ahtSec: number;
  /** Number of agents (non-negative integer). */
  agents: number;
  /** A call counts as answered in time when it waits at most this long. */
  thresholdSec: number;
}

export interface ErlangCResult {
  agents: number;
  /** Offered load in Erlangs: arrival rate × mean handle time. */
  trafficErlangs: number;
  /** Probability that a call has to wait (every agent busy on arrival). */
  pWait: number;
  /** Probability that a call is answered within the threshold. */
  serviceLevel: number;
  /** Mean wait over all calls, those answered at once included. */
  asaSec: number;
  /** Fraction of staffed time the agents spend handling calls. */
  occupancy: number;
}

/** Offered load in Erlangs. */
export function trafficErlangs(callsPerHour: number, ahtSec: number): number {
  return (callsPerHour * ahtSec) / 3600;
}

/**
 * Erlang B blocking probability B(c, a) by the recursion B(k) = a·B(k−1) / (k + a·B(k−1)).
 * Every step stays in [0, 1], so it is stable for thousands of agents where a^c / c! overflows.
 */
export function erlangB(agents: number, traffic: number): number {
  let b = 1;
  for (let k = 1; k <= agents; k++) b = (traffic * b) / (k + traffic * b);
  return b;
}

/** P(wait) for c agents given B(c, a); only meaningful when c > a. */
function erlangCFromB(agents: number, traffic: number, b: number): number {
  return (agents * b) / (agents - traffic * (1 - b));
}

export function erlangC(input: ErlangCInput): ErlangCResult {
  checkErlangInputs(input);
  const { callsPerHour, ahtSec, agents, thresholdSec } = input;
  const a = trafficErlangs(callsPerHour, ahtSec);
  return figures(agents, a, ahtSec, thresholdSec, erlangB(agents, a));
}

/**
 * The smallest number of agents whose Erlang C service level reaches `targetSl`.
 * Walks up from the first stable head count, extending the Erlang B recursion one agent at a
 * time, so the cost is linear in the answer.
 */
export function agentsForServiceLevel(
  callsPerHour: number,
  ahtSec: number,
  targetSl: number,
  thresholdSec: number,
): ErlangCResult {
  checkErlangInputs({ callsPerHour, ahtSec, agents: 0, thresholdSec });
  checkTargetServiceLevel(targetSl);
  const a = trafficErlangs(callsPerHour, ahtSec);
  if (a === 0) return figures(0, 0, ahtSec, thresholdSec, 1);
  let c = Math.floor(a) + 1;
  let b = erlangB(c, a);
  for (;;) {
    const result = figures(c, a, ahtSec, thresholdSec, b);
    if (result.serviceLevel >= targetSl) return result;
    c += 1;
    b = (a * b) / (c + a * b);
  }
}

function figures(agents: number, a: number, ahtSec: number, thresholdSec: number, b: number): ErlangCResult {
  if (a === 0) {
    return { agents, trafficErlangs: 0, pWait: 0, serviceLevel: 1, asaSec: 0, occupancy: 0 };
  }
  if (agents <= a) {
    // No steady state: the queue grows without bound, so every call waits and none within
    // any threshold. Reported as figures rather than thrown, because a planner scanning head
    // counts meets this case routinely.
    return { agents, trafficErlangs: a, pWait: 1, serviceLevel: 0, asaSec: Infinity, occupancy: 1 };
  }
  const pWait = erlangCFromB(agents, a, b);
  // Waiting time given a wait is exponential with rate (c − a)/AHT.
  const drain = (agents - a) / ahtSec;
  return {
    agents,
    trafficErlangs: a,
    pWait,
    serviceLevel: 1 - pWait * Math.exp(-drain * thresholdSec),
    asaSec: pWait / drain,
    occupancy: a / agents,
  };
}
