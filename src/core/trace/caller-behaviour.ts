import { IssueCollector, pointer } from '../config/config-error.js';
import { loadDocument } from '../config/document.js';
import { checkDocument } from '../config/schema-validator.js';
import { traceWording } from './trace-schemas.js';

/** A lognormal distribution by its mean and coefficient of variation. */
export interface Distribution {
  mean: number;
  cv: number;
}

/** How presses are timed: a share barge in (afterSec drawn), the rest press as the prompt ends. */
export interface PressTiming {
  bargeInShare: number;
  afterSec: Distribution;
}

/** Fixed keys ("2,1"; "" for none), or a weighted choice of such keys. */
export type BehaviourStep = string | { oneOf: Record<string, number> };

/** One thing a caller does in the IVR. */
export interface Behaviour {
  name: string;
  description?: string;
  weight: number;
  /** Weight for callers of these segments instead of `weight`. */
  weightBySegment?: Record<string, number>;
  presses?: PressTiming;
  /** Steps in order; a step that gives no keys ends the caller's input. */
  keys: BehaviourStep[];
}

/** What synthetic callers do (schemas/caller-behaviour.schema.json; data/caller-behaviour.json). */
export interface CallerBehaviour {
  description?: string;
  presses: PressTiming;
  behaviours: Behaviour[];
  talkSec: Distribution & { bySegment?: Record<string, Distribution> };
  patience: { meanSec: number; unlimitedShare: number; bySegment?: Record<string, number> };
  hangupInIvr: { share: number; afterSec: Distribution };
}

/** Reads and checks a caller-behaviour file; throws a ConfigError with every located issue. */
export function loadCallerBehaviour(file: string): CallerBehaviour {
  const issues = new IssueCollector();
  const doc = loadDocument<CallerBehaviour>('caller-behaviour', file, issues, { wording: traceWording() });
  issues.throwIfErrors();
  return checkCallerBehaviour(doc, file);
}

/** Checks a parsed caller-behaviour document: the schema, then what it cannot say. */
export function checkCallerBehaviour(doc: unknown, file: string): CallerBehaviour {
  const issues = new IssueCollector();
  checkDocument('caller-behaviour', doc, file, issues, { wording: traceWording() });
  issues.throwIfErrors();
  const b = doc as CallerBehaviour;
  const names = new Map<string, number>();
  b.behaviours.forEach((x, i) => {
    const first = names.get(x.name);
    if (first !== undefined) issues.error(file, pointer('behaviours', i, 'name'), `behaviour "${x.name}" is already /behaviours/${first}`);
    else names.set(x.name, i);
    x.keys.forEach((step, j) => {
      if (typeof step !== 'string' && !Object.values(step.oneOf).some((w) => w > 0)) {
        issues.error(file, pointer('behaviours', i, 'keys', j, 'oneOf'), 'needs at least one choice with a weight above 0');
      }
    });
  });
  issues.throwIfErrors();
  return b;
}
