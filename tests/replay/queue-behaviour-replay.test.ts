import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueueBehaviour } from '../../src/core/behaviour/queue-behaviour.js';
import { loadConfiguration } from '../../src/core/configuration/configuration.js';
import type { ReplayCall } from '../../src/core/replay/compact-decision.js';
import { replayRecordedDay } from '../../src/core/replications/recorded-day.js';
import { ReplayRun, type Scenario } from '../../src/core/replay/replay-run.js';
import { replayTrace } from '../../src/core/replay/replay-trace.js';
import type { RecordedDay } from '../../src/core/replications/trace-resampler.js';
import type { CallOutcome } from '../../src/core/simulation/call-outcome.js';
import type { Staffing } from '../../src/core/staffing/staffing.js';
import { loadStaffingFile } from '../../src/core/staffing/staffing-file.js';
import { erlangA } from '../../src/core/staffing/erlang-a.js';
import { exponential, mulberry32 } from '../helpers/seeded-random.js';
import { scratch } from '../helpers/trace-files.js';

const TEN = 10 * 3600;
const config = loadConfiguration();

// Tolerances: four standard errors, as in the other statistical tests.
const Z = 4;

function staffing(agents: number): Staffing {
  return {
    serviceLevel: { target: 0.8, thresholdSec: 30 },
    intervalMin: 30,
    defaultWrapSec: 0,
    queues: [{ id: 'general' }, { id: 'vip' }],
    groups: [
      { id: 'floor', skills: { general: 1 }, agents },
      { id: 'vip', skills: { vip: 1 }, agents: 5 },
    ],
  };
}

function scenario(agents: number, behaviour?: QueueBehaviour, seed = 1): Scenario {
  return { config, staffing: staffing(agents), staffingSource: 'test', seed, ...(behaviour ? { behaviour } : {}) };
}

/** An ACD-level call into `general` at 10:00 + `at` seconds. */
function line(callId: string, at: number, extra: Partial<ReplayCall> = {}): ReplayCall {
  return { callId, arrivalSec: TEN + at, talkSec: 120, queue: 'general', ...extra };
}

function day(calls: ReplayCall[]): RecordedDay {
  return { calls: calls.map((call) => ({ call, input: { callId: call.callId, keys: [], ...(call.queue ? { queue: call.queue } : {}) } })) };
}

/** Replays and collects every simulated call's outcome by id. */
function replay(calls: ReplayCall[], s: Scenario) {
  const outcomes = new Map<string, CallOutcome>();
  const report = replayRecordedDay(day(calls), s, { onOutcome: (o) => outcomes.set(o.callId, o) });
  return { report, outcomes };
}

const exponential60: QueueBehaviour = { patience: { default: { kind: 'exponential', meanSec: 60 } } };

describe('replay without a queue-behaviour model', () => {
  it('replays retries as recorded and reports no retrials', () => {
    const calls = [line('a', 0, { patienceSec: 5 }), line('b', 100, { retryOf: 'a' }), line('c', 200, { retryOf: 'b' })];
    const { report, outcomes } = replay(calls, scenario(0));
    expect([...outcomes.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(report.retrials).toBeUndefined();
    const withoutRetryOf = calls.map((c) => {
      const copy = { ...c };
      delete copy.retryOf;
      return copy;
    });
    const plain = replay(withoutRetryOf, scenario(0)).report;
    expect(JSON.stringify(report)).toBe(JSON.stringify(plain));
  });

  it('leaves lines without patienceSec waiting', () => {
    const { report } = replay([line('a', 0), line('b', 1)], scenario(0));
    expect(report).toMatchObject({ offered: 2, abandoned: 0, answered: 0 });
  });
});

describe('patience from the model', () => {
  const n = 3000;
  const calls = Array.from({ length: n }, (_, i) => line(`c${i}`, i * 2));

  it('lines without patienceSec hang up after a patience drawn from their queue model; lines with one keep it', () => {
    const behaviour: QueueBehaviour = {
      patience: { default: { kind: 'exponential', meanSec: 60 }, byQueue: { vip: { kind: 'weibull', shape: 2, scaleSec: 10 } } },
    };
    const { outcomes, report } = replay([...calls, line('fixed', n * 2, { patienceSec: 7 })], scenario(0, behaviour));
    expect(report.abandoned).toBe(n + 1);
    expect(outcomes.get('fixed')!.waitSec).toBe(7);
    const waits = calls.map((c) => outcomes.get(c.callId)!.waitSec);
    const mean = waits.reduce((a, b) => a + b, 0) / n;
    expect(Math.abs(mean - 60)).toBeLessThanOrEqual((Z * 60) / Math.sqrt(n));
    const within60 = waits.filter((w) => w <= 60).length / n;
    const p = 1 - Math.exp(-1);
    expect(Math.abs(within60 - p)).toBeLessThanOrEqual(Z * Math.sqrt((p * (1 - p)) / n));
    expect(report.retrials).toEqual({ generated: 0, recorded: 0, suppressed: 0 });
  });

  it('uses the per-queue model for the queue a call enters', () => {
    const behaviour: QueueBehaviour = {
      patience: { default: { kind: 'exponential', meanSec: 60 }, byQueue: { general: { kind: 'kaplanMeier', points: [[15, 0.5]], tail: { kind: 'exponential', meanSec: 1 } } } },
    };
    const { outcomes } = replay(calls.slice(0, 200), scenario(0, behaviour));
    // Half hang up at exactly 15 s, the rest within seconds after it.
    const waits = [...outcomes.values()].map((o) => o.waitSec);
    expect(Math.min(...waits)).toBe(15);
    expect(Math.max(...waits)).toBeLessThan(40);
  });

  it('is deterministic for a seed; another seed draws other patience', () => {
    const a = replay(calls.slice(0, 300), scenario(1, exponential60, 7)).report;
    const b = replay(calls.slice(0, 300), scenario(1, exponential60, 7)).report;
    const c = replay(calls.slice(0, 300), scenario(1, exponential60, 8)).report;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(c.abandoned).not.toBe(a.abandoned);
  });
});

describe('patience from the model against queueing theory', () => {
  /**
   * Poisson arrivals and exponential talk on one queue, patience drawn from an exponential model
   * by the replay: the M/M/c+M queue, so the abandon rate and service level must agree with
   * Erlang A. Tolerance by batch means (as in tests/simulation/erlang-agreement.test.ts): the
   * 30-minute reporting intervals after the first (warm-up) are 20 batches of some 200 calls, and
   * the analytic value must lie in the batch means' 99% interval, t(0.995, 19) = 2.861.
   */
  it('exponential patience: abandon rate and service level match Erlang A (20 Erlangs on 20 agents)', () => {
    const callsPerHour = 400;
    const ahtSec = 180;
    const random = mulberry32(5);
    const calls: ReplayCall[] = [];
    for (let t = exponential(random, 3600 / callsPerHour), i = 0; t < 21 * 1800; t += exponential(random, 3600 / callsPerHour), i++) {
      calls.push({ callId: `p${i}`, arrivalSec: t, talkSec: exponential(random, ahtSec), queue: 'general' });
    }
    const s: Scenario = { ...scenario(20, { patience: { default: { kind: 'exponential', meanSec: 120 } } }), staffing: { ...staffing(20), defaultWrapSec: 0 } };
    const report = replayRecordedDay(day(calls), s);
    const batches = report.byInterval.filter((r) => r.interval >= 1 && r.interval <= 20);
    expect(batches).toHaveLength(20);
    const analytic = erlangA({ callsPerHour, ahtSec, agents: 20, thresholdSec: 30, patienceSec: 120 });
    expect(analytic.pAbandon).toBeGreaterThan(0.03);
    for (const [label, figure, expected] of [
      ['abandon rate', (b: (typeof batches)[number]) => b.abandonRate, analytic.pAbandon],
      ['service level', (b: (typeof batches)[number]) => b.serviceLevel, analytic.serviceLevel],
    ] as const) {
      const values = batches.map((b) => figure(b)!);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
      expect(Math.abs(mean - expected), `${label}: simulated ${mean} vs Erlang A ${expected}`).toBeLessThanOrEqual((2.861 * sd) / Math.sqrt(values.length));
    }
  });
});

describe('recorded retries with a queue-behaviour model', () => {
  const withRetrials = (probability: number, valuesSec = [30]): QueueBehaviour => ({ ...exponential60, retrials: { probability, delaySec: { kind: 'empirical', valuesSec } } });

  it('a retry happens at its recorded time when the call it retries hung up in the simulation before then', () => {
    const { outcomes, report } = replay([line('a', 0, { patienceSec: 10 }), line('b', 100, { retryOf: 'a', patienceSec: 10 })], scenario(0, withRetrials(0)));
    expect(outcomes.get('a')!.abandoned).toBe(true);
    expect(outcomes.get('b')!.arrivalSec).toBe(TEN + 100);
    expect(report.retrials).toEqual({ generated: 0, recorded: 1, suppressed: 0 });
    expect(report.offered).toBe(2);
  });

  it('is left out when the call it retries is answered, and so is a retry of the retry', () => {
    const { outcomes, report } = replay([line('a', 0), line('b', 100, { retryOf: 'a' }), line('c', 200, { retryOf: 'b' })], scenario(3, withRetrials(1)));
    expect([...outcomes.keys()]).toEqual(['a']);
    expect(report.retrials).toEqual({ generated: 0, recorded: 0, suppressed: 2 });
    expect(report).toMatchObject({ calls: 1, offered: 1, answered: 1 });
  });

  it('waits for the call it retries when that is still in the queue at its recorded time, then follows the hang-up after a drawn delay', () => {
    const { outcomes, report } = replay([line('a', 0, { patienceSec: 500 }), line('b', 100, { retryOf: 'a', patienceSec: 10 })], scenario(0, withRetrials(0, [45])));
    expect(outcomes.get('a')).toMatchObject({ abandoned: true, waitSec: 500 });
    expect(outcomes.get('b')).toMatchObject({ arrivalSec: TEN + 545, abandoned: true });
    expect(report.retrials).toEqual({ generated: 0, recorded: 1, suppressed: 0 });
  });

  it('still in the queue at its recorded time and answered later: the retry is left out', () => {
    // One agent busy with x until 10:05; a waits, is answered at 10:05, after its retry was due.
    const { outcomes, report } = replay(
      [line('x', 0, { talkSec: 300 }), line('a', 1, { patienceSec: 1000 }), line('b', 100, { retryOf: 'a' })],
      scenario(1, withRetrials(1)),
    );
    expect(outcomes.get('a')).toMatchObject({ answered: true, waitSec: 299 });
    expect(outcomes.has('b')).toBe(false);
    expect(report.retrials).toEqual({ generated: 0, recorded: 0, suppressed: 1 });
  });

  it('a retry waiting for a retry that is then left out is left out too', () => {
    // x holds the only agent until 10:05; a waits for it and is answered, so b (due while a still
    // waited) is left out, and with it c, which retries b and was due while b still waited for a.
    const { outcomes, report } = replay(
      [line('x', 0, { talkSec: 300 }), line('a', 1, { patienceSec: 1000 }), line('b', 100, { retryOf: 'a' }), line('c', 200, { retryOf: 'b' })],
      scenario(1, withRetrials(1)),
    );
    expect([...outcomes.keys()].sort()).toEqual(['a', 'x']);
    expect(report.retrials).toEqual({ generated: 0, recorded: 0, suppressed: 2 });
  });

  it('never both: a call with a recorded retry generates none; its retry, having none of its own, may', () => {
    const { outcomes, report } = replay([line('a', 0, { patienceSec: 5 }), line('b', 100, { retryOf: 'a', patienceSec: 5 })], scenario(0, withRetrials(1)));
    expect(outcomes.has('a~retry')).toBe(false);
    // Probability 1 with nobody to answer: b's chain of generated retries stops at ten.
    expect(outcomes.has('b~retry')).toBe(true);
    expect(report.retrials).toEqual({ generated: 10, recorded: 1, suppressed: 0 });
    expect(outcomes.get('b~retry')!.arrivalSec).toBe(TEN + 100 + 5 + 30);
  });
});

describe('retries generated by the model', () => {
  it('a share of simulated hang-ups call again, after the model delay, into the same queue with the same talk time', () => {
    const n = 4000;
    const calls = Array.from({ length: n }, (_, i) => line(`c${i}`, i * 3, { patienceSec: 20 }));
    const p = 0.3;
    const behaviour: QueueBehaviour = { ...exponential60, retrials: { probability: p, byQueue: { vip: 0.9 }, delaySec: { kind: 'lognormal', meanSec: 600, cv: 0.5 } } };
    const { outcomes, report } = replay(calls, scenario(0, behaviour));
    const first = [...outcomes.values()].filter((o) => o.callId.endsWith('~retry') && !o.callId.endsWith('~retry~retry'));
    // Every original hangs up (no agents): a binomial share of them call again.
    expect(Math.abs(first.length / n - p)).toBeLessThanOrEqual(Z * Math.sqrt((p * (1 - p)) / n));
    const delays = first.map((o) => o.arrivalSec - (outcomes.get(o.callId.slice(0, -'~retry'.length))!.queuedSec + 20));
    const meanDelay = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(Math.abs(meanDelay - 600)).toBeLessThanOrEqual((Z * 600 * 0.5) / Math.sqrt(delays.length));
    expect(first.every((o) => o.entryQueue === 'general')).toBe(true);
    expect(report.retrials!.generated).toBe(outcomes.size - n);
    expect(report.offered).toBe(outcomes.size);
  });

  it('answered retries take the recorded talk time', () => {
    const behaviour: QueueBehaviour = { retrials: { probability: 1, delaySec: { kind: 'empirical', valuesSec: [4000] } } };
    // The only agent is busy for an hour; a hangs up after 10 s and calls again when the agent is free.
    const { outcomes } = replay([line('x', 0, { talkSec: 3600 }), line('a', 1, { patienceSec: 10, talkSec: 77 })], scenario(1, behaviour));
    expect(outcomes.get('a~retry')).toMatchObject({ answered: true, talkSec: 77, waitSec: 0, arrivalSec: TEN + 4011 });
  });
});

describe('what the log saw of a call, and the retries the model generates', () => {
  // The model's share is P(call again | hung up). Every call below hangs up in the simulation
  // (nobody to answer, patience 20 s); what the log saw decides whether it may call again.
  const n = 3000;
  const p = 0.3;
  // Retries (new calls, no patienceSec) draw their patience from the model, so they hang up too.
  const behaviour: QueueBehaviour = { ...exponential60, retrials: { probability: p, delaySec: { kind: 'empirical', valuesSec: [600] } } };
  const firstRetries = (outcomes: Map<string, CallOutcome>, ids: string[]) => ids.filter((id) => outcomes.has(`${id}~retry`)).length;

  it('a call the log saw hang up, and that no line retries, never calls again; even a model that always retries generates none', () => {
    const calls = Array.from({ length: n }, (_, i) => line(`h${i}`, i * 3, { patienceSec: 20, observed: { answered: false } }));
    const always: QueueBehaviour = { retrials: { ...behaviour.retrials!, probability: 1 } };
    const { outcomes, report } = replay(calls, scenario(0, always));
    expect(report.abandoned).toBe(n);
    expect(report.retrials).toEqual({ generated: 0, recorded: 0, suppressed: 0 });
    expect(outcomes.size).toBe(n);
  });

  it('a call the log saw hang up and a later line retries: its recorded retry, never a generated one as well', () => {
    const calls = [line('a', 0, { patienceSec: 5, observed: { answered: false } }), line('b', 100, { retryOf: 'a', patienceSec: 5, observed: { answered: false } })];
    const { outcomes, report } = replay(calls, scenario(0, { retrials: { ...behaviour.retrials!, probability: 1 } }));
    expect([...outcomes.keys()].sort()).toEqual(['a', 'b']);
    expect(report.retrials).toEqual({ generated: 0, recorded: 1, suppressed: 0 });
  });

  it("calls the log saw answered, or whose fate it does not give, call again at the model's share when they hang up in the simulation", () => {
    // Interleaved: answered in the log, no observed outcome, hung up in the log (which never retry).
    const calls = Array.from({ length: 3 * n }, (_, i) => {
      const observed = [{ answered: true }, undefined, { answered: false }][i % 3];
      return line(`c${i}`, i, { patienceSec: 20, ...(observed ? { observed } : {}) });
    });
    const { outcomes, report } = replay(calls, scenario(0, behaviour, 11));
    expect(report.abandoned).toBeGreaterThanOrEqual(3 * n);
    const group = (k: number) => calls.filter((_, i) => i % 3 === k).map((c) => c.callId);
    // Binomial share: within four standard errors of p.
    const tolerance = Z * Math.sqrt((p * (1 - p)) / n);
    for (const k of [0, 1]) expect(Math.abs(firstRetries(outcomes, group(k)) / n - p), `group ${k}`).toBeLessThanOrEqual(tolerance);
    expect(firstRetries(outcomes, group(2))).toBe(0);
    // A generated retry is a new call, nothing of it observed: it may call again in turn.
    const second = [...outcomes.keys()].filter((id) => id.split('~retry').length === 3).length;
    const first = firstRetries(outcomes, [...group(0), ...group(1)]);
    expect(Math.abs(second / first - p)).toBeLessThanOrEqual(Z * Math.sqrt((p * (1 - p)) / first));
  });
});

describe('calls through the IVR with a queue-behaviour model', () => {
  it('a generated retry of a call through the IVR comes back through it: same segment and queue, counted among the calls', async () => {
    const shipped = (await loadStaffingFile(new URL('../../data/staffing.json', import.meta.url).pathname)).staffing;
    const nobody: Staffing = { ...shipped, groups: shipped.groups.map((g) => ({ id: g.id, skills: g.skills, agents: 0 })) };
    const calls = Array.from({ length: 20 }, (_, i) => ({ callId: `d${i}`, arrivalSec: TEN + i * 60, talkSec: 200 }));
    const recorded: RecordedDay = { calls: calls.map((call) => ({ call, input: { callId: call.callId, caller: '+8613800000001', keys: [{ key: '0' }] } })) };
    const behaviour: QueueBehaviour = { patience: { default: { kind: 'exponential', meanSec: 30 } }, retrials: { probability: 0.5, delaySec: { kind: 'empirical', valuesSec: [600] } } };
    const outcomes = new Map<string, CallOutcome>();
    const report = replayRecordedDay(recorded, { config, staffing: nobody, staffingSource: 'test', seed: 2, behaviour }, { onOutcome: (o) => outcomes.set(o.callId, o) });
    const generated = report.retrials!.generated;
    expect(generated).toBeGreaterThan(0);
    expect(report.calls).toBe(20 + generated);
    expect(report.bySegment['vip-diamond']!.calls).toBe(20 + generated);
    const retry = [...outcomes.values()].find((o) => o.callId.endsWith('~retry'))!;
    const original = outcomes.get(retry.callId.slice(0, -'~retry'.length))!;
    expect(retry).toMatchObject({ segment: original.segment, entryQueue: original.entryQueue, abandoned: true });
    // It goes through the IVR again: the same IVR time before it reaches the queue.
    expect(retry.queuedSec - retry.arrivalSec).toBeCloseTo(original.queuedSec - original.arrivalSec, 9);
    expect(retry.arrivalSec).toBeCloseTo(original.queuedSec + original.waitSec + 600, 9);
  });
});

describe('replaying a trace file with a queue-behaviour model', () => {
  let tmp: ReturnType<typeof scratch>;
  beforeEach(() => (tmp = scratch()));
  afterEach(() => tmp.remove());

  it('reads which calls are retried before replaying, so a call retried later in the file generates no retry', async () => {
    const file = tmp.file('t.jsonl', [
      { callId: 'a', arrivalSec: TEN, queue: 'general', talkSec: 60, patienceSec: 5 },
      { callId: 'b', arrivalSec: TEN + 3600, queue: 'general', talkSec: 60, retryOf: 'a', patienceSec: 5 },
    ]);
    const run = new ReplayRun(scenario(0, { retrials: { probability: 1, delaySec: { kind: 'empirical', valuesSec: [1] } } }));
    const ids: string[] = [];
    run.observeOutcomes((o) => ids.push(o.callId));
    const input = await replayTrace(file, [run], { parallel: false });
    const report = run.report({ trace: file, flowsDir: '', rulesDir: '', customersFile: '' }, input);
    expect(ids).not.toContain('a~retry');
    // Without a patience model, b's retry waits until the replay ends: one generated retry.
    expect(ids).toEqual(['a', 'b', 'b~retry']);
    expect(report.retrials).toEqual({ generated: 1, recorded: 1, suppressed: 0 });
  });

  it('a trace timed by arrivalTime, as calibrate writes it, carries what the log saw to the replay', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => ({
      callId: `t${i}`,
      arrivalTime: `2026-03-02T10:${String(i).padStart(2, '0')}:00+08:00`,
      queue: 'general',
      talkSec: 60,
      patienceSec: 5,
      observed: { queue: 'general', waitSec: 5, answered: i >= 30 },
    }));
    const file = tmp.file('timed.jsonl', lines);
    const run = new ReplayRun(scenario(0, { retrials: { probability: 1, delaySec: { kind: 'empirical', valuesSec: [7200] } } }));
    const ids: string[] = [];
    run.observeOutcomes((o) => ids.push(o.callId));
    const input = await replayTrace(file, [run], { parallel: false });
    const report = run.report({ trace: file, flowsDir: '', rulesDir: '', customersFile: '' }, input);
    // Only the ten calls the log saw answered call again (the retries, with no patience model, then wait).
    expect(ids.filter((id) => id.endsWith('~retry') && !id.includes('~retry~')).sort()).toEqual(lines.slice(30).map((l) => `${l.callId}~retry`).sort());
    expect(report.retrials).toEqual({ generated: 10, recorded: 0, suppressed: 0 });
  });

  it('so does a trace timed by arrivalSec, whose plain lines the fast scanner reads', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => ({
      callId: `s${i}`,
      arrivalSec: TEN + i * 60,
      queue: 'general',
      talkSec: 60,
      patienceSec: 5,
      // Every fourth line plain (scanned); the others carry what the log saw (the validating path).
      ...(i % 4 === 0 ? {} : { observed: { answered: i % 4 === 1 } }),
    }));
    const file = tmp.file('sec.jsonl', lines);
    const run = new ReplayRun(scenario(0, { retrials: { probability: 1, delaySec: { kind: 'empirical', valuesSec: [7200] } } }));
    const ids: string[] = [];
    run.observeOutcomes((o) => ids.push(o.callId));
    const input = await replayTrace(file, [run], { parallel: false });
    const report = run.report({ trace: file, flowsDir: '', rulesDir: '', customersFile: '' }, input);
    expect(report.retrials).toEqual({ generated: 20, recorded: 0, suppressed: 0 });
    const expected = lines.filter((_, i) => i % 4 !== 2 && i % 4 !== 3).map((l) => `${l.callId}~retry`);
    expect(ids.filter((id) => id.endsWith('~retry')).sort()).toEqual(expected.sort());
  });

  it('a run that was not told which calls are retried refuses a retry rather than risk playing both', () => {
    const run = new ReplayRun(scenario(1, exponential60));
    run.offer(line('a', 0), null);
    expect(() => run.offer(line('b', 10, { retryOf: 'a' }), null)).toThrow(/not told is retried: give ReplayRun.setRecordedRetries every retryOf/);
  });

  it('the same report as the in-memory replay of the same calls', async () => {
    const lines = Array.from({ length: 400 }, (_, i) => ({ callId: `c${i}`, arrivalSec: TEN + i * 9, queue: 'general', talkSec: 100, ...(i % 7 === 3 ? { retryOf: `c${i - 1}` } : {}) }));
    const file = tmp.file('t.jsonl', lines);
    const behaviour: QueueBehaviour = { ...exponential60, retrials: { probability: 0.4, delaySec: { kind: 'lognormal', meanSec: 300, cv: 1 } } };
    const run = new ReplayRun(scenario(2, behaviour, 3));
    const input = await replayTrace(file, [run], { parallel: false });
    const fromFile = run.report({ trace: '', flowsDir: config.paths.flowsDir, rulesDir: config.paths.rulesDir, customersFile: config.paths.customersFile }, input);
    const inMemory = replayRecordedDay(day(lines as ReplayCall[]), scenario(2, behaviour, 3));
    expect(fromFile.retrials).toEqual(inMemory.retrials);
    expect(fromFile.retrials!.generated + fromFile.retrials!.recorded + fromFile.retrials!.suppressed).toBeGreaterThan(0);
    expect({ ...fromFile, input: undefined }).toEqual({ ...inMemory, input: undefined });
  });
});
