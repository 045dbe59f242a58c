import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/config/config-error.js';
import { patienceModelFor, retrialProbabilityFor, sampleDelay, samplePatience, survival } from '../../src/core/behaviour/behaviour-sampling.js';
import { checkQueueBehaviour, loadQueueBehaviour, type PatienceModel, type QueueBehaviour } from '../../src/core/behaviour/queue-behaviour.js';
import { SeededRandom } from '../../src/core/random/seeded-random.js';

// Tolerances: four standard errors of each estimate (a binomial share, or a mean), as in
// seeded-random.test.ts; with fixed seeds the tests are deterministic.
const Z = 4;
const n = 50_000;

const km: PatienceModel = {
  kind: 'kaplanMeier',
  points: [
    [5, 0.9],
    [20, 0.75],
    [20.5, 0.75],
    [60, 0.5],
    [120, 0.4],
  ],
  tail: { kind: 'weibull', shape: 0.8, scaleSec: 150 },
};

function draws(model: PatienceModel, seed: number): number[] {
  const r = new SeededRandom(seed);
  return Array.from({ length: n }, () => samplePatience(model, r));
}

/** The share of draws above t, within Z binomial standard errors of S(t). */
function expectSurvival(xs: number[], model: PatienceModel, ts: number[]): void {
  for (const t of ts) {
    const s = survival(model, t);
    const observed = xs.filter((x) => x > t).length / xs.length;
    const se = Math.sqrt((s * (1 - s)) / xs.length);
    expect(Math.abs(observed - s), `S(${t}) = ${s}, observed ${observed}`).toBeLessThanOrEqual(Z * se + 1e-12);
  }
}

describe('patience drawn from a queue-behaviour model', () => {
  it('a Kaplan–Meier curve: the share still waiting at each time matches the curve, its Weibull tail included', () => {
    const xs = draws(km, 11);
    expectSurvival(xs, km, [1, 4.99, 5, 10, 19.99, 20, 40, 60, 100, 120, 150, 200, 400, 1000]);
  });

  it('a Kaplan–Meier curve steps: callers hang up exactly at its times, none before the first', () => {
    const xs = draws(km, 12);
    expect(Math.min(...xs)).toBe(5);
    const at = (t: number) => xs.filter((x) => x === t).length / n;
    // Each step's mass is the drop in survival; 20.5 s is a flat step and holds nobody.
    for (const [t, drop] of [
      [5, 0.1],
      [20, 0.15],
      [60, 0.25],
      [120, 0.1],
    ] as const) {
      expect(Math.abs(at(t) - drop)).toBeLessThanOrEqual(Z * Math.sqrt((drop * (1 - drop)) / n));
    }
    expect(at(20.5)).toBe(0);
    expect(xs.filter((x) => x > 120 && x < 120.0001).length).toBeLessThan(n * 0.01);
  });

  it('beyond the last point the exponential tail is conditional: the excess over it has the tail mean', () => {
    const model: PatienceModel = { kind: 'kaplanMeier', points: [[30, 0.6]], tail: { kind: 'exponential', meanSec: 80 } };
    const excess = draws(model, 13).filter((x) => x > 30).map((x) => x - 30);
    const mean = excess.reduce((a, b) => a + b, 0) / excess.length;
    expect(Math.abs(excess.length / n - 0.6)).toBeLessThanOrEqual(Z * Math.sqrt((0.6 * 0.4) / n));
    expect(Math.abs(mean - 80)).toBeLessThanOrEqual((Z * 80) / Math.sqrt(excess.length));
  });

  it('parametric models alone: exponential and Weibull survival as their formulas', () => {
    const exp: PatienceModel = { kind: 'exponential', meanSec: 90 };
    const wei: PatienceModel = { kind: 'weibull', shape: 1.6, scaleSec: 120 };
    expect(survival(exp, 90)).toBeCloseTo(Math.exp(-1), 12);
    expect(survival(wei, 120)).toBeCloseTo(Math.exp(-1), 12);
    expectSurvival(draws(exp, 14), exp, [10, 45, 90, 180, 400]);
    expectSurvival(draws(wei, 15), wei, [10, 60, 120, 200, 300]);
  });

  it('is deterministic for a seed', () => {
    expect(draws(km, 99).slice(0, 50)).toEqual(draws(km, 99).slice(0, 50));
    expect(draws(km, 99).slice(0, 50)).not.toEqual(draws(km, 98).slice(0, 50));
  });
});

describe('retrial delays', () => {
  it('empirical: every observed value equally likely', () => {
    const r = new SeededRandom(21);
    const values = [60, 120, 300, 900];
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const d = sampleDelay({ kind: 'empirical', valuesSec: values }, r);
      counts.set(d, (counts.get(d) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual(values);
    for (const c of counts.values()) expect(Math.abs(c / n - 0.25)).toBeLessThanOrEqual(Z * Math.sqrt((0.25 * 0.75) / n));
  });

  it('lognormal: mean as asked (sd of the mean = mean · cv / sqrt(n))', () => {
    const r = new SeededRandom(22);
    const xs = Array.from({ length: n }, () => sampleDelay({ kind: 'lognormal', meanSec: 600, cv: 0.5 }, r));
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    expect(Math.abs(mean - 600)).toBeLessThanOrEqual((Z * 600 * 0.5) / Math.sqrt(n));
    expect(Math.min(...xs)).toBeGreaterThan(0);
  });
});

describe('queue-behaviour files', () => {
  const behaviour: QueueBehaviour = {
    description: 'test',
    patience: { default: km, byQueue: { vip: { kind: 'exponential', meanSec: 300 } } },
    retrials: { probability: 0.25, byQueue: { vip: 0.5 }, delaySec: { kind: 'lognormal', meanSec: 600, cv: 1 } },
  };

  it('loads through the schema and survives a save and load; per-queue models win over the default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'queue-behaviour-'));
    const file = join(dir, 'behaviour.json');
    writeFileSync(file, JSON.stringify({ $schema: '../../schemas/queue-behaviour.schema.json', ...behaviour }, null, 2));
    const loaded = loadQueueBehaviour(file);
    expect(checkQueueBehaviour(JSON.parse(JSON.stringify(loaded)) as unknown, file)).toEqual(loaded);
    expect(patienceModelFor(loaded, 'vip')).toEqual({ kind: 'exponential', meanSec: 300 });
    expect(patienceModelFor(loaded, 'general')).toEqual(km);
    expect(patienceModelFor({}, 'general')).toBeUndefined();
    expect(retrialProbabilityFor(loaded.retrials!, 'vip')).toBe(0.5);
    expect(retrialProbabilityFor(loaded.retrials!, 'general')).toBe(0.25);
    expect(checkQueueBehaviour({}, file)).toEqual({});
  });

  const messages = (doc: unknown): string => {
    try {
      checkQueueBehaviour(doc, 'behaviour.json');
    } catch (err) {
      if (err instanceof ConfigError) return err.issues.map((i) => `${i.path} ${i.message}`).join('\n');
      throw err;
    }
    return '';
  };

  it.each([
    [{ patience: { default: { kind: 'exponential', meanSec: 0 } } }, '/patience/default/meanSec must be > 0'],
    [{ patience: { default: { kind: 'gamma', meanSec: 3 } } }, '/patience/default/kind must be one of "kaplanMeier", "exponential", "weibull"'],
    [{ patience: { default: { kind: 'weibull', shape: 1 } } }, '/patience/default missing required property "scaleSec"'],
    [{ patience: { default: { kind: 'kaplanMeier', points: [[10, 1.2]], tail: { kind: 'exponential', meanSec: 5 } } } }, '/patience/default/points/0/1 must be <= 1'],
    [{ patience: { default: { kind: 'kaplanMeier', points: [[10, 0.9], [5, 0.8]], tail: { kind: 'exponential', meanSec: 5 } } } }, '/patience/default/points/1/0 times must ascend: 5 s follows 10 s'],
    [{ patience: { default: km, byQueue: { vip: { kind: 'kaplanMeier', points: [[10, 0.5], [20, 0.6]], tail: { kind: 'exponential', meanSec: 5 } } } } }, '/patience/byQueue/vip/points/1/1 survival must not rise: 0.6 follows 0.5'],
    [{ patience: { default: { kind: 'kaplanMeier', points: [], tail: { kind: 'exponential', meanSec: 5 } } } }, '/patience/default/points must NOT have fewer than 1 items'],
    [{ retrials: { probability: 1.5, delaySec: { kind: 'empirical', valuesSec: [1] } } }, '/retrials/probability must be <= 1'],
    [{ retrials: { probability: 0.2, delaySec: { kind: 'empirical', valuesSec: [] } } }, '/retrials/delaySec/valuesSec must NOT have fewer than 1 items'],
    [{ retrials: { probability: 0.2 } }, '/retrials missing required property "delaySec"'],
    [{ patience: { byQueue: {} } }, '/patience missing required property "default"'],
    [{ patiense: {} }, 'unknown property "patiense"'],
  ])('refuses a bad file with the path and what was expected (%#)', (doc, expected) => {
    const said = messages(doc);
    expect(said).toContain(expected);
    // One clear message per problem, not one per branch of the model's kinds.
    expect(said).not.toMatch(/must be equal to constant|must match "then" schema/);
  });

  it('names the file, line and column of a JSON syntax error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'queue-behaviour-'));
    const file = join(dir, 'behaviour.json');
    writeFileSync(file, '{\n  "patience": {\n    "default": { "kind": "exponential", "meanSec": 10, }\n  }\n}\n');
    try {
      loadQueueBehaviour(file);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toContain(`${file}:3:`);
    }
  });
});
