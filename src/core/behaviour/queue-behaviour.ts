import { IssueCollector, pointer } from '../config/config-error.js';
import { loadDocument } from '../config/document.js';
import { checkDocument } from '../config/schema-validator.js';

/** Exponential patience or delay with this mean. */
export interface ExponentialModel {
  kind: 'exponential';
  meanSec: number;
}

/** Weibull: survival exp(-(t/scaleSec)^shape). */
export interface WeibullModel {
  kind: 'weibull';
  shape: number;
  scaleSec: number;
}

/** A parametric patience distribution: alone, or as a Kaplan–Meier curve's tail. */
export type TailModel = ExponentialModel | WeibullModel;

/**
 * A Kaplan–Meier step function: S(t) = 1 before the first point, the point's survival from its
 * time on; beyond the last point the tail, conditional on having waited that long.
 */
export interface KaplanMeierModel {
  kind: 'kaplanMeier';
  /** [tSec, survival]: times ascending and above 0, survival in (0, 1] and non-increasing. */
  points: [number, number][];
  tail: TailModel;
}

export type PatienceModel = KaplanMeierModel | TailModel;

/** Delays drawn uniformly from observed ones, or lognormal by mean and coefficient of variation. */
export type DelayModel = { kind: 'empirical'; valuesSec: number[] } | { kind: 'lognormal'; meanSec: number; cv: number };

export interface RetrialModel {
  /** Share of callers who hang up in the queue and call again. */
  probability: number;
  /** Per queue id (the queue the abandoned call first entered), instead of probability. */
  byQueue?: Record<string, number>;
  /** From the hang-up to the next call's arrival. */
  delaySec: DelayModel;
}

/**
 * How callers behave in the agent queues (schemas/queue-behaviour.schema.json): patience for
 * trace lines without patienceSec, and retrials of callers who hang up.
 */
export interface QueueBehaviour {
  description?: string;
  patience?: { default: PatienceModel; byQueue?: Record<string, PatienceModel> };
  retrials?: RetrialModel;
}

/** Reads and checks a queue-behaviour file; throws a ConfigError with every located issue. */
export function loadQueueBehaviour(file: string): QueueBehaviour {
  const issues = new IssueCollector();
  const doc = loadDocument<QueueBehaviour>('queue-behaviour', file, issues);
  issues.throwIfErrors();
  return checkQueueBehaviour(doc, file);
}

/** Checks a parsed queue-behaviour document: the schema, then what it cannot say (the order of a curve's points). */
export function checkQueueBehaviour(doc: unknown, file: string): QueueBehaviour {
  const issues = new IssueCollector();
  checkDocument('queue-behaviour', doc, file, issues);
  issues.throwIfErrors();
  const b = doc as QueueBehaviour;
  if (b.patience) {
    checkCurve(b.patience.default, file, pointer('patience', 'default'), issues);
    for (const [queue, model] of Object.entries(b.patience.byQueue ?? {})) checkCurve(model, file, pointer('patience', 'byQueue', queue), issues);
  }
  issues.throwIfErrors();
  return b;
}

function checkCurve(model: PatienceModel, file: string, at: string, issues: IssueCollector): void {
  if (model.kind !== 'kaplanMeier') return;
  for (let i = 1; i < model.points.length; i++) {
    const [t0, s0] = model.points[i - 1]!;
    const [t, s] = model.points[i]!;
    if (!(t > t0)) issues.error(file, `${at}/points/${i}/0`, `times must ascend: ${t} s follows ${t0} s`);
    if (s > s0) issues.error(file, `${at}/points/${i}/1`, `survival must not rise: ${s} follows ${s0}`);
  }
}

/** Per-queue entries naming queues the staffing does not have (a typo, or another centre's model): their JSON Pointers. */
export function unknownBehaviourQueues(behaviour: QueueBehaviour, queueIds: ReadonlySet<string>): string[] {
  const paths: string[] = [];
  for (const queue of Object.keys(behaviour.patience?.byQueue ?? {})) if (!queueIds.has(queue)) paths.push(pointer('patience', 'byQueue', queue));
  for (const queue of Object.keys(behaviour.retrials?.byQueue ?? {})) if (!queueIds.has(queue)) paths.push(pointer('retrials', 'byQueue', queue));
  return paths;
}
