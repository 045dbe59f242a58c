import { describe, expect, it } from 'vitest';
import { initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import { edgePaths, shortestPaths, visitedStates } from '../../src/core/flows/flow-paths.js';
import { FlowStepper, leafOf } from '../../src/core/flows/flow-stepper.js';
import { shippedConfig } from '../helpers/shipped.js';

const config = shippedConfig();

describe.each([...config.flows.flows.values()].map((f) => [f.id, f] as const))('flow %s', (_id, flow) => {
  const paths = shortestPaths(flow);

  it('has a caller path (from XState graph traversal) through every one of its states', () => {
    // Stable states are path ends; states a call only passes through are seen in XState's microsteps.
    const reached = new Set(edgePaths(flow, paths).flatMap((p) => visitedStates(flow, p.facts, p.events)));
    const atomic = flow.tree.states().filter((s) => s.isAtomic && s !== flow.tree.root).map((s) => s.path);
    const missing = atomic.filter((s) => !reached.has(s));
    expect(missing, `states no path reaches in ${flow.file}`).toEqual([]);
    expect(reached.has('selfServed') || flow.tree.byPath.has('selfServed') === false).toBe(true);
    expect(reached.has('handoff')).toBe(true);
  });

  it('walks every path the same way with the memoised stepper as with XState step by step', () => {
    const memo = new FlowStepper(flow, { memo: true });
    for (const p of paths) {
      // Twice through the memo: the second run is served from remembered steps.
      for (let round = 0; round < 2; round++) {
        let edge = memo.start(p.facts);
        let [snap] = initialTransition(flow.machine, { facts: p.facts }) as [AnyMachineSnapshot, unknown];
        for (const ev of p.events) {
          edge = memo.step(edge.node, ev, p.facts);
          [snap] = transition(flow.machine, snap, { type: ev }) as [AnyMachineSnapshot, unknown];
          expect(edge.node.state.path).toBe(leafOf(flow, snap.value).path);
        }
        expect(edge.node.state.path).toBe(p.state);
        const { facts: _a, ...memoCtx } = edge.node.context;
        const { facts: _b, ...refCtx } = snap.context as typeof edge.node.context;
        expect(memoCtx).toEqual(refCtx);
      }
    }
  });
});
