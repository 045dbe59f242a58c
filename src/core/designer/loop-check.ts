import type { IssueCollector } from '../config/config-error.js';
import type { LoadedFlow } from '../flows/flow-loader.js';
import type { StateNodeInfo, TransitionRef } from '../flows/flow-tree.js';
import { asArray, refParams, refType, type ActionRef } from '../flows/flow-types.js';
import { eventLabel } from './flow-labels.js';

/** A way from one atomic state to another that needs nothing from the caller. */
interface UnpromptedEdge {
  from: StateNodeInfo;
  to: StateNodeInfo;
  ref: TransitionRef;
}

/**
 * Loops a call can go round forever without the caller pressing a key: cycles of timeouts,
 * prompt ends and eventless transitions where no transition on the cycle is held back by a
 * `retriesBelow` guard whose counter the cycle counts up. A caller who presses nothing must
 * reach an agent or the end of the call, never a menu repeating itself until they hang up.
 * A loop that needs a key (the "back to the menu" key of anythingElse) is the caller's choice.
 */
export function checkUnboundedLoops(flow: LoadedFlow, issues: IssueCollector): void {
  const edges = unpromptedEdges(flow);
  for (const scc of cyclicComponents(edges)) {
    const inside = edges.filter((e) => scc.has(e.from) && scc.has(e.to));
    const counted = new Set<string>();
    for (const e of inside) {
      for (const c of countersOf(e.ref.transition.actions)) counted.add(c);
      // States the transition enters count their retries on entry too.
      const reentered = e.ref.transition.reenter === true && e.to === e.from;
      for (let n: StateNodeInfo | null = e.to; n && (reentered ? n === e.to : !isAncestorOf(n, e.from)); n = n.parent) {
        for (const c of countersOf(n.config.entry)) counted.add(c);
      }
    }
    const unbounded = inside.filter((e) => {
      const g = e.ref.transition.guard;
      return !(g !== undefined && refType(g) === 'retriesBelow' && counted.has(String(refParams(g)['counter'])));
    });
    for (const loop of cyclicComponents(unbounded)) {
      const cycle = findCycle(unbounded.filter((e) => loop.has(e.from) && loop.has(e.to)));
      const first = cycle[0]!;
      const route = [first.from.path, ...cycle.map((e) => `—${eventLabel(e.ref.event)}→ ${e.to.path}`)].join(' ');
      issues.warning(
        first.ref.origin.file,
        first.ref.origin.pointer,
        `loop without a retry bound: with no key pressed, a call goes ${route} again and again, forever; ` +
          'guard a transition on the loop with retriesBelow (counting with countRetry) and send the call on when retries run out',
      );
    }
  }
}

function isAncestorOf(a: StateNodeInfo, n: StateNodeInfo): boolean {
  for (let p: StateNodeInfo | null = n; p; p = p.parent) if (p === a) return true;
  return false;
}

function countersOf(actions: ActionRef | ActionRef[] | undefined): string[] {
  return asArray(actions)
    .filter((a) => refType(a) === 'countRetry')
    .map((a) => String(refParams(a)['counter']));
}

/**
 * Edges a call follows without a key: a waiting state's timeout, another state's prompt end,
 * eventless transitions, and a compound state's onDone from its final children. Transitions of
 * enclosing states count too (they apply when the state's own guards fail).
 */
function unpromptedEdges(flow: LoadedFlow): UnpromptedEdge[] {
  const tree = flow.tree;
  const refs = tree.transitions();
  const out: UnpromptedEdge[] = [];
  for (const s of tree.states()) {
    if (!s.isAtomic || s === tree.root || (s.isFinal && s.parent === tree.root)) continue;
    let candidates: TransitionRef[];
    if (s.isFinal) candidates = refs.filter((r) => r.source === s.parent && r.event === 'onDone');
    else {
      const ev = s.config.meta?.input ? 'on:NO_INPUT' : 'on:PROMPT_END';
      candidates = refs.filter((r) => (r.event === ev && isAncestorOf(r.source, s)) || (r.source === s && r.event === 'always'));
    }
    for (const ref of candidates) {
      const targets = asArray(ref.transition.target);
      if (targets.length === 0) out.push({ from: s, to: s, ref });
      for (const target of targets) {
        const node = tree.resolveTarget(ref.source, target);
        const to = node && tree.enterLeaf(node);
        if (to) out.push({ from: s, to, ref });
      }
    }
  }
  return out;
}

/** Strongly connected components that contain a cycle (Tarjan). */
function cyclicComponents(edges: UnpromptedEdge[]): Set<StateNodeInfo>[] {
  const next = new Map<StateNodeInfo, StateNodeInfo[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<StateNodeInfo, number>();
  const low = new Map<StateNodeInfo, number>();
  const stack: StateNodeInfo[] = [];
  const onStack = new Set<StateNodeInfo>();
  const out: Set<StateNodeInfo>[] = [];
  const visit = (v: StateNodeInfo) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc = new Set<StateNodeInfo>();
      let w: StateNodeInfo;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.add(w);
      } while (w !== v);
      if (scc.size > 1 || (next.get(v) ?? []).includes(v)) out.push(scc);
    }
  };
  for (const e of edges) if (!index.has(e.from)) visit(e.from);
  return out;
}

/** One cycle through a strongly connected set of edges, as the edges taken. */
function findCycle(edges: UnpromptedEdge[]): UnpromptedEdge[] {
  const start = edges[0]!.from;
  const via = new Map<StateNodeInfo, UnpromptedEdge>();
  const queue = [start];
  const seen = new Set<StateNodeInfo>();
  while (queue.length) {
    const n = queue.shift()!;
    for (const e of edges.filter((x) => x.from === n)) {
      if (e.to === start) {
        const cycle = [e];
        for (let m = n; m !== start; m = via.get(m)!.from) cycle.unshift(via.get(m)!);
        return cycle;
      }
      if (!seen.has(e.to)) {
        seen.add(e.to);
        via.set(e.to, e);
        queue.push(e.to);
      }
    }
  }
  return [edges[0]!];
}
