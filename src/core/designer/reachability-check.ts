import type { IssueCollector } from '../config/config-error.js';
import type { StateNodeInfo } from '../flows/flow-tree.js';
import { asArray } from '../flows/flow-types.js';
import { eventsTo, reachedStates, situationsThatCanEnd, type FlowExploration, type Situation } from './flow-exploration.js';
import { transitionLabel } from './flow-labels.js';
import { keysOfEvents } from './key-paths.js';
import { factsText } from './sample-callers.js';

/**
 * Reachability with guards considered. Validation already refuses states that no transition
 * leads to; these are states every transition leads to but no call gets to (their guards never
 * pass), and states a call gets into but never out of (every way out is guarded shut).
 */
export function checkReachability(exploration: FlowExploration, issues: IssueCollector): void {
  const { flow } = exploration;
  const reached = reachedStates(exploration);
  const anyReached = (n: StateNodeInfo): boolean => reached.has(n.path) || n.children.some(anyReached);
  const guardFacts = flow.guardFacts.length ? `, and with each value of ${flow.guardFacts.join(', ')} its guards test` : '';
  for (const s of flow.tree.states()) {
    if (s === flow.tree.root || anyReached(s) || (s.parent !== flow.tree.root && !anyReached(s.parent!))) continue;
    const ways = waysIn(exploration, s)
      .slice(0, 3)
      .map((t) => `from "${t.source.path}" on ${transitionLabel(t)}`);
    issues.warning(
      s.origin.file,
      s.origin.pointer,
      `no caller reaches state "${s.path}": every way in is guarded so that no call takes it` +
        (ways.length ? ` (${ways.join('; ')})` : '') +
        ` — checked with every key and timeout${guardFacts}`,
    );
  }

  const canEnd = situationsThatCanEnd(exploration);
  const stuck = new Map<string, Situation>();
  for (const s of exploration.situations) {
    if (canEnd.has(s)) continue;
    const prev = stuck.get(s.state.path);
    if (!prev || s.depth < prev.depth) stuck.set(s.state.path, s);
  }
  for (const [path, s] of stuck) {
    const node = flow.tree.byPath.get(path)!;
    const { keys, endsWithNoInput } = keysOfEvents(eventsTo(s));
    const how = keys.length ? `after keys ${keys.join(',')}${endsWithNoInput ? ' and a timeout' : ''}` : endsWithNoInput ? 'after a timeout' : 'from the start';
    const facts = Object.keys(s.facts).length ? ` (caller with ${factsText(s.facts)})` : '';
    issues.warning(
      node.origin.file,
      node.origin.pointer,
      `a call can get stuck in state "${path}" ${how}${facts}: from there no key, timeout or prompt end ever leads to selfServed or handoff (its ways out are guarded shut)`,
    );
  }
}

/** Transitions that enter `state` (directly, or by entering a compound state that starts in it). */
function waysIn(exploration: FlowExploration, state: StateNodeInfo) {
  const tree = exploration.flow.tree;
  return tree.transitions().filter((t) =>
    asArray(t.transition.target).some((target) => {
      const to = tree.resolveTarget(t.source, target);
      return to !== undefined && (to === state || tree.enterLeaf(to) === state);
    }),
  );
}
