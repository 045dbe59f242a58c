import { initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import type { Facts } from '../profile/facts.js';
import type { FlowContext } from './flow-machine.js';
import type { LoadedFlow } from './flow-loader.js';
import type { StateNodeInfo } from './flow-tree.js';
import type { InputSpec } from './flow-types.js';

/** A prompt the flow asked to play: one id, or a rotation among several (rolling promotions). */
export interface SayAction {
  prompt?: string;
  rotate?: string[];
}

/** A stable point of a call in its flow: waiting for input, for a prompt to end, or finished. */
export interface StepNode {
  readonly snapshot: AnyMachineSnapshot;
  readonly context: FlowContext;
  /** The atomic state the call is in. */
  readonly state: StateNodeInfo;
  readonly done: boolean;
  /** Top-level final state reached, when done. */
  readonly outcome: 'selfServed' | 'handoff' | null;
  readonly input: InputSpec | null;
  readonly edges: Map<string, StepEdge>;
}

/** Taking an event from a node: where it leads and what the caller hears on the way. */
export interface StepEdge {
  readonly node: StepNode;
  readonly says: readonly SayAction[];
  /** The says compiled against a prompt catalogue by the first call that took this memoised edge (see ivr-player.ts). */
  plan: SayPlan | undefined;
}

/**
 * An edge's prompts as table indices: per say, the prompt's index in the catalogue's duration
 * tables, or the indices it rotates among (rolling promotions).
 */
export interface SayPlan {
  readonly says: readonly (number | readonly number[])[];
  /**
   * The edge's summed duration per language when it is the same for every call (no rotation, no
   * prompt that reads a fact; NaN until a call asks), else null.
   */
  readonly sumSec: Float64Array | null;
}

export interface FlowStepperOptions {
  /**
   * Remember transitions. A call's path through a flow depends only on the events and on the
   * facts its guards read, so steps already taken by an earlier call with the same guard facts
   * are reused instead of asking XState again. Off = XState for every step (the reference).
   */
  memo?: boolean;
  /** Memory bound for the memo; it is cleared when exceeded. */
  maxNodes?: number;
}

interface FactsScope {
  start?: StepEdge;
  nodes: Map<string, StepNode>;
  /** The memo's generation the scope belongs to (the memo is cleared when it grows past its bound). */
  generation: number;
}

/** Runs a flow's XState machine one event at a time, optionally memoised. */
export class FlowStepper {
  private readonly memo: boolean;
  private readonly maxNodes: number;
  private readonly scopes = new Map<string, FactsScope>();
  /** The scope of a facts object: a directory caller's comes back call after call (FlowRuntime.factsOf), and its key is built once. */
  private readonly scopeByFacts = new WeakMap<Facts, FactsScope>();
  private generation = 0;
  private nodeCount = 0;

  constructor(
    readonly flow: LoadedFlow,
    opts: FlowStepperOptions = {},
  ) {
    this.memo = opts.memo ?? true;
    this.maxNodes = opts.maxNodes ?? 200_000;
  }

  /** The call enters the flow. */
  start(facts: Facts): StepEdge {
    const scope = this.scope(facts);
    if (scope?.start) return scope.start;
    const [snapshot, actions] = initialTransition(this.flow.machine, { facts });
    const edge: StepEdge = { node: this.intern(scope, snapshot), says: saysOf(actions), plan: undefined };
    if (scope) scope.start = edge;
    return edge;
  }

  /** Sends one event (`KEY.1`, `NO_INPUT`, `PROMPT_END`) to the call at `node`. */
  step(node: StepNode, eventType: string, facts: Facts): StepEdge {
    const cached = node.edges.get(eventType);
    if (cached) return cached;
    const scope = this.scope(facts);
    const [snapshot, actions] = transition(this.flow.machine, node.snapshot, { type: eventType });
    const edge: StepEdge = { node: this.intern(scope, snapshot), says: saysOf(actions), plan: undefined };
    if (scope) node.edges.set(eventType, edge);
    return edge;
  }

  /**
   * The memoised node a stored call is at (its persisted snapshot: value, and context with the
   * caller's facts), when an earlier call reached it: moving it on then reuses the steps taken
   * before instead of asking XState again. Undefined when not known (only slower).
   */
  lookup(facts: Facts, persisted: { value: unknown; context: Record<string, unknown> }): StepNode | undefined {
    return this.scope(facts)?.nodes.get(nodeKey(persisted.value, persisted.context));
  }

  /** A node for an XState snapshot restored from storage (live calls). */
  nodeFor(snapshot: AnyMachineSnapshot): StepNode {
    return this.intern(undefined, snapshot);
  }

  /** Whether steps are remembered (false: XState for every step, the reference). */
  get memoised(): boolean {
    return this.memo;
  }

  private scope(facts: Facts): FactsScope | undefined {
    if (!this.memo) return undefined;
    const known = this.scopeByFacts.get(facts);
    if (known !== undefined && known.generation === this.generation) return known;
    const key = scopeKey(this.flow, facts);
    let scope = this.scopes.get(key);
    if (!scope) {
      if (this.nodeCount > this.maxNodes) {
        this.scopes.clear();
        this.nodeCount = 0;
        this.generation++;
      }
      scope = { nodes: new Map(), generation: this.generation };
      this.scopes.set(key, scope);
    }
    this.scopeByFacts.set(facts, scope);
    return scope;
  }

  private intern(scope: FactsScope | undefined, snapshot: AnyMachineSnapshot): StepNode {
    const context = snapshot.context as FlowContext;
    let key = '';
    if (scope) {
      key = nodeKey(snapshot.value, context as unknown as Record<string, unknown>);
      const existing = scope.nodes.get(key);
      if (existing) return existing;
    }
    const state = leafOf(this.flow, snapshot.value);
    const done = snapshot.status === 'done';
    const node: StepNode = {
      snapshot,
      context,
      state,
      done,
      outcome: done ? (state.key as 'selfServed' | 'handoff') : null,
      input: state.config.meta?.input ?? null,
      edges: new Map(),
    };
    if (scope) {
      scope.nodes.set(key, node);
      this.nodeCount++;
    }
    return node;
  }
}

/**
 * The memo's key recipe, in two parts. A call's path through a flow depends only on the events
 * and on the facts its guards read: calls with the same guard facts share a scope …
 */
function scopeKey(flow: LoadedFlow, facts: Facts): string {
  let key = '';
  for (const f of flow.guardFacts) key += JSON.stringify(facts[f] ?? null) + '|';
  return key;
}

/** … and within a scope a node is its state value and its context without the facts. */
function nodeKey(value: unknown, context: Record<string, unknown>): string {
  const { facts: _facts, ...rest } = context;
  return JSON.stringify([value, rest]);
}

function saysOf(actions: ReadonlyArray<{ type: string; params?: unknown }>): SayAction[] {
  const out: SayAction[] = [];
  for (const a of actions) if (a.type === 'say') out.push((a.params ?? {}) as SayAction);
  return out;
}

/** The atomic state named by an XState state value (flows have no parallel states). */
export function leafOf(flow: LoadedFlow, value: unknown): StateNodeInfo {
  const parts: string[] = [];
  let v = value;
  while (v && typeof v === 'object') {
    const [k, inner] = Object.entries(v as Record<string, unknown>)[0]!;
    parts.push(k);
    v = inner;
  }
  if (typeof v === 'string') parts.push(v);
  const node = flow.tree.byPath.get(parts.join('.'));
  if (!node) throw new Error(`flow ${flow.id}: no state at ${parts.join('.')}`);
  return node;
}
