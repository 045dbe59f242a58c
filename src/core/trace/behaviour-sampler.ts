import type { KeyPress } from '../flows/key-presses.js';
import type { SeededRandom } from '../random/seeded-random.js';
import type { BehaviourStep, CallerBehaviour, Distribution, PressTiming } from './caller-behaviour.js';
import { TraceGenerationError } from './trace-generation-error.js';

interface CompiledStep {
  choices: string[][];
  weights: number[];
}

interface CompiledBehaviour {
  name: string;
  presses: PressTiming;
  steps: CompiledStep[];
}

/** Seconds in a trace line: tenths are plenty for presses and waits. */
const tenth = (x: number) => Math.round(x * 10) / 10;

/**
 * Draws what one caller does from a CallerBehaviour: the keys with their timings, the handle
 * time, the patience and an IVR hang-up. Pure given the random stream it is handed.
 */
export class BehaviourSampler {
  private readonly behaviours: CompiledBehaviour[];
  private readonly weightsBySegment = new Map<string, number[]>();

  constructor(
    private readonly model: CallerBehaviour,
    /** Every segment callers may be in: each must have something to do. */
    segments: Iterable<string>,
  ) {
    this.behaviours = model.behaviours.map((b) => ({ name: b.name, presses: b.presses ?? model.presses, steps: b.keys.map(compileStep) }));
    for (const segment of segments) {
      const weights = model.behaviours.map((b) => b.weightBySegment?.[segment] ?? b.weight);
      if (!weights.some((w) => w > 0)) {
        throw new TraceGenerationError(`caller behaviour: no behaviour has a weight above 0 for segment "${segment}"; give one a weight or a weightBySegment entry`);
      }
      this.weightsBySegment.set(segment, weights);
    }
  }

  /** The behaviour a caller of `segment` follows, and the keys it presses. */
  keys(segment: string, random: SeededRandom): { behaviour: string; keys: KeyPress[] } {
    const weights = this.weightsBySegment.get(segment);
    if (!weights) throw new TraceGenerationError(`caller behaviour: segment "${segment}" was not announced to the sampler`);
    const b = this.behaviours[random.pick(weights)]!;
    const keys: KeyPress[] = [];
    for (const step of b.steps) {
      const chosen = step.choices.length === 1 ? step.choices[0]! : step.choices[random.pick(step.weights)]!;
      if (chosen.length === 0) break;
      for (const key of chosen) {
        keys.push(random.chance(b.presses.bargeInShare) ? { key, afterSec: tenth(draw(random, b.presses.afterSec)) } : { key });
      }
    }
    return { behaviour: b.name, keys };
  }

  /** Handle time, whole seconds, at least 1. */
  talkSec(segment: string, random: SeededRandom): number {
    const d = this.model.talkSec.bySegment?.[segment] ?? this.model.talkSec;
    return Math.max(1, Math.round(draw(random, d)));
  }

  /** Queue patience, or undefined for a caller who waits as long as it takes. */
  patienceSec(segment: string, random: SeededRandom): number | undefined {
    const p = this.model.patience;
    const unlimited = random.chance(p.unlimitedShare);
    const sec = random.exponential(p.bySegment?.[segment] ?? p.meanSec);
    return unlimited ? undefined : tenth(sec);
  }

  /** When the caller hangs up in the IVR, or undefined for one who stays. */
  hangupInIvrSec(random: SeededRandom): number | undefined {
    const h = this.model.hangupInIvr;
    const hangs = random.chance(h.share);
    const sec = draw(random, h.afterSec);
    return hangs ? tenth(sec) : undefined;
  }
}

function draw(random: SeededRandom, d: Distribution): number {
  return random.lognormal(d.mean, d.cv);
}

function compileStep(step: BehaviourStep): CompiledStep {
  const split = (keys: string) => (keys === '' ? [] : keys.split(','));
  if (typeof step === 'string') return { choices: [split(step)], weights: [1] };
  const entries = Object.entries(step.oneOf);
  return { choices: entries.map(([k]) => split(k)), weights: entries.map(([, w]) => w) };
}
