import { formatKeys } from '../flows/key-presses.js';
import { SeededRandom } from '../random/seeded-random.js';
import { ArrivalProcess, type ArrivalRate } from './arrival-process.js';
import { BehaviourSampler } from './behaviour-sampler.js';
import { formatOffsetDateTime, parseOffsetDateTime, type OffsetDateTime } from './date-time.js';
import type { CallerBehaviour } from './caller-behaviour.js';
import type { CallerPopulation } from './caller-population.js';
import { TraceGenerationError } from './trace-generation-error.js';
import type { TraceLine } from './trace-line.js';

export const DEFAULT_UNKNOWN_SHARE = 0.1;

export interface TraceGeneratorOptions {
  /** How many calls to generate. */
  calls: number;
  /** Same seed and options: the same trace, byte for byte. */
  seed: number;
  /** Poisson arrivals at a constant rate or along a day profile. */
  rate: ArrivalRate;
  /**
   * ISO-8601 date-time with a UTC offset: lines carry arrivalTime, and a day profile is read
   * at that local time. Without it lines carry arrivalSec and the trace starts at 00:00.
   */
  start?: string;
  population: CallerPopulation;
  /** Share of known callers per segment id; unnamed segments share the rest in natural proportion. */
  mix?: ReadonlyMap<string, number>;
  /** Share of callers whose number is not in the customers file (default 0.1). */
  unknownShare?: number;
  behaviour: CallerBehaviour;
}

/**
 * A synthetic trace, generated lazily: iterating yields one TraceLine at a time, so a million
 * calls need no more memory than one. Arrivals, callers, keys and times each draw from their
 * own random stream, so changing, say, the mix leaves the arrival times as they were.
 * Every option is checked on construction, before the first line.
 */
export class TraceGenerator implements Iterable<TraceLine> {
  private readonly start: OffsetDateTime | undefined;
  private readonly sampler: BehaviourSampler;
  private readonly drawCaller: ReturnType<CallerPopulation['sampler']>;

  constructor(private readonly options: TraceGeneratorOptions) {
    if (!Number.isInteger(options.calls) || options.calls < 0) throw new TraceGenerationError(`calls must be a whole number >= 0, got ${options.calls}`);
    if (!Number.isInteger(options.seed)) throw new TraceGenerationError(`the seed must be an integer, got ${options.seed}`);
    const rate = options.rate;
    if (rate.ratePerHour !== undefined && !(rate.ratePerHour > 0 && Number.isFinite(rate.ratePerHour))) {
      throw new TraceGenerationError(`the rate per hour must be a number above 0, got ${rate.ratePerHour}`);
    }
    this.start = options.start === undefined ? undefined : parseStart(options.start);
    this.drawCaller = options.population.sampler(options.mix, options.unknownShare ?? DEFAULT_UNKNOWN_SHARE);
    this.sampler = new BehaviourSampler(options.behaviour, options.population.segments());
  }

  *[Symbol.iterator](): Generator<TraceLine> {
    const { calls, seed, rate } = this.options;
    const arrivals = new ArrivalProcess(rate, calls, this.start?.secOfDay ?? 0, SeededRandom.stream(seed, 'arrivals'));
    const callers = SeededRandom.stream(seed, 'callers');
    const presses = SeededRandom.stream(seed, 'keys');
    const times = SeededRandom.stream(seed, 'times');
    const width = Math.max(6, String(calls).length);
    for (let i = 1; i <= calls; i++) {
      const ms = Math.round(arrivals.next() * 1000);
      const who = this.drawCaller(callers);
      const { keys } = this.sampler.keys(who.segment, presses);
      const talkSec = this.sampler.talkSec(who.segment, times);
      const patienceSec = this.sampler.patienceSec(who.segment, times);
      const hangupInIvrSec = this.sampler.hangupInIvrSec(times);

      // Built field by field so the JSON keeps the documented field order; talkSec is set below.
      const line = { callId: `c${String(i).padStart(width, '0')}` } as TraceLine;
      if (this.start) line.arrivalTime = formatOffsetDateTime(this.start.epochMs + ms, this.start.offsetMin);
      else line.arrivalSec = ms / 1000;
      line.caller = who.caller;
      if (keys.length) line.keys = formatKeys(keys);
      line.talkSec = talkSec;
      if (patienceSec !== undefined) line.patienceSec = patienceSec;
      if (hangupInIvrSec !== undefined) line.hangupInIvrSec = hangupInIvrSec;
      yield line;
    }
  }
}

/** One JSON Lines line (without the line break). Field order is the order the fields were set. */
export function formatTraceLine(line: TraceLine): string {
  return JSON.stringify(line);
}

/** Reads --start: a date-time with an explicit offset, so the output never depends on the machine's time zone. */
export function parseStart(text: string): OffsetDateTime {
  const start = parseOffsetDateTime(text);
  if (!start) throw new TraceGenerationError(`start "${text}": expected an ISO-8601 date-time with a UTC offset, e.g. 2025-03-03T09:00:00+08:00`);
  return start;
}
