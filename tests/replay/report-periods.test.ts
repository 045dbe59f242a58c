import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/main.js';
import type { ReplayReport } from '../../src/core/replay/replay-report.js';
import { scratch } from '../helpers/trace-files.js';

async function replay(...argv: string[]): Promise<ReplayReport> {
  const io = bufferIO();
  const code = await runCli(['replay', ...argv, '--json'], io);
  expect(io.stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(io.stdout) as ReplayReport;
}

let tmp: ReturnType<typeof scratch>;
beforeEach(() => (tmp = scratch()));
afterEach(() => tmp.remove());

const DIAMOND = '+8613800000001';
/** A steady stream of diamond VIPs asking for an agent, one every `everySec` from `fromSec` to before `toSec`. */
function steady(fromSec: number, toSec: number, everySec: number) {
  const lines = [];
  for (let t = fromSec, i = 0; t < toSec; t += everySec, i++) lines.push({ callId: `c${i}`, arrivalSec: t, caller: DIAMOND, keys: '0', talkSec: 240, patienceSec: 600 });
  return lines;
}

describe('a trace that starts or stops inside an interval', () => {
  it('marks those intervals partial, with the seconds the trace covers, and takes rates over that time', async () => {
    // 08:10 to 08:44:50 under steady load: 08:00 and 08:30 are partial, covering 20 and 15 minutes.
    const rep = await replay(tmp.file('t.jsonl', steady(8 * 3600 + 600, 8 * 3600 + 2690, 10)));
    expect(rep.span).toMatchObject({ startSec: 8 * 3600 + 600, endSec: 8 * 3600 + 2700, start: '08:10', end: '08:45', days: 1 });
    const [first, last] = rep.byInterval;
    expect(rep.byInterval).toHaveLength(2);
    expect(first).toMatchObject({ start: '08:00', partial: true, lengthSec: 1200, calls: 120, callsPerHour: 360 });
    expect(last).toMatchObject({ start: '08:30', partial: true, lengthSec: 900, calls: 89, callsPerHour: 356 });
    // The stream keeps the diamond desk busy throughout. Counted from 08:00, or until every call
    // was played out, it would look idle for the minutes the trace does not cover.
    const desk = rep.series.groups.filter((g) => g.group === 'diamond-desk');
    expect(desk.map((g) => g.coveredSec)).toEqual([1200, 900]);
    for (const g of desk) expect(g.occupancy!).toBeGreaterThan(0.95);
    expect(first!.occupancy!).toBeGreaterThan(0.55);
    expect(last!.occupancy!).toBeGreaterThan(0.7);
  });

  it('leaves whole intervals unmarked', async () => {
    const rep = await replay(tmp.file('t.jsonl', steady(9 * 3600, 10 * 3600, 60)), '--interval', '30');
    // The last call arrives at 09:59, so the trace covers 09:00 to 10:00.
    expect(rep.byInterval.map((i) => [i.start, i.partial, i.lengthSec, i.callsPerHour])).toEqual([
      ['09:00', false, 1800, 60],
      ['09:30', false, 1800, 60],
    ]);
  });
});

describe('a trace of several days', () => {
  async function threeDays(): Promise<ReplayReport> {
    const trace = `${tmp.dir}/3days.jsonl`;
    const io = bufferIO();
    await runCli(['gen', '--calls', '2400', '--seed', '11', '--day-profile', 'data/day-profile.json', '--rate-per-hour', '40', '--start', '2025-03-03T00:00:00+08:00', '--out', trace], io);
    return replay(trace);
  }

  it('is summed per day, with each day dated, and by time of day across days', async () => {
    const rep = await threeDays();
    expect(rep.span.days).toBe(3); // 2,400 calls at about 850 a day
    expect(rep.byDay.map((d) => d.date)).toEqual(['2025-03-03', '2025-03-04', '2025-03-05']);
    expect(rep.byDay.map((d) => d.partial)).toEqual([true, false, true]);
    expect(rep.byDay[1]).toMatchObject({ day: 1, startSec: 86_400, lengthSec: 86_400 });
    for (const key of ['calls', 'selfServed', 'handedOff', 'hungUpInIvr', 'answered', 'abandoned'] as const) {
      expect(rep.byDay.reduce((n, d) => n + d[key], 0)).toBe(rep[key]);
      expect(rep.byTimeOfDay.reduce((n, d) => n + d[key], 0)).toBe(rep[key]);
    }
    expect(rep.byTimeOfDay).toHaveLength(48);
    expect(rep.byTimeOfDay.map((s) => s.start).slice(0, 3)).toEqual(['00:00', '00:30', '01:00']);
    const ten = rep.byTimeOfDay.find((s) => s.start === '10:00')!;
    expect(ten.days).toBe(3);
    expect(ten.lengthSec).toBe(3 * 1800);
    expect(ten.callsPerHour).toBeCloseTo(ten.calls / 1.5, 1);
    // The day profile peaks at 10:00 and is quietest at 03:00.
    expect(ten.callsPerHour!).toBeGreaterThan(4 * rep.byTimeOfDay.find((s) => s.start === '03:00')!.callsPerHour!);
    // Chart series by time of day: one point per queue (or group) per interval of the day at most.
    const byTime = rep.series.byTimeOfDay!;
    expect(byTime.groups.filter((g) => g.group === 'general-floor').map((g) => g.slot)).toEqual([...Array(48).keys()]);
    expect(new Set(byTime.serviceLevel.map((s) => `${s.queue} ${s.slot}`)).size).toBe(byTime.serviceLevel.length);
  });

  it('a trace within one day has one day row and no time-of-day chart series', async () => {
    const rep = await replay(tmp.file('t.jsonl', steady(9 * 3600, 10 * 3600, 60)));
    expect(rep.byDay).toHaveLength(1);
    expect(rep.byDay[0]).toMatchObject({ day: 0, date: null, lengthSec: 3600, partial: true, calls: 60, callsPerHour: 60 });
    expect(rep.byTimeOfDay.map((s) => s.start)).toEqual(['09:00', '09:30']);
    expect(rep.series.byTimeOfDay).toBeUndefined();
  });
});
