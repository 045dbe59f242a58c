import { describe, expect, it } from 'vitest';
import { summarise } from '../../src/core/replications/interval-statistics.js';
import { readRecordedDay } from '../../src/core/replications/recorded-day.js';
import { resampleDay, resamplingMethod, type ResamplingPlan } from '../../src/core/replications/trace-resampler.js';

const plan: ResamplingPlan = { seed: 3, intervalSec: 1800, volumeCv: 0 };

describe('a replication is a Poisson bootstrap of the recorded day per reporting interval', async () => {
  const day = await readRecordedDay('data/traces/sample.jsonl', { onError: 'fail', sort: false });
  const first = day.calls[0]!.call.arrivalSec;
  const last = day.calls.at(-1)!.call.arrivalSec;
  const countsByInterval = (calls: { arrivalSec: number }[]) => {
    const m = new Map<number, number>();
    for (const c of calls) m.set(Math.floor(c.arrivalSec / 1800), (m.get(Math.floor(c.arrivalSec / 1800)) ?? 0) + 1);
    return m;
  };
  const recorded = countsByInterval(day.calls.map((c) => c.call));

  it('reads the trace on the replay clock (arrivalTime from its first call\'s time of day)', () => {
    expect(day.calls).toHaveLength(3000);
    expect(day.origin).toEqual({ arrivalTime: '2025-03-03T09:00:03.597+08:00', secOfDay: 9 * 3600 + 3.597 });
    expect(first).toBe(9 * 3600 + 3.597);
  });

  it('depends only on seed and index: the same draw twice, another for another index or seed', () => {
    expect(resampleDay(day, plan, 4)).toEqual(resampleDay(day, plan, 4));
    expect(resampleDay(day, plan, 5).calls).not.toEqual(resampleDay(day, plan, 4).calls);
    expect(resampleDay(day, { ...plan, seed: 4 }, 4).calls).not.toEqual(resampleDay(day, plan, 4).calls);
  });

  it('gives fresh, unique call ids, arrivals in order within the span, and copies of recorded calls from the same interval', () => {
    const r = resampleDay(day, plan, 0);
    expect(new Set(r.calls.map((c) => c.callId)).size).toBe(r.calls.length);
    expect(r.calls.every((c, i) => c.callId === r.inputs[i]!.callId && c.callId.startsWith('r1-'))).toBe(true);
    expect(r.calls.every((c, i) => i === 0 || c.arrivalSec >= r.calls[i - 1]!.arrivalSec)).toBe(true);
    expect(r.calls.every((c) => c.arrivalSec >= first && c.arrivalSec <= last)).toBe(true);
    const key = (talkSec: number, patienceSec: number | undefined, caller: unknown, keys: unknown) => `${talkSec}|${patienceSec}|${String(caller)}|${JSON.stringify(keys)}`;
    const intervalsOf = new Map<string, Set<number>>();
    for (const c of day.calls) {
      const k = key(c.call.talkSec, c.call.patienceSec, c.input.caller, c.input.keys);
      intervalsOf.set(k, (intervalsOf.get(k) ?? new Set()).add(Math.floor(c.call.arrivalSec / 1800)));
    }
    r.calls.forEach((c, i) => {
      const from = intervalsOf.get(key(c.talkSec, c.patienceSec, r.inputs[i]!.caller, r.inputs[i]!.keys));
      expect(from, `call ${c.callId} copies a recorded call`).toBeDefined();
      expect(from!.has(Math.floor(c.arrivalSec / 1800))).toBe(true);
    });
  });

  it('keeps the time-of-day profile: each interval\'s mean count over replications is its recorded count', () => {
    const days = Array.from({ length: 60 }, (_, i) => countsByInterval(resampleDay(day, plan, i).calls));
    for (const [interval, n] of recorded) {
      const s = summarise(days.map((d) => d.get(interval) ?? 0));
      // 99.9% t-interval of the mean count, with a Poisson standard deviation √n.
      expect(Math.abs(s.mean! - n), `interval ${interval}: ${s.mean} vs ${n}`).toBeLessThan((3.5 * Math.sqrt(n)) / Math.sqrt(60));
    }
  });

  it('a day-level volume factor widens the spread of the day\'s volume and names itself in the method', () => {
    const volumes = (volumeCv: number) => summarise(Array.from({ length: 60 }, (_, i) => resampleDay(day, { ...plan, volumeCv }, i).calls.length));
    const plain = volumes(0);
    const wide = volumes(0.1);
    expect(wide.p975! - wide.p025!).toBeGreaterThan(3 * (plain.p975! - plain.p025!));
    expect(resamplingMethod({ ...plan, volumeCv: 0.1 })).toContain('volume factor');
    expect(resamplingMethod(plan)).toBe('poisson-bootstrap per 30-minute interval, jittered arrivals, fresh call ids');
  });
});
