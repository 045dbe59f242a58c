import { describe, expect, it } from 'vitest';
import type { ReplayCall } from '../../src/core/replay/compact-decision.js';
import { TraceForecaster } from '../../src/core/replay/trace-forecast.js';

/** An ACD-level call into general (no IVR time): it counts where it arrives. */
const call = (arrivalSec: number): ReplayCall => ({ callId: `c${arrivalSec}`, arrivalSec, queue: 'general', talkSec: 200 });

function forecastOf(arrivals: number[], intervalMin = 30): number[] {
  const f = new TraceForecaster(intervalMin);
  for (const t of arrivals) f.add(call(t), null);
  return f.forecasts(0, ['general'])[0]!.arrivals;
}

describe('turning a trace into arrivals per interval of the day', () => {
  it('counts calls in the interval of the day they reach the queue', () => {
    // One call every 10 s from 09:00 to 09:59:50: 180 in each half hour.
    const arrivals = forecastOf(Array.from({ length: 360 }, (_, i) => 9 * 3600 + i * 10));
    expect(arrivals[18]).toBeCloseTo(180, 6);
    expect(arrivals[19]).toBeCloseTo(180, 0);
    expect(arrivals.filter((n, i) => n > 0 && i !== 18 && i !== 19)).toEqual([]);
  });

  it('reads an interval the trace covers only in part at the rate it saw, not as a quiet interval', () => {
    // Every 10 s from 09:00 to 09:32: the 09:30 interval is seen for two minutes, at the same rate.
    const arrivals = forecastOf(Array.from({ length: 193 }, (_, i) => 9 * 3600 + i * 10));
    expect(arrivals[18]).toBeCloseTo(180, 6);
    expect(arrivals[19]).toBeCloseTo(180, 0);
  });

  it('does not make a rush out of a few seconds at the edge of the trace', () => {
    // Every 10 s from 09:00 to 10:00 sharp: the 10:00 interval holds one call, seen for five seconds.
    const arrivals = forecastOf(Array.from({ length: 361 }, (_, i) => 9 * 3600 + i * 10));
    expect(arrivals[20]).toBeCloseTo(180, 0);
    expect(arrivals[17]).toBe(0);
  });

  it('averages an interval over the days that cover it', () => {
    // Day 0: 10:00–10:30, one call a minute; day 1: the same half hour, two a minute.
    const day0 = Array.from({ length: 30 }, (_, i) => 10 * 3600 + i * 60 + 30);
    const day1 = Array.from({ length: 60 }, (_, i) => 86_400 + 10 * 3600 + i * 30 + 15);
    const arrivals = forecastOf([...day0, ...day1]);
    expect(arrivals[20]).toBeCloseTo(45, 0);
  });
});
