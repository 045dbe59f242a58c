/**
 * A piecewise-constant quantity (calls waiting, agents logged in, agents busy) integrated
 * over fixed reporting intervals: per interval the area under it (value × seconds) and the
 * largest value it held for a positive time. Values that last zero seconds (a call queued
 * and answered in the same instant) do not count towards the maximum. Memory is one pair of
 * numbers per interval.
 */
export class IntervalIntegral {
  private value = 0;
  private since: number;
  private readonly areas: number[] = [];
  private readonly maxima: number[] = [];
  /** The slot holding `since` and where its interval ends, once known (-Infinity: not known). */
  private currentSlot = 0;
  private currentEnd = -Infinity;

  constructor(
    private readonly intervalSec: number,
    private readonly startSec: number,
  ) {
    this.since = startSec;
  }

  get current(): number {
    return this.value;
  }

  /** The value changes to `value` at time `now` (never earlier than the previous change). */
  set(now: number, value: number): void {
    this.advance(now);
    this.value = value;
  }

  add(now: number, delta: number): void {
    this.set(now, this.value + delta);
  }

  /** Accounts for the current value up to `now`. */
  advance(now: number): void {
    let from = this.since;
    if (now <= from) return;
    if (now < this.currentEnd) {
      // Still inside the interval `since` is in: the loop below would do exactly this.
      const slot = this.currentSlot;
      this.areas[slot]! += this.value * (now - from);
      if (this.value > this.maxima[slot]!) this.maxima[slot] = this.value;
      this.since = now;
      return;
    }
    const base = Math.floor(this.startSec / this.intervalSec);
    while (from < now) {
      const interval = Math.floor(from / this.intervalSec);
      const to = Math.min(now, (interval + 1) * this.intervalSec);
      const slot = interval - base;
      while (this.areas.length <= slot) {
        this.areas.push(0);
        this.maxima.push(0);
      }
      this.areas[slot]! += this.value * (to - from);
      if (this.value > this.maxima[slot]!) this.maxima[slot] = this.value;
      from = to;
    }
    this.since = now;
    const interval = Math.floor(now / this.intervalSec);
    const slot = interval - base;
    if (slot < this.areas.length) {
      this.currentSlot = slot;
      this.currentEnd = (interval + 1) * this.intervalSec;
    } else {
      this.currentEnd = -Infinity;
    }
  }

  /** Area and maximum of interval `slot` (0 = the interval holding startSec). */
  slot(slot: number): { area: number; max: number } {
    return { area: this.areas[slot] ?? 0, max: this.maxima[slot] ?? 0 };
  }
}
