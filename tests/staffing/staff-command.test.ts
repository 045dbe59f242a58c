import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayReport } from '../../src/core/replay/replay-report.js';
import { parseTimeOfDay } from '../../src/core/staffing/shift-schedule.js';
import type { Staffing } from '../../src/core/staffing/staffing.js';
import { parseOffsetDateTime } from '../../src/core/trace/date-time.js';
import { scratch } from '../helpers/trace-files.js';
import { cli } from '../helpers/cli.js';

let tmp: ReturnType<typeof scratch>;
/** A generated afternoon: 4,000 calls an hour from 14:10 (+08:00) for an hour and a half, arrivalTime lines. */
let afternoon: string;
/** The same calls with arrivalSec: seconds since midnight of the trace's day. */
let afternoonSec: string;

beforeAll(async () => {
  tmp = scratch();
  afternoon = join(tmp.dir, 'afternoon.jsonl');
  const gen = await cli('gen', '--calls', '6000', '--seed', '11', '--rate-per-hour', '4000', '--start', '2025-03-03T14:10:00+08:00', '--out', afternoon);
  expect(gen.code).toBe(0);
  const midnight = parseOffsetDateTime('2025-03-03T00:00:00+08:00')!.epochMs;
  afternoonSec = join(tmp.dir, 'afternoon-sec.jsonl');
  const lines = readFileSync(afternoon, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { arrivalTime?: string; arrivalSec?: number });
  for (const l of lines) {
    l.arrivalSec = (parseOffsetDateTime(l.arrivalTime!)!.epochMs - midnight) / 1000;
    delete l.arrivalTime;
  }
  writeFileSync(afternoonSec, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}, 60_000);

afterAll(() => tmp.remove());

async function plan(trace: string, ...flags: string[]): Promise<{ file: string; staffing: Staffing; err: string }> {
  const file = join(tmp.dir, `plan-${Math.random().toString(36).slice(2)}.json`);
  const r = await cli('staff', trace, '--out', file, ...flags);
  expect(r.code).toBe(0);
  return { file, staffing: JSON.parse(readFileSync(file, 'utf8')) as Staffing, err: r.err };
}

async function replay(trace: string, staffing: string): Promise<ReplayReport> {
  const r = await cli('replay', trace, '--staffing', staffing, '--json');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as ReplayReport;
}

/** Every shift of the plan, as minutes of the day. */
const shiftsOf = (s: Staffing) => s.groups.flatMap((g) => (g.shifts ?? []).map((x) => ({ from: parseTimeOfDay(x.from), to: parseTimeOfDay(x.to), agents: x.agents })));

describe('ivr-sim staff plans on the trace\'s clock', () => {
  it('staffs the sample trace (calls 09:00–11:02, arrivalTime) on those hours, and the plan answers its calls', async () => {
    const { file, staffing, err } = await plan('data/traces/sample.jsonl');
    const shifts = shiftsOf(staffing);
    expect(shifts.length).toBeGreaterThan(0);
    for (const s of shifts) {
      expect(s.from).toBeGreaterThanOrEqual(9 * 60);
      expect(s.to).toBeLessThanOrEqual(11 * 60 + 30);
    }
    expect(err).toMatch(/reaching agents 09:00–11:0\d on the trace's clock/);
    const rep = await replay('data/traces/sample.jsonl', file);
    expect(rep.warnings).toEqual([]);
    // Small queues staffed to the target interval by interval land above it, never far below.
    expect(rep.serviceLevel!).toBeGreaterThanOrEqual(0.8 - 0.05);
  });

  it('plans the sample to the target over all calls: replayed with its plan, the sample lands within 5 pp of 80 %', async () => {
    const { file, err } = await plan('data/traces/sample.jsonl');
    expect(err).toMatch(/for 80\/30 over all calls \(no queue's interval below 70 %\)/);
    const rep = await replay('data/traces/sample.jsonl', file);
    expect(rep.warnings).toEqual([]);
    expect(Math.abs(rep.serviceLevel! - 0.8)).toBeLessThanOrEqual(0.05);
  }, 30_000);

  it('--each-interval staffs every interval of every queue to the target: more agents, the sample well above 80 %', async () => {
    const pooled = await plan('data/traces/sample.jsonl');
    const each = await plan('data/traces/sample.jsonl', '--each-interval');
    expect(each.err).toMatch(/for 80\/30 in every interval of every queue/);
    const agentMinutes = (s: Staffing) => shiftsOf(s).reduce((sum, x) => sum + (x.to - x.from) * x.agents, 0);
    expect(agentMinutes(each.staffing)).toBeGreaterThan(agentMinutes(pooled.staffing));
    const [repEach, repPooled] = [await replay('data/traces/sample.jsonl', each.file), await replay('data/traces/sample.jsonl', pooled.file)];
    expect(repEach.serviceLevel!).toBeGreaterThan(repPooled.serviceLevel!);
  }, 30_000);

  for (const [target, threshold] of [
    ['0.8', '30'],
    ['0.9', '20'],
  ] as const) {
    it(`a generated trace replayed with the plan made from it for ${Number(target) * 100}/${threshold} meets that target within 5 pp`, async () => {
      const { file, staffing } = await plan(afternoon, '--target-sl', target, '--threshold', threshold);
      expect(staffing.serviceLevel).toEqual({ target: Number(target), thresholdSec: Number(threshold) });
      const rep = await replay(afternoon, file);
      expect(rep.scenario.serviceLevelTarget).toBe(Number(target));
      expect(rep.scenario.thresholdSec).toBe(Number(threshold));
      expect(rep.warnings).toEqual([]);
      expect(Math.abs(rep.serviceLevel! - Number(target))).toBeLessThanOrEqual(0.05);
    }, 30_000);
  }

  it('gives the same plan for the same calls written with arrivalSec (seconds since the midnight the replay counts from)', async () => {
    const timed = await plan(afternoon);
    const counted = await plan(afternoonSec);
    expect(counted.staffing).toEqual(timed.staffing);
    expect(shiftsOf(counted.staffing).every((s) => s.from >= 14 * 60)).toBe(true);
  }, 30_000);
});
