/** Wall-clock time in epoch milliseconds. Live calls read it through this, so tests move time by hand. */
export interface Clock {
  now(): number;
}

/** A clock that only moves when told to (tests, benchmarks with scripted callers). */
export class ManualClock implements Clock {
  constructor(private ms = 0) {}

  now(): number {
    return this.ms;
  }

  set(ms: number): void {
    this.ms = ms;
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}
