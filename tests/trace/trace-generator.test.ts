import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfiguration } from '../../src/core/configuration/configuration.js';
import { CallDecider } from '../../src/core/decision/call-decider.js';
import { hourlyRates } from '../../src/core/trace/arrival-process.js';
import type { CallerBehaviour } from '../../src/core/trace/caller-behaviour.js';
import { CallerPopulation } from '../../src/core/trace/caller-population.js';
import { loadDayProfile } from '../../src/core/trace/day-profile.js';
import { TraceGenerationError } from '../../src/core/trace/trace-generation-error.js';
import { formatTraceLine, TraceGenerator, type TraceGeneratorOptions } from '../../src/core/trace/trace-generator.js';
import type { TraceLine } from '../../src/core/trace/trace-line.js';
import { readTrace } from '../../src/core/trace/trace-reader.js';

/*
 * Statistical checks use fixed seeds, so they are deterministic; the tolerances are what a
 * fresh seed would need. Each is four standard errors (z = 4: a correct generator falls outside
 * with probability about 6e-5 per check), computed from the quantity's own distribution:
 *   a share p from n draws       binomial:   sd = sqrt(p (1 − p) / n)
 *   a mean of n exponential gaps              sd = mean / sqrt(n)
 *   a count with expectation λ   Poisson:    sd = sqrt(λ)
 *   a mean of n lognormal draws               sd = mean · cv / sqrt(n)
 */
const Z = 4;
const binomialTolerance = (p: number, n: number) => Z * Math.sqrt((p * (1 - p)) / n);

/** Three segments of 60, 30 and 10 customers: easy proportions to check. */
function population(): CallerPopulation {
  const members = [
    ...Array.from({ length: 60 }, (_, i) => ({ phone: `+861380000${String(i).padStart(4, '0')}`, segment: 'alpha' })),
    ...Array.from({ length: 30 }, (_, i) => ({ phone: `+861380001${String(i).padStart(4, '0')}`, segment: 'beta' })),
    ...Array.from({ length: 10 }, (_, i) => ({ phone: `+861380002${String(i).padStart(4, '0')}`, segment: 'gamma' })),
  ];
  const known = new Set(members.map((m) => m.phone));
  return new CallerPopulation(members, (p) => known.has(p), 'alpha');
}

function behaviour(over: Partial<CallerBehaviour> = {}): CallerBehaviour {
  return {
    presses: { bargeInShare: 0.3, afterSec: { mean: 4, cv: 0.5 } },
    behaviours: [
      { name: 'agent', weight: 3, keys: ['0'] },
      { name: 'data', weight: 1, keys: ['1', { oneOf: { '9': 1, '': 1 } }] },
      { name: 'campus-only', weight: 0, weightBySegment: { gamma: 5 }, keys: ['5'] },
    ],
    talkSec: { mean: 240, cv: 0.9, bySegment: { beta: { mean: 400, cv: 0.5 } } },
    patience: { meanSec: 120, unlimitedShare: 0.2 },
    hangupInIvr: { share: 0.05, afterSec: { mean: 15, cv: 0.6 } },
    ...over,
  };
}

const options = (over: Partial<TraceGeneratorOptions> = {}): TraceGeneratorOptions => ({
  calls: 2000,
  seed: 42,
  rate: { ratePerHour: 1200 },
  population: population(),
  behaviour: behaviour(),
  ...over,
});

/** The generator writes keys as shorthand text; '' when the caller presses nothing. */
const keysOf = (l: TraceLine): string => {
  if (Array.isArray(l.keys)) throw new Error('expected shorthand keys');
  return l.keys ?? '';
};
const generate = (over: Partial<TraceGeneratorOptions> = {}) => [...new TraceGenerator(options(over))];
const text = (lines: TraceLine[]) => lines.map((l) => formatTraceLine(l) + '\n').join('');
/** The segment of a number of the population above, or 'unknown'. */
const seg = (phone: string) =>
  phone.startsWith('+861380000') ? 'alpha' : phone.startsWith('+861380001') ? 'beta' : phone.startsWith('+861380002') ? 'gamma' : 'unknown';

describe('reproducibility', () => {
  it('the same seed and options give the same trace, byte for byte; another seed another trace', () => {
    expect(text(generate())).toBe(text(generate()));
    expect(text(generate({ seed: 43 }))).not.toBe(text(generate()));
  });

  it('changing who calls leaves when they call alone, and changing what callers do leaves who calls alone', () => {
    const base = generate();
    const otherMix = generate({ mix: new Map([['gamma', 0.9]]) });
    expect(otherMix.map((l) => l.arrivalSec)).toEqual(base.map((l) => l.arrivalSec));
    expect(otherMix.map((l) => l.caller)).not.toEqual(base.map((l) => l.caller));
    const otherKeys = generate({ behaviour: behaviour({ presses: { bargeInShare: 1, afterSec: { mean: 2, cv: 0.1 } } }) });
    expect(otherKeys.map((l) => l.caller)).toEqual(base.map((l) => l.caller));
    expect(otherKeys.map((l) => l.talkSec)).toEqual(base.map((l) => l.talkSec));
  });

  it('generates lazily: the first lines of a billion-call trace come at once', () => {
    const it = new TraceGenerator(options({ calls: 1_000_000_000 }))[Symbol.iterator]();
    expect([it.next().value, it.next().value].map((l) => l!.callId)).toEqual(['c0000000001', 'c0000000002']);
  });

  it('every line it writes reads back through the trace reader', async () => {
    const reader = readTrace(Readable.from([text(generate({ start: '2025-03-03T09:00:00+08:00' }))]));
    let n = 0;
    for await (const c of reader) expect(c.callId).toBe(`c${String(++n).padStart(6, '0')}`);
    expect(reader.stats()).toMatchObject({ calls: 2000, skipped: 0 });
  });
});

describe('arrivals', () => {
  it('at a constant rate are Poisson: mean gap 3600/rate, and memoryless', () => {
    const n = 20_000;
    const rate = 1200;
    const at = generate({ calls: n, rate: { ratePerHour: rate } }).map((l) => l.arrivalSec!);
    const gaps = at.map((t, i) => t - (i === 0 ? 0 : at[i - 1]!));
    const mean = 3600 / rate;
    expect(Math.abs(gaps.reduce((a, b) => a + b, 0) / n - mean)).toBeLessThan((Z * mean) / Math.sqrt(n));
    // For exponential gaps P(gap > mean) = e^-1.
    const longer = gaps.filter((g) => g > mean).length / n;
    expect(Math.abs(longer - Math.exp(-1))).toBeLessThan(binomialTolerance(Math.exp(-1), n));
    expect(at.every((t, i) => i === 0 || t >= at[i - 1]!)).toBe(true);
  });

  it('follow a day profile hour by hour', () => {
    const profile = loadDayProfile(new URL('../../data/day-profile.json', import.meta.url).pathname);
    // More calls than a day holds, so the whole first day is covered; each hour's count is Poisson.
    const at = generate({ calls: 25_000, rate: { profile } }).map((l) => l.arrivalSec!);
    expect(at.at(-1)!).toBeGreaterThan(86_400);
    const counts = new Array<number>(24).fill(0);
    for (const t of at) if (t < 86_400) counts[Math.floor(t / 3600)]!++;
    profile.hours.forEach((expected, h) => expect(Math.abs(counts[h]! - expected), `hour ${h}`).toBeLessThan(Z * Math.sqrt(expected)));
  });

  it('read the profile at the local hour of --start, and write arrivalTime at its offset', () => {
    const profile = loadDayProfile(new URL('../../data/day-profile.json', import.meta.url).pathname);
    const lines = generate({ calls: 1600, rate: { profile }, start: '2025-03-03T09:00:00+08:00' });
    expect(lines[0]!.arrivalTime).toMatch(/^2025-03-03T09:00:\d\d\.\d{3}\+08:00$/);
    expect(lines[0]).not.toHaveProperty('arrivalSec');
    const firstHour = lines.filter((l) => l.arrivalTime! < '2025-03-03T10:00').length;
    expect(Math.abs(firstHour - profile.hours[9]!)).toBeLessThan(Z * Math.sqrt(profile.hours[9]!));
  });

  it('scale a profile: relative weights to --calls a day, or any profile to a given hourly average', () => {
    const relative = { unit: 'relative' as const, hours: Array.from({ length: 24 }, (_, h) => (h < 8 ? 1 : 3)) };
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(hourlyRates({ profile: relative }, 5000))).toBeCloseTo(5000, 9);
    expect(sum(hourlyRates({ profile: relative, ratePerHour: 100 }, 5000)) / 24).toBeCloseTo(100, 9);
    const absolute = { unit: 'callsPerHour' as const, hours: relative.hours.map((w) => w * 50) };
    expect(hourlyRates({ profile: absolute }, 5000)).toEqual(absolute.hours);
    expect(hourlyRates({ profile: absolute, ratePerHour: 10 }, 5000)[0]).toBeCloseTo(10 * (50 / (sum(absolute.hours) / 24)), 9);
  });
});

describe('callers', () => {
  const n = 20_000;

  it('by default follow the natural mix of the customers file, with a tenth unknown', () => {
    const lines = generate({ calls: n });
    const unknown = lines.filter((l) => seg(l.caller!) === 'unknown').length;
    expect(Math.abs(unknown / n - 0.1)).toBeLessThan(binomialTolerance(0.1, n));
    const known = n - unknown;
    for (const [segment, p] of [['alpha', 0.6], ['beta', 0.3], ['gamma', 0.1]] as const) {
      const share = lines.filter((l) => seg(l.caller!) === segment).length / known;
      expect(Math.abs(share - p), segment).toBeLessThan(binomialTolerance(p, known));
    }
  });

  it('follow a given mix; segments it does not name share the rest in their natural proportions', () => {
    const lines = generate({ calls: n, mix: new Map([['gamma', 0.5]]), unknownShare: 0 });
    // alpha and beta split the remaining half 2:1.
    for (const [segment, p] of [['alpha', 1 / 3], ['beta', 1 / 6], ['gamma', 0.5]] as const) {
      const share = lines.filter((l) => seg(l.caller!) === segment).length / n;
      expect(Math.abs(share - p), segment).toBeLessThan(binomialTolerance(p, n));
    }
  });

  it('unknown numbers are never numbers of the customers file', () => {
    const lines = generate({ calls: 2000, unknownShare: 1 });
    expect(lines.every((l) => seg(l.caller!) === 'unknown' && /^\+861\d{10}$/.test(l.caller!))).toBe(true);
  });

  it('are segmented by the configuration: callers drawn for a segment are decided into it', () => {
    const config = loadConfiguration();
    const pop = CallerPopulation.fromConfiguration(config);
    const decider = new CallDecider(config);
    const lines = [...new TraceGenerator(options({ calls: 300, population: pop, mix: new Map([['vip-diamond', 0.5]]), unknownShare: 0 }))];
    const segments = lines.map((l) => decider.segmentFor({ caller: l.caller! }).id);
    expect(new Set(segments)).toEqual(new Set(pop.counts().keys()));
    const diamond = segments.filter((s) => s === 'vip-diamond').length / lines.length;
    expect(Math.abs(diamond - 0.5)).toBeLessThan(binomialTolerance(0.5, lines.length));
  });
});

describe('what callers do', () => {
  const n = 20_000;
  const lines = generate({ calls: n });

  it('behaviours are drawn by weight, and a segment-only behaviour stays in its segment', () => {
    const notGamma = lines.filter((l) => seg(l.caller!) !== 'gamma');
    const agent = notGamma.filter((l) => keysOf(l).replace(/@[\d.]+/g, '') === '0').length / notGamma.length;
    expect(Math.abs(agent - 0.75)).toBeLessThan(binomialTolerance(0.75, notGamma.length));
    expect(notGamma.some((l) => keysOf(l).startsWith('5'))).toBe(false);
    const gamma = lines.filter((l) => seg(l.caller!) === 'gamma');
    // gamma: agent 3, data 1, campus-only 5.
    const campus = gamma.filter((l) => keysOf(l).startsWith('5')).length / gamma.length;
    expect(Math.abs(campus - 5 / 9)).toBeLessThan(binomialTolerance(5 / 9, gamma.length));
  });

  it('a step that gives no keys ends the input; the others are pressed in order', () => {
    const data = new Set(lines.map((l) => keysOf(l).replace(/@[\d.]+/g, '')).filter((k) => k.startsWith('1')));
    expect(data).toEqual(new Set(['1', '1,9']));
  });

  it('a share of presses barge in with afterSec; the rest are pressed as the prompt ends', () => {
    const presses = lines.flatMap((l) => (keysOf(l) ? keysOf(l).split(',') : []));
    const barge = presses.filter((p) => p.includes('@')).length / presses.length;
    expect(Math.abs(barge - 0.3)).toBeLessThan(binomialTolerance(0.3, presses.length));
  });

  it('handle times are lognormal with the mean of the segment', () => {
    for (const [segment, mean, cv] of [['alpha', 240, 0.9], ['beta', 400, 0.5]] as const) {
      const talk = lines.filter((l) => seg(l.caller!) === segment).map((l) => l.talkSec!);
      // Whole seconds: rounding moves the mean by at most half a second.
      const tolerance = (Z * mean * cv) / Math.sqrt(talk.length) + 0.5;
      expect(Math.abs(talk.reduce((a, b) => a + b, 0) / talk.length - mean), segment).toBeLessThan(tolerance);
    }
  });

  it('a share of callers waits without limit; the others have exponential patience', () => {
    const limited = lines.filter((l) => l.patienceSec !== undefined).map((l) => l.patienceSec!);
    expect(Math.abs(1 - limited.length / n - 0.2)).toBeLessThan(binomialTolerance(0.2, n));
    expect(Math.abs(limited.reduce((a, b) => a + b, 0) / limited.length - 120)).toBeLessThan((Z * 120) / Math.sqrt(limited.length) + 0.05);
  });

  it('a small share hangs up in the IVR', () => {
    const hang = lines.filter((l) => l.hangupInIvrSec !== undefined).length / n;
    expect(Math.abs(hang - 0.05)).toBeLessThan(binomialTolerance(0.05, n));
  });
});

describe('options it refuses before writing anything', () => {
  it.each([
    ['a mix naming a segment nobody is in', { mix: new Map([['platinum', 0.1]]) }, 'no customer is in segment "platinum"; segments: alpha, beta, gamma'],
    ['mix shares over 1', { mix: new Map([['alpha', 0.7], ['beta', 0.6]]) }, 'the shares add up to 1.3, more than 1'],
    ['mix shares under 1 that name every segment', { mix: new Map([['alpha', 0.2], ['beta', 0.2], ['gamma', 0.2]]) }, 'must add up to 1'],
    ['a start without a UTC offset', { start: '2025-03-03T09:00:00' }, 'expected an ISO-8601 date-time with a UTC offset'],
    ['a segment with nothing to do', { behaviour: behaviour({ behaviours: [{ name: 'x', weight: 0, weightBySegment: { alpha: 1 }, keys: [] }] }) }, 'no behaviour has a weight above 0 for segment "beta"'],
    ['a rate of 0', { rate: { ratePerHour: 0 } }, 'the rate per hour must be a number above 0'],
  ] as [string, Partial<TraceGeneratorOptions>, string][])('%s', (_name, over, message) => {
    expect(() => new TraceGenerator(options(over))).toThrow(TraceGenerationError);
    expect(() => new TraceGenerator(options(over))).toThrow(message);
  });
});
