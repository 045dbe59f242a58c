import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratch } from '../helpers/trace-files.js';

let tmp: ReturnType<typeof scratch>;
beforeEach(() => (tmp = scratch()));
afterEach(() => tmp.remove());

const STAFFING = {
  serviceLevel: { target: 0.8, thresholdSec: 30 },
  intervalMin: 30,
  defaultWrapSec: 0,
  queues: [{ id: 'general' }],
  groups: [{ id: 'floor', skills: { general: 1 }, agents: 2 }],
};
const BEHAVIOUR = {
  patience: { default: { kind: 'kaplanMeier', points: [[10, 0.8], [60, 0.5]], tail: { kind: 'exponential', meanSec: 90 } } },
  retrials: { probability: 0.4, delaySec: { kind: 'lognormal', meanSec: 300, cv: 0.8 } },
};

/** A busy morning on one queue from 09:00 (+08:00): a call every 30 s, every 9th a retry of the one before. */
function trace(n = 240): object[] {
  return Array.from({ length: n }, (_, i) => {
    const t = new Date(Date.UTC(2025, 2, 3, 9, 0, 0) + i * 30_000).toISOString().replace('.000Z', '+08:00');
    return { callId: `c${i}`, arrivalTime: t, queue: 'general', talkSec: 100 + (i % 5) * 20, ...(i % 9 === 8 ? { retryOf: `c${i - 1}` } : {}) };
  });
}

/** DIR with trace.jsonl, staffing.json and behaviour.json, as calibrate writes it. */
function scenarioDir(behaviour: object = BEHAVIOUR): string {
  const dir = join(tmp.dir, 'scenario');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'trace.jsonl'), trace().map((l) => JSON.stringify(l)).join('\n') + '\n');
  writeFileSync(join(dir, 'staffing.json'), JSON.stringify(STAFFING));
  writeFileSync(join(dir, 'behaviour.json'), JSON.stringify(behaviour));
  return dir;
}

const json = (r: { out: string }) => JSON.parse(r.out) as Record<string, unknown> & { retrials?: unknown; offered: number; answered: number; abandoned: number };

describe('replay --behaviour and --scenario', () => {
  it('--behaviour: patience from the model, retrials counted; without it the trace replays as before', async () => {
    const dir = scenarioDir();
    const trace = join(dir, 'trace.jsonl');
    const staffing = join(dir, 'staffing.json');
    const plain = await cli('replay', trace, '--staffing', staffing, '--json');
    expect(plain.code).toBe(0);
    expect(json(plain)).toMatchObject({ abandoned: 0, offered: 240 });
    expect(json(plain).retrials).toBeUndefined();

    const withModel = await cli('replay', trace, '--staffing', staffing, '--behaviour', join(dir, 'behaviour.json'), '--json');
    expect(withModel.err).toBe('');
    expect(withModel.code).toBe(0);
    const r = json(withModel);
    expect(r.abandoned).toBeGreaterThan(0);
    const retrials = r.retrials as { generated: number; recorded: number; suppressed: number };
    expect(retrials.recorded + retrials.suppressed).toBe(240 / 9 - ((240 / 9) % 1));
    expect(r.offered).toBe(240 - retrials.suppressed + retrials.generated);

    const out = join(tmp.dir, 'report');
    const table = await cli('replay', trace, '--staffing', staffing, '--behaviour', join(dir, 'behaviour.json'), '--out', out);
    expect(table.out).toContain(`Retrials (queue-behaviour model): ${retrials.recorded} recorded retries replayed, ${retrials.suppressed} left out`);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(`<th>retrials</th><td>queue-behaviour model: ${retrials.recorded} recorded retries replayed, ${retrials.suppressed} left out`);
    const plainOut = join(tmp.dir, 'plain');
    await cli('replay', trace, '--staffing', staffing, '--out', plainOut);
    expect(readFileSync(join(plainOut, 'report.html'), 'utf8')).not.toContain('<th>retrials</th>');
  });

  it('--scenario DIR is --staffing DIR/staffing.json --behaviour DIR/behaviour.json; the same seed gives the same report', async () => {
    const dir = scenarioDir();
    const trace = join(dir, 'trace.jsonl');
    const a = await cli('replay', trace, '--scenario', dir, '--json', '--seed', '4');
    const b = await cli('replay', trace, '--staffing', join(dir, 'staffing.json'), '--behaviour', join(dir, 'behaviour.json'), '--json', '--seed', '4');
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    const c = await cli('replay', trace, '--scenario', dir, '--json', '--seed', '5');
    expect(c.out).not.toBe(a.out);
  });

  it('usage errors for bad combinations, before anything runs', async () => {
    const dir = scenarioDir();
    const trace = join(dir, 'trace.jsonl');
    const cases: [string[], string][] = [
      [['--scenario', dir, '--staffing', join(dir, 'staffing.json')], 'sets the staffing and the behaviour model; leave out --staffing'],
      [['--scenario', dir, '--behaviour', join(dir, 'behaviour.json')], 'leave out --behaviour'],
      [['--scenario', join(tmp.dir, 'nowhere')], 'not a directory'],
      [['--scenario', tmp.dir], 'staffing.json and behaviour.json missing'],
      [['--scenario', dir, '--replications', '5'], '--replications resamples the trace'],
      [['--acd-log', join(tmp.dir, 'log.txt')], 'name a .csv file (or .jsonl for JSON Lines)'],
      [['--acd-log', '/proc/log.csv'], '--acd-log /proc/log.csv'],
    ];
    for (const [args, message] of cases) {
      const r = await cli('replay', trace, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain(message);
      expect(r.out).toBe('');
    }
  });

  it('warns of per-queue entries for queues the staffing file does not have', async () => {
    const dir = scenarioDir({ ...BEHAVIOUR, retrials: { ...BEHAVIOUR.retrials, byQueue: { genral: 0.5 } } });
    const r = await cli('replay', join(dir, 'trace.jsonl'), '--scenario', dir, '--json');
    expect(r.code).toBe(0);
    expect(r.err).toBe(`warning: ${join(dir, 'behaviour.json')} at /retrials/byQueue/genral: no such queue in the staffing file (queues: general); the entry is not used\n`);
  });

  it('a bad behaviour file: every problem with the file and the field', async () => {
    const dir = scenarioDir({ patience: { default: { kind: 'weibull', shape: 0, scaleSec: 60 } }, retrials: { probability: 2, delaySec: { kind: 'empirical', valuesSec: [] } } });
    const r = await cli('replay', join(dir, 'trace.jsonl'), '--scenario', dir);
    expect(r.code).toBe(1);
    const file = join(dir, 'behaviour.json');
    expect(r.err).toContain(`${file} at /patience/default/shape: must be > 0`);
    expect(r.err).toContain(`${file} at /retrials/probability: must be <= 1`);
    expect(r.err).toContain(`${file} at /retrials/delaySec/valuesSec: must NOT have fewer than 1 items`);
  });
});

describe('replay --acd-log', () => {
  it('writes every simulated call in the ACD log format, in arrival order, agreeing with the report', async () => {
    const dir = scenarioDir();
    const log = join(tmp.dir, 'out', 'simulated.csv');
    const r = await cli('replay', join(dir, 'trace.jsonl'), '--scenario', dir, '--acd-log', log, '--json');
    expect(r.code).toBe(0);
    const report = json(r);
    const [header, ...rows] = readFileSync(log, 'utf8').trimEnd().split('\n');
    expect(header).toBe('callId,customerId,queue,priority,arrivalTime,waitSec,outcome,talkSec,agentId');
    const cells = rows.map((l) => l.split(','));
    expect(cells).toHaveLength(report.offered);
    expect(cells.filter((c) => c[6] === 'answered')).toHaveLength(report.answered);
    expect(cells.filter((c) => c[6] === 'abandoned')).toHaveLength(report.abandoned);
    // Times with the trace's offset, in order; answered calls have talk and an agent, abandoned ones neither.
    const times = cells.map((c) => Date.parse(c[4]!));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(cells[0]).toEqual(['c0', 'c0', 'general', '10', '2025-03-03T09:00:00.000+08:00', '0', 'answered', '100', 'floor-1']);
    for (const c of cells) {
      if (c[6] === 'answered') expect(c[7] !== '' && /^floor-[12]$/.test(c[8]!)).toBe(true);
      else expect([c[7], c[8]]).toEqual(['', '']);
    }
    // A retry carries the first call of its chain as the customer.
    const retry = cells.find((c) => c[0] === 'c8');
    if (retry) expect(retry[1]).toBe('c7');
    const customerOf = new Map(cells.map((c) => [c[0]!, c[1]!]));
    const generated = cells.filter((x) => x[0]!.endsWith('~retry'));
    expect(generated.length).toBeGreaterThan(0);
    for (const c of generated) expect(c[1]).toBe(customerOf.get(c[0]!.slice(0, -'~retry'.length)));
    expect(readdirSync(join(tmp.dir, 'out'))).toEqual(['simulated.csv']);
  });

  it('two agents never take two calls at once under one id', async () => {
    const dir = scenarioDir();
    const log = join(tmp.dir, 'simulated.jsonl');
    expect((await cli('replay', join(dir, 'trace.jsonl'), '--scenario', dir, '--acd-log', log)).code).toBe(0);
    const rows = readFileSync(log, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { arrivalTime: string; waitSec: number; talkSec?: number; agentId?: string; outcome: string });
    const byAgent = new Map<string, [number, number][]>();
    for (const row of rows.filter((x) => x.outcome === 'answered')) {
      const from = Date.parse(row.arrivalTime) / 1000 + row.waitSec;
      byAgent.set(row.agentId!, [...(byAgent.get(row.agentId!) ?? []), [from, from + row.talkSec!]]);
    }
    expect([...byAgent.keys()].sort()).toEqual(['floor-1', 'floor-2']);
    for (const spans of byAgent.values()) {
      spans.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1] - 1e-6);
    }
    expect(rows.some((x) => x.outcome === 'abandoned' && !('talkSec' in x) && !('agentId' in x))).toBe(true);
  });

  it('writes nothing when the replay fails', async () => {
    const dir = scenarioDir();
    const bad = tmp.file('bad.jsonl', [...trace(20), { callId: 'x', arrivalSec: 5, talkSec: -1 }]);
    const log = join(tmp.dir, 'simulated.csv');
    const r = await cli('replay', bad, '--scenario', dir, '--acd-log', log);
    expect(r.code).toBe(1);
    expect(existsSync(log)).toBe(false);
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('simulated'))).toEqual([]);
  });
});
