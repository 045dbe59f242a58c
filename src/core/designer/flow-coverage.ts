import { createActor, type AnyMachineSnapshot } from 'xstate';
import type { LoadedFlow } from '../flows/flow-loader.js';
import { leafOf } from '../flows/flow-stepper.js';
import type { StateNodeInfo, TransitionRef } from '../flows/flow-tree.js';
import type { Facts } from '../profile/facts.js';

/**
 * Coverage of one file's states and transitions: a segment flow's own, or a shared sub-flow's,
 * counted once over every flow that inlines it (its states are the same data in each).
 */
export interface CoverageReport {
  /** Flow id, or the sub-flow's id. */
  name: string;
  file: string;
  kind: 'flow' | 'subflow';
  /** Flows the numbers are over: the flow itself, or every flow inlining the sub-flow. */
  flows: string[];
  states: { total: number; covered: number; uncovered: CoverageItem<StateNodeInfo>[] };
  transitions: { total: number; covered: number; uncovered: CoverageItem<TransitionRef>[] };
}

export interface CoverageItem<T> {
  item: T;
  /** Where it is written: file and JSON pointer. */
  origin: { file: string; pointer: string };
}

/** What XState reports of a transition it took (the `_transitions` of a microstep inspection event). */
interface TakenTransition {
  source: { path: string[]; transitions: Map<string, unknown[]>; always?: unknown[] };
  eventType: string;
}

/**
 * Which states and transitions of each flow a set of calls touched, observed through XState's
 * own inspection of every microstep: states a call only passes (eventless checks, a sub-flow's
 * final states) count, and so do the eventless and onDone transitions between them.
 */
export class FlowCoverage {
  private readonly states = new Map<LoadedFlow, Set<string>>();
  private readonly transitions = new Map<LoadedFlow, Set<string>>();

  constructor(readonly flows: Iterable<LoadedFlow>) {
    for (const f of flows) {
      this.states.set(f, new Set());
      this.transitions.set(f, new Set());
    }
  }

  /** Replays one call's events and records what it touched; returns the states it went through, in order. */
  record(flow: LoadedFlow, facts: Facts, events: readonly string[]): string[] {
    const states = this.states.get(flow) ?? new Set<string>();
    const transitions = this.transitions.get(flow) ?? new Set<string>();
    this.states.set(flow, states);
    this.transitions.set(flow, transitions);
    const route: string[] = [];
    const actor = createActor(flow.machine, {
      input: { facts },
      inspect: (ev) => {
        if (ev.type !== '@xstate.microstep' && ev.type !== '@xstate.snapshot') return;
        const snap = ev.snapshot as AnyMachineSnapshot | undefined;
        if (snap?.value !== undefined) {
          const path = leafOf(flow, snap.value).path;
          states.add(path);
          if (route[route.length - 1] !== path) route.push(path);
        }
        if (ev.type === '@xstate.microstep') {
          for (const t of (ev as unknown as { _transitions: TakenTransition[] })._transitions) transitions.add(transitionKey(t));
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
    return route;
  }

  /** Per segment flow (its own states and transitions), then per shared sub-flow (over all flows). */
  report(): CoverageReport[] {
    const byFile = new Map<string, CoverageReport & { seenStates: Set<string>; seenTransitions: Set<string> }>();
    const entry = (file: string, kind: CoverageReport['kind'], name: string) => {
      let e = byFile.get(file);
      if (!e) {
        e = { name, file, kind, flows: [], states: { total: 0, covered: 0, uncovered: [] }, transitions: { total: 0, covered: 0, uncovered: [] }, seenStates: new Set(), seenTransitions: new Set() };
        byFile.set(file, e);
      }
      return e;
    };
    const flows = [...this.states.keys()];
    for (const flow of flows) entry(flow.file, 'flow', flow.id);
    for (const flow of flows) {
      const touched = this.states.get(flow)!;
      const taken = this.transitions.get(flow)!;
      const count = <T>(
        item: T,
        origin: { file: string; pointer: string },
        covered: boolean,
        pick: (e: CoverageReport) => { total: number; covered: number; uncovered: CoverageItem<T>[] },
        seen: (e: { seenStates: Set<string>; seenTransitions: Set<string> }) => Set<string>,
      ) => {
        const e = origin.file === flow.file ? byFile.get(flow.file)! : entry(origin.file, 'subflow', subflowName(flow, origin.file));
        if (!e.flows.includes(flow.id)) e.flows.push(flow.id);
        const bucket = pick(e);
        const key = origin.pointer;
        const marks = seen(e);
        if (!marks.has(key)) {
          marks.add(key);
          bucket.total++;
          bucket.uncovered.push({ item, origin });
        }
        if (covered) {
          const i = bucket.uncovered.findIndex((u) => u.origin.pointer === key);
          if (i !== -1) {
            bucket.uncovered.splice(i, 1);
            bucket.covered++;
          }
        }
      };
      for (const s of flow.tree.states()) {
        if (!s.isAtomic || s === flow.tree.root) continue;
        count(s, s.origin, touched.has(s.path), (e) => e.states, (e) => e.seenStates);
      }
      for (const t of flow.tree.transitions()) count(t, t.origin, taken.has(refKey(t)), (e) => e.transitions, (e) => e.seenTransitions);
    }
    return [...byFile.values()].map(({ seenStates: _s, seenTransitions: _t, ...report }) => report);
  }
}

/** The id of the sub-flow a flow inlined from `file`. */
function subflowName(flow: LoadedFlow, file: string): string {
  const inlining = flow.tree.states().find((s) => s.config.meta?.subflow !== undefined && s.children.some((c) => c.origin.file === file));
  return inlining?.config.meta?.subflow ?? file;
}

/** Identity of a transition: source state, event as FlowTree names it (`on:KEY.1`, `always`, `onDone`), position. */
export function refKey(t: Pick<TransitionRef, 'source' | 'event' | 'index'>): string {
  return `${t.source.path}|${t.event}|${t.index}`;
}

function transitionKey(t: TakenTransition): string {
  const source = t.source.path.join('.');
  if (t.eventType === '') return `${source}|always|${t.source.always?.indexOf(t) ?? 0}`;
  const index = t.source.transitions.get(t.eventType)?.indexOf(t) ?? 0;
  if (t.eventType.startsWith('xstate.done.state.')) return `${source}|onDone|${index}`;
  return `${source}|on:${t.eventType}|${index}`;
}
