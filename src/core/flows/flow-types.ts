/**
 * The shape of a flow file in `flows/`: an XState 5 machine config kept as JSON, plus
 * a few conventions in `meta` that the engine reads (input waits, hot keys, sub-flows).
 * See docs in README "How to add a segment flow".
 */
export type ActionRef = string | { type: string; params?: Record<string, unknown> };
export type GuardRef = string | { type: string; params?: Record<string, unknown> };

export interface TransitionObject {
  target?: string | string[];
  guard?: GuardRef;
  actions?: ActionRef | ActionRef[];
  reenter?: boolean;
  description?: string;
}
export type TransitionSpec = string | TransitionObject | TransitionObject[];

/** An input wait: the state's prompts play, then the caller has `timeoutSec` to press a key. */
export interface InputSpec {
  timeoutSec: number;
  /** Keys may interrupt the prompt (default true). */
  bargeIn?: boolean;
  /** The flow's hot keys are active in this state. */
  hotKeys?: boolean;
}

export interface StateMeta {
  input?: InputSpec;
  /** Inline this shared sub-flow (a file in flows/shared/) as this state's children. */
  subflow?: string;
  description?: string;
  [k: string]: unknown;
}

export interface StateConfig {
  id?: string;
  type?: 'final' | 'compound' | 'atomic';
  initial?: string;
  states?: Record<string, StateConfig>;
  entry?: ActionRef | ActionRef[];
  exit?: ActionRef | ActionRef[];
  on?: Record<string, TransitionSpec>;
  always?: TransitionSpec;
  onDone?: TransitionSpec;
  meta?: StateMeta;
  description?: string;
}

export interface HotKeySpec {
  key: string;
  /** A top-level state of the flow. */
  target: string;
  intent: string;
  label?: string;
}

export interface FlowMeta {
  /** The customer segment this flow serves (one flow per segment). */
  segment: string;
  title?: string;
  hotKeys?: HotKeySpec[];
  [k: string]: unknown;
}

export interface FlowFile extends StateConfig {
  $schema?: string;
  id: string;
  initial: string;
  states: Record<string, StateConfig>;
  context?: Record<string, unknown>;
  meta: FlowMeta;
}

export interface SubflowFile extends StateConfig {
  $schema?: string;
  id: string;
  initial: string;
  states: Record<string, StateConfig>;
  meta?: { kind?: 'subflow'; [k: string]: unknown };
}

/** The two ways a flow ends, as top-level final states. */
export const OUTCOME_STATES = ['selfServed', 'handoff'] as const;

/** DTMF keys a caller can press. */
export const DTMF_KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'] as const;

export function asArray<T>(x: T | T[] | undefined): T[] {
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

export function transitionsOf(spec: TransitionSpec | undefined): TransitionObject[] {
  if (spec === undefined) return [];
  if (typeof spec === 'string') return [{ target: spec }];
  return Array.isArray(spec) ? spec : [spec];
}

export function refType(ref: ActionRef | GuardRef): string {
  return typeof ref === 'string' ? ref : ref.type;
}

export function refParams(ref: ActionRef | GuardRef): Record<string, unknown> {
  return typeof ref === 'string' ? {} : (ref.params ?? {});
}
