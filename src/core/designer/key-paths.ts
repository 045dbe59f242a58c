import type { LoadedFlow } from '../flows/flow-loader.js';
import type { Facts } from '../profile/facts.js';
import { exploreFlow, eventsTo, type FlowExploration } from './flow-exploration.js';

/** How a designer reaches one state of a flow from the start of a call, in `--keys` shorthand. */
export interface KeyPath {
  /** Dotted state path, e.g. `diagnosis.noSignalSim`. */
  state: string;
  /** `rests`: the call waits there; `passes`: the call only passes through; `outcome`: the call ends there. */
  kind: 'rests' | 'passes' | 'outcome';
  /** Caller events from the start of the call. */
  events: string[];
  /** Keys as `ivr-sim call --keys` takes them; `wait` marks a timeout before a later key. */
  keys: string[];
  /** The last input times out: the keys run out and the flow's no-input path runs. */
  endsWithNoInput: boolean;
  /** The keys can be pasted into `--keys` as they are (no timeout before a key). */
  pasteable: boolean;
  /** Profile facts the path needs (the flow's guards read them), e.g. `{areaOutage: true}`. */
  facts: Facts;
}

/**
 * Keys for a sequence of caller events: `KEY.x` → x, `PROMPT_END` is implied (the IVR player waits
 * for prompts to end), `NO_INPUT` at the end is what happens when the keys run out.
 */
export function keysOfEvents(events: readonly string[]): Pick<KeyPath, 'keys' | 'endsWithNoInput' | 'pasteable'> {
  const keys: string[] = [];
  let trailingWaits = 0;
  for (const e of events) {
    if (e === 'PROMPT_END') continue;
    if (e === 'NO_INPUT') {
      trailingWaits++;
      continue;
    }
    for (; trailingWaits > 0; trailingWaits--) keys.push('wait');
    keys.push(e.startsWith('KEY.') ? e.slice(4) : e);
  }
  return { keys, endsWithNoInput: trailingWaits > 0, pasteable: !keys.includes('wait') };
}

/**
 * The shortest way to every state of a flow, found by exploring the flow as calls run (a key
 * only where the flow waits for one, a prompt end elsewhere): the states a call rests in, the
 * states it only passes through on the way, and the two outcomes. Shortest means fewest caller
 * events; among equally short ways, the one needing the fewest facts.
 */
export function keyPaths(flow: LoadedFlow, exploration: FlowExploration = exploreFlow(flow)): KeyPath[] {
  const best = new Map<string, { depth: number; events: () => string[]; facts: Facts }>();
  const offer = (state: string, depth: number, events: () => string[], facts: Facts) => {
    const prev = best.get(state);
    if (!prev || depth < prev.depth) best.set(state, { depth, events, facts });
  };
  const passes = new Set<string>();
  for (const [start, passed] of exploration.initiallyPassed) {
    for (const s of passed) {
      passes.add(s.path);
      offer(s.path, 0, () => [], start.facts);
    }
  }
  for (const s of exploration.situations) {
    offer(s.state.path, s.depth, () => eventsTo(s), s.facts);
    for (const m of s.moves) {
      for (const p of m.passed) {
        passes.add(p.path);
        offer(p.path, s.depth + 1, () => [...eventsTo(s), m.event], s.facts);
      }
    }
  }
  const rests = new Set(exploration.situations.map((s) => s.state.path));
  const out: KeyPath[] = [];
  for (const node of flow.tree.states()) {
    const b = best.get(node.path);
    if (!b || node === flow.tree.root) continue;
    const outcome = node.isFinal && node.parent === flow.tree.root;
    const kind: KeyPath['kind'] = outcome ? 'outcome' : !rests.has(node.path) && passes.has(node.path) ? 'passes' : 'rests';
    const events = b.events();
    out.push({ state: node.path, kind, events, ...keysOfEvents(events), facts: b.facts });
  }
  // Outcomes last: they are where paths end.
  return [...out.filter((p) => p.kind !== 'outcome'), ...out.filter((p) => p.kind === 'outcome')];
}
