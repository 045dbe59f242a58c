import type { SeededRandom } from '../random/seeded-random.js';
import type { DelayModel, PatienceModel, QueueBehaviour, RetrialModel, TailModel } from './queue-behaviour.js';

/** S(t): the share of callers still waiting t seconds after joining the queue. */
export function survival(model: PatienceModel, t: number): number {
  if (model.kind !== 'kaplanMeier') return tailSurvival(model, t);
  if (t < model.points[0]![0]) return 1;
  const last = model.points[model.points.length - 1]!;
  if (t > last[0]) return last[1] * (tailSurvival(model.tail, t) / tailSurvival(model.tail, last[0]));
  // The last point at or before t.
  let lo = 0;
  let hi = model.points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (model.points[mid]![0] <= t) lo = mid;
    else hi = mid - 1;
  }
  return model.points[lo]![1];
}

function tailSurvival(model: TailModel, t: number): number {
  if (t <= 0) return 1;
  return model.kind === 'exponential' ? Math.exp(-t / model.meanSec) : Math.exp(-Math.pow(t / model.scaleSec, model.shape));
}

/**
 * A patience drawn by inverse transform: with V uniform in (0, 1], the first time S falls below V.
 * P(T > t) = P(V ≤ S(t)) = S(t). Beyond a Kaplan–Meier curve's last point (V ≤ its survival) the
 * tail is inverted conditionally: S_tail(T) = (V / s_last) · S_tail(t_last).
 */
export function samplePatience(model: PatienceModel, random: SeededRandom): number {
  const v = 1 - random.next();
  if (model.kind !== 'kaplanMeier') return tailQuantile(model, 0, v);
  const { points } = model;
  const last = points[points.length - 1]!;
  if (v <= last[1]) return tailQuantile(model.tail, last[0], v / last[1]);
  // The first point whose survival is below v (survival does not rise, so binary search).
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]![1] < v) hi = mid;
    else lo = mid + 1;
  }
  return points[lo]![0];
}

/** The time T > from with S_tail(T) = w · S_tail(from), for w in (0, 1]. */
function tailQuantile(model: TailModel, from: number, w: number): number {
  if (model.kind === 'exponential') return from - model.meanSec * Math.log(w); // memoryless
  const { shape, scaleSec } = model;
  return scaleSec * Math.pow(Math.pow(from / scaleSec, shape) - Math.log(w), 1 / shape);
}

/** A delay: one of the observed values, each equally likely, or a lognormal draw. */
export function sampleDelay(model: DelayModel, random: SeededRandom): number {
  if (model.kind === 'empirical') return model.valuesSec[Math.floor(random.next() * model.valuesSec.length)]!;
  return random.lognormal(model.meanSec, model.cv);
}

/** The patience model for calls entering `queue`; undefined when the behaviour has none (callers wait). */
export function patienceModelFor(behaviour: QueueBehaviour, queue: string): PatienceModel | undefined {
  const p = behaviour.patience;
  if (!p) return undefined;
  return p.byQueue?.[queue] ?? p.default;
}

/** The share of callers who call again after hanging up in `queue` (the queue they first entered). */
export function retrialProbabilityFor(retrials: RetrialModel, queue: string): number {
  return retrials.byQueue?.[queue] ?? retrials.probability;
}
