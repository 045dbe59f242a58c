import { describe, expect, it } from 'vitest';
import { agentsForServiceLevelErlangA, erlangA } from '../../src/core/staffing/erlang-a.js';
import { erlangC } from '../../src/core/staffing/erlang-c.js';
import { referenceFigures } from './reference-ctmc.js';

const cases = [
  // A 10 Erlang queue across under-, critically and over-staffed head counts.
  { callsPerHour: 200, ahtSec: 180, patienceSec: 120, agents: [6, 9, 10, 11, 13, 16] },
  // Short patience relative to handle time: most waiting callers give up.
  { callsPerHour: 600, ahtSec: 300, patienceSec: 30, agents: [40, 50, 55] },
  // Very patient callers: close to Erlang C.
  { callsPerHour: 120, ahtSec: 240, patienceSec: 3600, agents: [9, 10] },
];

describe('Erlang A', () => {
  it('agrees with a direct solution of the truncated Markov chain', () => {
    for (const { callsPerHour, ahtSec, patienceSec, agents: heads } of cases) {
      for (const agents of heads) {
        for (const thresholdSec of [0, 20, 90]) {
          const result = erlangA({ callsPerHour, ahtSec, agents, thresholdSec, patienceSec });
          const lambda = callsPerHour / 3600;
          const theta = 1 / patienceSec;
          // Keep states until the queue's death rate dwarfs arrivals; beyond that the mass is negligible.
          const maxInSystem = agents + Math.ceil((lambda * 40 + lambda) / theta) + 200;
          const reference = referenceFigures(
            { lambda, mu: 1 / ahtSec, agents, theta, maxInSystem: Math.min(maxInSystem, agents + 3000) },
            thresholdSec,
          );
          const label = `${callsPerHour}/h, ${ahtSec}s, ${patienceSec}s patience, ${agents} agents, ${thresholdSec}s`;
          expect(result.pWait, label).toBeCloseTo(reference.pWait, 8);
          expect(result.pAbandon, label).toBeCloseTo(reference.pAbandon, 8);
          expect(result.serviceLevel, label).toBeCloseTo(reference.serviceLevel, 8);
          expect(result.asaSec, label).toBeCloseTo(reference.asaSec, 5);
        }
      }
    }
  });

  it('counts abandoned callers against the service level: answered within the threshold over offered', () => {
    const result = erlangA({ callsPerHour: 200, ahtSec: 180, agents: 9, thresholdSec: 1e6, patienceSec: 120 });
    // With an unreachable threshold every answered call is "in time", so SL = 1 − P(abandon).
    expect(result.serviceLevel).toBeCloseTo(1 - result.pAbandon, 10);
  });

  it('stays stable with fewer agents than the offered load, because callers hang up', () => {
    const result = erlangA({ callsPerHour: 200, ahtSec: 180, agents: 5, thresholdSec: 20, patienceSec: 60 });
    expect(result.pAbandon).toBeGreaterThan(0.3);
    expect(result.pAbandon).toBeLessThan(1);
    expect(Number.isFinite(result.asaSec)).toBe(true);
    expect(result.occupancy).toBeLessThanOrEqual(1);
  });

  it('approaches Erlang C as callers become infinitely patient', () => {
    const c = erlangC({ callsPerHour: 200, ahtSec: 180, agents: 12, thresholdSec: 20 });
    const a = erlangA({ callsPerHour: 200, ahtSec: 180, agents: 12, thresholdSec: 20, patienceSec: 1e7 });
    expect(a.pWait).toBeCloseTo(c.pWait, 3);
    expect(a.serviceLevel).toBeCloseTo(c.serviceLevel, 3);
    expect(a.pAbandon).toBeLessThan(1e-4);
    const infinite = erlangA({ callsPerHour: 200, ahtSec: 180, agents: 12, thresholdSec: 20, patienceSec: Infinity });
    expect(infinite).toEqual({ ...c, pAbandon: 0 });
  });

  it('waits less and loses fewer callers with every agent added', () => {
    const at = (agents: number) =>
      erlangA({ callsPerHour: 600, ahtSec: 240, agents, thresholdSec: 20, patienceSec: 90 });
    let previous = at(20);
    for (let agents = 21; agents <= 60; agents++) {
      const next = at(agents);
      expect(next.pWait).toBeLessThan(previous.pWait);
      expect(next.pAbandon).toBeLessThan(previous.pAbandon);
      expect(next.serviceLevel).toBeGreaterThan(previous.serviceLevel);
      expect(next.asaSec).toBeLessThan(previous.asaSec);
      previous = next;
    }
  });

  it('loses more callers when they are less patient', () => {
    const at = (patienceSec: number) =>
      erlangA({ callsPerHour: 600, ahtSec: 240, agents: 40, thresholdSec: 20, patienceSec });
    expect(at(30).pAbandon).toBeGreaterThan(at(120).pAbandon);
    expect(at(120).pAbandon).toBeGreaterThan(at(600).pAbandon);
  });

  it('stays finite for hundreds of agents and heavy overload', () => {
    const big = erlangA({ callsPerHour: 9600, ahtSec: 180, agents: 500, thresholdSec: 20, patienceSec: 120 });
    expect(big.pWait).toBeGreaterThan(0);
    expect(big.serviceLevel).toBeGreaterThan(0.9);
    const overloaded = erlangA({ callsPerHour: 36_000, ahtSec: 180, agents: 100, thresholdSec: 20, patienceSec: 600 });
    expect(overloaded.pWait).toBeCloseTo(1, 10);
    // Carried load cannot exceed the agents: P(abandon) ≥ 1 − c/A = 1 − 100/1800.
    expect(overloaded.pAbandon).toBeGreaterThan(1 - 100 / 1800 - 1e-9);
    expect(overloaded.occupancy).toBeLessThanOrEqual(1);
    for (const value of Object.values(overloaded)) expect(Number.isFinite(value)).toBe(true);
  });

  it('with no agents, every caller waits and hangs up', () => {
    expect(erlangA({ callsPerHour: 60, ahtSec: 180, agents: 0, thresholdSec: 20, patienceSec: 60 })).toEqual({
      agents: 0,
      trafficErlangs: 3,
      pWait: 1,
      pAbandon: 1,
      serviceLevel: 0,
      asaSec: Infinity,
      occupancy: 0,
    });
  });

  it('rejects a patience that is not a positive number of seconds', () => {
    expect(() => erlangA({ callsPerHour: 60, ahtSec: 180, agents: 2, thresholdSec: 20, patienceSec: 0 })).toThrow(
      /patience/,
    );
  });
});

describe('agents for a service level under Erlang A', () => {
  it('finds the smallest head count meeting the target', () => {
    const result = agentsForServiceLevelErlangA(600, 240, 90, 0.8, 20);
    expect(result.serviceLevel).toBeGreaterThanOrEqual(0.8);
    const oneFewer = erlangA({ callsPerHour: 600, ahtSec: 240, agents: result.agents - 1, thresholdSec: 20, patienceSec: 90 });
    expect(oneFewer.serviceLevel).toBeLessThan(0.8);
  });

  it('needs fewer agents than Erlang C predicts when impatient callers shed load', () => {
    const a = agentsForServiceLevelErlangA(600, 240, 60, 0.8, 20);
    const c = erlangC({ callsPerHour: 600, ahtSec: 240, agents: a.agents, thresholdSec: 20 });
    expect(a.agents).toBeGreaterThan(0);
    expect(c.serviceLevel).toBeLessThan(a.serviceLevel);
  });
});
