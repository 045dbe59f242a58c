import { createEmptyActor, getInitialMicrosteps, type AnyActorScope, type AnyMachineSnapshot } from 'xstate';
import type { LoadedFlow } from '../flows/flow-loader.js';
import { compareFact, type FactGuardOp, type FlowContext } from '../flows/flow-machine.js';
import { guardFactVariants } from '../flows/flow-paths.js';
import { leafOf } from '../flows/flow-stepper.js';
import type { StateNodeInfo } from '../flows/flow-tree.js';
import { DTMF_KEYS } from '../flows/flow-types.js';
import type { Facts } from '../profile/facts.js';
import { NamedError } from '../errors/named-error.js';

/**
 * A point where a call rests in its flow (waiting for a key, for a prompt to end, or done),
 * told apart by what guards can read: the state, the retry counts and the diagnosis result.
 */
export interface Situation {
  readonly id: number;
  readonly snapshot: AnyMachineSnapshot;
  readonly state: StateNodeInfo;
  /** The guard-fact variant this situation was reached with. */
  readonly facts: Facts;
  readonly done: boolean;
  /** The first (shortest) way here, for printing a path; null for the start of a call. */
  readonly via: { readonly from: Situation; readonly event: string } | null;
  /** Caller events along `via` from the start of the call. */
  readonly depth: number;
  readonly moves: Move[];
}

/** What one caller event does in a situation. */
export interface Move {
  readonly event: string;
  readonly to: Situation;
  /** States entered on the way that the call does not rest in (eventless checks, a sub-flow's final states). */
  readonly passed: readonly StateNodeInfo[];
}

/** Every situation a caller can bring a flow into, explored as calls really run. */
export interface FlowExploration {
  readonly flow: LoadedFlow;
  /** One start per distinct behaviour of the flow's fact guards. */
  readonly starts: readonly Situation[];
  readonly situations: readonly Situation[];
  /** Where each start passed before resting (an initial state that is an eventless check). */
  readonly initiallyPassed: ReadonlyMap<Situation, readonly StateNodeInfo[]>;
}

/** Beyond this many situations a flow is not explored further (a designer error, not a real IVR). */
const MAX_SITUATIONS = 50_000;

export class ExplorationLimitError extends NamedError {
  readonly code = 'EXPLORATION_LIMIT';
  /** A flow file problem: the command line reports it like bad data (exit code 1). */
  override readonly exitCode = 1;
  constructor(flowId: string) {
    super(`flow ${flowId} has more than ${MAX_SITUATIONS} distinct situations; retry counters without a bound?`);
    this.name = 'ExplorationLimitError';
  }
}

/**
 * Explores a flow the way the IVR player drives it: a state waiting for input gets every key
 * and a timeout, any other state gets its prompt's end. Keys the state does not handle by name
 * all take the same `KEY.*` path, so one of them stands for the rest — the search stays small
 * without missing a branch.
 */
export function exploreFlow(flow: LoadedFlow): FlowExploration {
  const scope = inertScope();
  const situations: Situation[] = [];
  const byKey = new Map<string, Situation>();
  const starts: Situation[] = [];
  const initiallyPassed = new Map<Situation, StateNodeInfo[]>();
  const queue: Situation[] = [];

  const intern = (snapshot: AnyMachineSnapshot, facts: Facts, variant: number, via: Situation['via']): Situation => {
    const c = snapshot.context as FlowContext;
    const key = JSON.stringify([variant, snapshot.value, c.retries, c.diagnosis?.result ?? null]);
    const known = byKey.get(key);
    if (known) return known;
    if (situations.length >= MAX_SITUATIONS) throw new ExplorationLimitError(flow.id);
    const s: Situation = {
      id: situations.length,
      snapshot,
      state: leafOf(flow, snapshot.value),
      facts,
      done: snapshot.status === 'done',
      via,
      depth: via ? via.from.depth + 1 : 0,
      moves: [],
    };
    situations.push(s);
    byKey.set(key, s);
    queue.push(s);
    return s;
  };

  distinctVariants(flow).forEach((facts, variant) => {
    const steps = getInitialMicrosteps(flow.machine, { facts });
    const snapshots = steps.map(([snap]) => snap as AnyMachineSnapshot);
    const start = intern(snapshots[snapshots.length - 1]!, facts, variant, null);
    starts.push(start);
    initiallyPassed.set(start, passedStates(flow, snapshots.slice(0, -1), start.state));
    while (queue.length) {
      const s = queue.shift()!;
      for (const event of callerEvents(s)) {
        const micro = flow.machine.microstep(s.snapshot, { type: event }, scope) as AnyMachineSnapshot[];
        const next = micro.length ? micro[micro.length - 1]! : s.snapshot;
        const to = intern(next, facts, variant, { from: s, event });
        s.moves.push({ event, to, passed: passedStates(flow, micro.slice(0, -1), to.state) });
      }
    }
  });
  return { flow, starts, situations, initiallyPassed };
}

/** Situations from which the call can still end (reach selfServed or handoff). */
export function situationsThatCanEnd(exploration: FlowExploration): Set<Situation> {
  const reverse = new Map<Situation, Situation[]>();
  for (const s of exploration.situations) {
    for (const m of s.moves) {
      const list = reverse.get(m.to);
      if (list) list.push(s);
      else reverse.set(m.to, [s]);
    }
  }
  const canEnd = new Set(exploration.situations.filter((s) => s.done));
  const stack = [...canEnd];
  while (stack.length) {
    for (const p of reverse.get(stack.pop()!) ?? []) {
      if (!canEnd.has(p)) {
        canEnd.add(p);
        stack.push(p);
      }
    }
  }
  return canEnd;
}

/** Every state a call can be in or pass through, by dotted path. */
export function reachedStates(exploration: FlowExploration): Set<string> {
  const out = new Set<string>();
  for (const [, passed] of exploration.initiallyPassed) for (const p of passed) out.add(p.path);
  for (const s of exploration.situations) {
    out.add(s.state.path);
    for (const m of s.moves) for (const p of m.passed) out.add(p.path);
  }
  return out;
}

/** The caller events from the start of the call to a situation, along its shortest way. */
export function eventsTo(situation: Situation): string[] {
  const events: string[] = [];
  for (let s: Situation = situation; s.via; s = s.via.from) events.push(s.via.event);
  return events.reverse();
}

/**
 * The events a caller can cause in a situation. Keys without a transition of their own (in the
 * state or an enclosing one) behave alike; the lowest such digit stands for all of them.
 */
export function callerEvents(s: Situation): string[] {
  if (s.done) return [];
  if (!s.state.config.meta?.input) return ['PROMPT_END'];
  const named = new Set<string>();
  for (let n: StateNodeInfo | null = s.state; n; n = n.parent) for (const ev of Object.keys(n.config.on ?? {})) named.add(ev);
  const events: string[] = [];
  let other: string | undefined;
  for (const k of DTMF_KEYS) {
    const ev = `KEY.${k}`;
    if (named.has(ev) && ev !== 'KEY.*') events.push(ev);
    else other ??= ev;
  }
  if (other) events.push(other);
  events.push('NO_INPUT');
  return events;
}

/**
 * Guard-fact variants that make the flow's fact guards answer differently: variants with the
 * same answers behave the same for the whole call, so one of them is enough.
 */
export function distinctVariants(flow: LoadedFlow): Facts[] {
  const seen = new Set<string>();
  return guardFactVariants(flow).filter((facts) => {
    const answers = guardAnswers(flow, facts);
    if (seen.has(answers)) return false;
    seen.add(answers);
    return true;
  });
}

/**
 * How the flow's fact guards answer for these facts. Two callers with the same answers take the
 * same path for the same keys (the facts are fixed for the whole call).
 */
export function guardAnswers(flow: LoadedFlow, facts: Facts): string {
  return flow.tree
    .transitions()
    .map((t) => t.transition.guard)
    .filter((g): g is { type: string; params: Record<string, unknown> } => typeof g === 'object' && g.type === 'fact' && g.params !== undefined)
    .map((g) => (compareFact(facts[String(g.params['fact'])], g.params['op'] as FactGuardOp, g.params['value']) ? '1' : '0'))
    .join('');
}

function passedStates(flow: LoadedFlow, snapshots: readonly AnyMachineSnapshot[], restingIn: StateNodeInfo): StateNodeInfo[] {
  const out: StateNodeInfo[] = [];
  for (const snap of snapshots) {
    const s = leafOf(flow, snap.value);
    if (s !== restingIn && !out.includes(s)) out.push(s);
  }
  return out;
}

/** An actor scope that runs nothing: transitions are computed, never executed (as @xstate/graph does). */
function inertScope(): AnyActorScope {
  const actor = createEmptyActor();
  return {
    self: actor,
    id: '',
    sessionId: '',
    logger: () => {},
    defer: () => {},
    emit: () => {},
    system: actor.system,
    stopChild: () => {},
    actionExecutor: () => {},
  } as AnyActorScope;
}
