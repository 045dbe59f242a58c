import { getShortestPaths } from '@xstate/graph';
import { createActor, type AnyMachineSnapshot } from 'xstate';
import type { Facts } from '../profile/facts.js';
import type { FlowContext } from './flow-machine.js';
import type { LoadedFlow } from './flow-loader.js';
import { leafOf } from './flow-stepper.js';
import { DTMF_KEYS } from './flow-types.js';

/** The events a caller can cause: every key, a timeout, a prompt ending. */
export const CALLER_EVENTS: readonly string[] = [...DTMF_KEYS.map((k) => `KEY.${k}`), 'NO_INPUT', 'PROMPT_END'];
const WAITING_EVENTS = [...DTMF_KEYS.map((k) => ({ type: `KEY.${k}` })), { type: 'NO_INPUT' }];
const ANNOUNCING_EVENTS = [{ type: 'PROMPT_END' }];

export interface FlowPath {
  /** Atomic state reached (dotted path), e.g. `diagnosis.symptom`, `handoff`. */
  state: string;
  /** Events from the start of the call, e.g. ['KEY.3', 'KEY.1', 'KEY.1']. */
  events: string[];
  /** The facts this path needs (guards read them), e.g. { areaOutage: true }. */
  facts: Facts;
}

/**
 * Distinguishes call situations by state and by the context that guards read (retry counts,
 * diagnosis result) — not by what is only recorded (intents, hot key, steps tried): those
 * grow along loops and would make the state space large or infinite.
 */
function serialize(snapshot: AnyMachineSnapshot): string {
  const c = snapshot.context as FlowContext;
  return JSON.stringify([snapshot.value, c.retries, c.diagnosis?.result ?? null]);
}

/** Every combination of the values the flow's guards test, so guarded branches are explored too. */
export function guardFactVariants(flow: LoadedFlow): Facts[] {
  let variants: Facts[] = [{}];
  for (const f of flow.guardFacts) {
    // Absent comes first (most callers), and answers truthy/falsy guards as false does.
    const values = new Set<unknown>([undefined]);
    for (const t of flow.tree.transitions()) {
      const g = t.transition.guard;
      if (g && typeof g !== 'string' && g.type === 'fact' && g.params?.['fact'] === f) {
        const v = g.params['value'];
        if (g.params['op'] === 'truthy' || g.params['op'] === 'falsy') values.add(true);
        else if (Array.isArray(v)) v.forEach((x) => values.add(x));
        else values.add(v);
      }
    }
    variants = variants.flatMap((base) => [...values].map((v) => (v === undefined ? { ...base } : { ...base, [f]: v })));
  }
  return variants;
}

/**
 * The shortest event sequence reaching every state of a flow (from XState's own graph
 * traversal, @xstate/graph), one per state: the shortest over all guard-fact variants.
 */
export function shortestPaths(flow: LoadedFlow): FlowPath[] {
  const best = new Map<string, FlowPath>();
  for (const facts of guardFactVariants(flow)) {
    const paths = getShortestPaths(flow.machine, {
      // What a caller can cause depends on where the call is: keys and timeouts while a state
      // waits for input, the end of the prompt otherwise (as the IVR player plays it).
      events: (snapshot: AnyMachineSnapshot) =>
        leafOf(flow, snapshot.value).config.meta?.input ? WAITING_EVENTS : ANNOUNCING_EVENTS,
      input: { facts },
      serializeState: serialize as never,
    });
    for (const p of paths) {
      const state = leafOf(flow, (p.state as AnyMachineSnapshot).value).path;
      const events = p.steps.slice(1).map((s) => s.event.type).filter((t) => !t.startsWith('xstate.'));
      const prev = best.get(state);
      if (!prev || events.length < prev.events.length) best.set(state, { state, events, facts });
    }
  }
  return [...best.values()].sort((a, b) => a.state.localeCompare(b.state));
}

/**
 * Every atomic state a call passes through for these events, including states it only passes
 * (eventless checks, a sub-flow's final states), observed through XState's own inspection
 * of each microstep.
 */
export function visitedStates(flow: LoadedFlow, facts: Facts, events: readonly string[]): string[] {
  const seen: string[] = [];
  const actor = createActor(flow.machine, {
    input: { facts },
    inspect: (ev) => {
      if (ev.type === '@xstate.microstep' || ev.type === '@xstate.snapshot') {
        const snap = ev.snapshot as AnyMachineSnapshot;
        if (snap?.value !== undefined) {
          const path = leafOf(flow, snap.value).path;
          if (seen[seen.length - 1] !== path) seen.push(path);
        }
      }
    },
  });
  actor.start();
  // A finished call takes no more events; XState would only warn about each one.
  for (const type of events) {
    if (actor.getSnapshot().status !== 'active') break;
    actor.send({ type });
  }
  actor.stop();
  return seen;
}

/**
 * One path per (state, event): the shortest path to each state extended by every caller event.
 * Walking these passes every transition a caller can take from a state's shortest situation,
 * including those into states a call only passes through.
 */
export function edgePaths(flow: LoadedFlow, base: FlowPath[] = shortestPaths(flow)): FlowPath[] {
  return base.flatMap((p) => [p, ...CALLER_EVENTS.map((e) => ({ state: p.state, events: [...p.events, e], facts: p.facts }))]);
}
