import { describe, expect, it } from 'vitest';
import { agentsForServiceLevel, erlangB, erlangC } from '../../src/core/staffing/erlang-c.js';
import { referenceFigures } from './reference-ctmc.js';

// 200 calls an hour at 180 s handle time: the textbook 10 Erlang load.
const TEN_ERLANGS = { callsPerHour: 200, ahtSec: 180 };

describe('Erlang C', () => {
  it('matches the published probabilities of waiting for a 10 Erlang load on 11 to 15 agents', () => {
    // Erlang C tables for A = 10 (e.g. Cooper, Introduction to Queueing Theory, table of C(c, A)).
    const published: Record<number, number> = { 11: 0.6821, 12: 0.4494, 13: 0.2853, 14: 0.1741, 15: 0.1020 };
    for (const [agents, pWait] of Object.entries(published)) {
      const result = erlangC({ ...TEN_ERLANGS, agents: Number(agents), thresholdSec: 20 });
      expect(result.trafficErlangs).toBeCloseTo(10, 12);
      expect(result.pWait).toBeCloseTo(pWait, 4);
    }
  });

  it('agrees with a direct Markov-chain solution of the M/M/c queue on wait, service level and ASA', () => {
    for (let agents = 11; agents <= 15; agents++) {
      for (const thresholdSec of [0, 20, 60]) {
        const result = erlangC({ ...TEN_ERLANGS, agents, thresholdSec });
        const reference = referenceFigures(
          { lambda: 200 / 3600, mu: 1 / 180, agents, theta: 0, maxInSystem: agents + 600 },
          thresholdSec,
        );
        expect(result.pWait).toBeCloseTo(reference.pWait, 10);
        expect(result.serviceLevel).toBeCloseTo(reference.serviceLevel, 9);
        expect(result.asaSec).toBeCloseTo(reference.asaSec, 6);
      }
    }
  });

  it('answers everyone within the threshold when the threshold is zero only if nobody waits', () => {
    const result = erlangC({ ...TEN_ERLANGS, agents: 12, thresholdSec: 0 });
    expect(result.serviceLevel).toBeCloseTo(1 - result.pWait, 14);
  });

  it('reports occupancy as traffic per agent', () => {
    expect(erlangC({ ...TEN_ERLANGS, agents: 12, thresholdSec: 20 }).occupancy).toBeCloseTo(10 / 12, 14);
  });

  it('improves with every agent added: more agents, less waiting, higher service level', () => {
    let previous = erlangC({ ...TEN_ERLANGS, agents: 11, thresholdSec: 20 });
    for (let agents = 12; agents <= 30; agents++) {
      const next = erlangC({ ...TEN_ERLANGS, agents, thresholdSec: 20 });
      expect(next.pWait).toBeLessThan(previous.pWait);
      expect(next.asaSec).toBeLessThan(previous.asaSec);
      expect(next.serviceLevel).toBeGreaterThan(previous.serviceLevel);
      previous = next;
    }
  });

  it('reports an overloaded queue as unstable instead of throwing', () => {
    for (const agents of [0, 5, 10]) {
      expect(erlangC({ ...TEN_ERLANGS, agents, thresholdSec: 20 })).toEqual({
        agents,
        trafficErlangs: 10,
        pWait: 1,
        serviceLevel: 0,
        asaSec: Infinity,
        occupancy: 1,
      });
    }
  });

  it('stays finite and accurate for hundreds of agents, where factorials would overflow', () => {
    // 9 600 calls an hour at 180 s: 480 Erlangs.
    const result = erlangC({ callsPerHour: 9600, ahtSec: 180, agents: 500, thresholdSec: 20 });
    expect(result.pWait).toBeGreaterThan(0);
    expect(result.pWait).toBeLessThan(1);
    const reference = referenceFigures(
      { lambda: 9600 / 3600, mu: 1 / 180, agents: 500, theta: 0, maxInSystem: 500 + 1000 },
      20,
    );
    expect(result.pWait).toBeCloseTo(reference.pWait, 8);
    expect(result.serviceLevel).toBeCloseTo(reference.serviceLevel, 8);
  });

  it('treats a queue with no calls as perfectly served', () => {
    expect(erlangC({ callsPerHour: 0, ahtSec: 180, agents: 3, thresholdSec: 20 })).toEqual({
      agents: 3,
      trafficErlangs: 0,
      pWait: 0,
      serviceLevel: 1,
      asaSec: 0,
      occupancy: 0,
    });
  });

  it('rejects nonsensical inputs with a message naming the input', () => {
    expect(() => erlangC({ callsPerHour: -1, ahtSec: 180, agents: 3, thresholdSec: 20 })).toThrow(/calls per hour/);
    expect(() => erlangC({ callsPerHour: 10, ahtSec: 0, agents: 3, thresholdSec: 20 })).toThrow(/handle time/);
    expect(() => erlangC({ callsPerHour: 10, ahtSec: 180, agents: 2.5, thresholdSec: 20 })).toThrow(/agents/);
    expect(() => erlangC({ callsPerHour: 10, ahtSec: 180, agents: 3, thresholdSec: -1 })).toThrow(/threshold/);
  });
});

describe('Erlang B recursion', () => {
  it('matches the closed form for small head counts', () => {
    // B(2, 1) = (1/2) / (1 + 1 + 1/2) = 0.2
    expect(erlangB(2, 1)).toBeCloseTo(0.2, 15);
    expect(erlangB(0, 7)).toBe(1);
  });
});

describe('agents for a service level', () => {
  it('finds the smallest head count that meets 80% within 20 s for 10 Erlangs', () => {
    const result = agentsForServiceLevel(200, 180, 0.8, 20);
    expect(result.serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(erlangC({ ...TEN_ERLANGS, agents: result.agents - 1, thresholdSec: 20 }).serviceLevel).toBeLessThan(0.8);
    expect(result.agents).toBe(14);
  });

  it('needs no agents when no calls are offered', () => {
    expect(agentsForServiceLevel(0, 180, 0.8, 20).agents).toBe(0);
  });

  it('scales to large centres', () => {
    const result = agentsForServiceLevel(20_000, 240, 0.9, 15);
    expect(result.agents).toBeGreaterThan(20_000 * 240 / 3600);
    expect(erlangC({ callsPerHour: 20_000, ahtSec: 240, agents: result.agents - 1, thresholdSec: 15 }).serviceLevel)
      .toBeLessThan(0.9);
  });

  it('refuses a target of 100%, which random arrivals never reach', () => {
    expect(() => agentsForServiceLevel(200, 180, 1, 20)).toThrow(/target service level/);
  });
});
