import type { Configuration } from '../configuration/configuration.js';
import { CallDecider } from '../decision/call-decider.js';
import type { SeededRandom } from '../random/seeded-random.js';
import { TraceGenerationError } from './trace-generation-error.js';

/** A known caller and the segment the rules put them in. */
export interface PopulationMember {
  phone: string;
  segment: string;
}

export interface DrawnCaller {
  caller: string;
  segment: string;
  known: boolean;
}

/**
 * The callers a synthetic trace draws from: the customers file, grouped by the segment the
 * segmentation rules give each customer, plus numbers not in the file.
 */
export class CallerPopulation {
  private readonly bySegment = new Map<string, string[]>();

  constructor(
    members: readonly PopulationMember[],
    /** Whether a number belongs to a known customer (unknown numbers must not). */
    private readonly isKnown: (phone: string) => boolean,
    /** The segment of callers not in the customers file. */
    readonly unknownSegment: string,
  ) {
    for (const m of members) {
      let list = this.bySegment.get(m.segment);
      if (!list) this.bySegment.set(m.segment, (list = []));
      list.push(m.phone);
    }
  }

  /** Segments every customer by the configuration's rules (once per customer). */
  static fromConfiguration(config: Configuration): CallerPopulation {
    const decider = new CallDecider(config);
    const members = [...config.customers.all()].map((profile) => ({ phone: profile.phone, segment: decider.segmentFor({ profile }).id }));
    const unknownSegment = decider.segmentFor({}).id;
    return new CallerPopulation(members, (phone) => config.customers.lookup(phone).known, unknownSegment);
  }

  /** Customers per segment, in the customers file's order of first appearance. */
  counts(): Map<string, number> {
    return new Map([...this.bySegment].map(([s, l]) => [s, l.length]));
  }

  /** Every segment a drawn caller can be in. */
  segments(): Set<string> {
    return new Set([...this.bySegment.keys(), this.unknownSegment]);
  }

  /**
   * The share of known callers per segment. Segments named in `mix` get their share; the rest
   * of the known callers spread over the unnamed segments in their natural proportions.
   */
  resolveMix(mix: ReadonlyMap<string, number> = new Map()): Map<string, number> {
    const counts = this.counts();
    let named = 0;
    for (const [segment, share] of mix) {
      if (!counts.has(segment)) {
        throw new TraceGenerationError(`mix: no customer is in segment "${segment}"; segments: ${[...counts.keys()].join(', ')}`);
      }
      if (!(share >= 0 && share <= 1)) throw new TraceGenerationError(`mix: the share of "${segment}" must be between 0 and 1, got ${share}`);
      named += share;
    }
    if (named > 1 + 1e-9) throw new TraceGenerationError(`mix: the shares add up to ${round(named)}, more than 1`);
    const rest = [...counts].filter(([s]) => !mix.has(s));
    const restCustomers = rest.reduce((a, [, n]) => a + n, 0);
    if (named < 1 - 1e-9 && restCustomers === 0) {
      throw new TraceGenerationError(`mix: the shares add up to ${round(named)}; with every segment named they must add up to 1`);
    }
    const shares = new Map<string, number>();
    for (const [segment] of counts) {
      const share = mix.get(segment) ?? (restCustomers ? ((1 - named) * counts.get(segment)!) / restCustomers : 0);
      shares.set(segment, Math.max(0, share));
    }
    return shares;
  }

  /** A sampler over this population with a segment mix and a share of unknown callers. */
  sampler(mix: ReadonlyMap<string, number> | undefined, unknownShare: number): (random: SeededRandom) => DrawnCaller {
    if (!(unknownShare >= 0 && unknownShare <= 1)) throw new TraceGenerationError(`the unknown-caller share must be between 0 and 1, got ${unknownShare}`);
    const shares = [...this.resolveMix(mix)];
    if (this.bySegment.size === 0 && unknownShare < 1) throw new TraceGenerationError('the customers file is empty: every caller would have to be unknown (unknown share 1)');
    const segments = shares.map(([s]) => s);
    const weights = shares.map(([, w]) => w);
    return (random) => {
      if (random.chance(unknownShare)) return { caller: this.unknownNumber(random), segment: this.unknownSegment, known: false };
      const segment = segments[random.pick(weights)]!;
      const phones = this.bySegment.get(segment)!;
      return { caller: phones[random.int(0, phones.length - 1)]!, segment, known: true };
    };
  }

  /** A mainland mobile number that is not in the customers file. */
  private unknownNumber(random: SeededRandom): string {
    for (;;) {
      const prefix = UNKNOWN_PREFIXES[random.int(0, UNKNOWN_PREFIXES.length - 1)]!;
      const phone = `+86${prefix}${String(random.int(0, 99_999_999)).padStart(8, '0')}`;
      if (!this.isKnown(phone)) return phone;
    }
  }
}

/** Common mainland mobile prefixes for made-up numbers. */
const UNKNOWN_PREFIXES = ['139', '158', '186', '177'];

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
