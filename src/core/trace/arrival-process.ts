import type { SeededRandom } from '../random/seeded-random.js';
import type { DayProfile } from './day-profile.js';

/** A constant arrival rate, or a day profile (optionally rescaled to an hourly average). */
export type ArrivalRate = { ratePerHour: number } | { profile: DayProfile; ratePerHour?: number };

const HOUR = 3600;
const DAY = 24 * HOUR;

/**
 * Expected calls in each local hour. A relative profile without a rate is scaled so that a
 * day holds `calls` calls; any profile with a rate is scaled so its hourly average is that rate.
 */
export function hourlyRates(rate: ArrivalRate, calls: number): number[] {
  if (!('profile' in rate)) return new Array<number>(24).fill(rate.ratePerHour);
  const hours = rate.profile.hours;
  const total = hours.reduce((a, b) => a + b, 0);
  if (rate.ratePerHour !== undefined) return hours.map((h) => (h / total) * 24 * rate.ratePerHour!);
  if (rate.profile.unit === 'relative') return hours.map((h) => (h / total) * calls);
  return [...hours];
}

/**
 * Poisson arrivals, homogeneous or with a piecewise-constant hourly rate. The inhomogeneous
 * case uses the time change: unit-rate exponential gaps are spent against the cumulative rate,
 * hour by hour, so zero-rate hours are simply crossed and no draws are thrown away.
 */
export class ArrivalProcess {
  /** Seconds since the start of the trace of the last arrival. */
  private t = 0;
  private readonly perSec: number[];

  constructor(
    rate: ArrivalRate,
    calls: number,
    /** Local time of day at the start of the trace, seconds after midnight. */
    private readonly startSecOfDay: number,
    private readonly random: SeededRandom,
  ) {
    this.perSec = hourlyRates(rate, calls).map((r) => r / HOUR);
    if (!this.perSec.some((r) => r > 0)) throw new RangeError('the arrival rate is 0 in every hour');
  }

  /** Seconds since the start of the trace at which the next call arrives. */
  next(): number {
    let need = this.random.exponential(1);
    for (;;) {
      const clock = (this.startSecOfDay + this.t) % DAY;
      const hour = Math.floor(clock / HOUR);
      const rate = this.perSec[hour]!;
      const left = (hour + 1) * HOUR - clock;
      if (rate > 0 && need <= rate * left) {
        this.t += need / rate;
        return this.t;
      }
      need -= rate * left;
      this.t += left;
    }
  }
}
