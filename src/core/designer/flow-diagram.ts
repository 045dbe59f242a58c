import type { LoadedFlow } from '../flows/flow-loader.js';
import type { StateNodeInfo, TransitionRef } from '../flows/flow-tree.js';
import { asArray, OUTCOME_STATES, refParams, refType, transitionsOf } from '../flows/flow-types.js';
import { actionMarks, conditionLabel, eventLabel, hotKeyOf, promptsSaid } from './flow-labels.js';

/**
 * What a flow diagram shows, independent of the notation: the states of the machine the engine
 * runs (sub-flows inlined, hot keys expanded), what each says and waits for, and every
 * transition with its event, guard and what it does to the call. Mermaid and DOT render this.
 */

export type NodeKind = 'state' | 'input' | 'compound' | 'subflow' | 'outcome' | 'final';

export interface DiagramNode {
  /** Dotted state path, e.g. `diagnosis.symptom`. */
  path: string;
  /** Path of the enclosing compound state; '' at the top level. */
  parent: string;
  kind: NodeKind;
  title: string;
  /** What the state says and does, one line each (prompt ids, waits, hot keys). */
  lines: string[];
  /** Child paths of a compound state, in file order. */
  children: string[];
  /** The child a compound state starts in. */
  initial?: string;
}

export type EdgeKind = 'key' | 'noInput' | 'promptEnd' | 'always' | 'done' | 'hotKey';

export interface DiagramEdge {
  from: string;
  to: string;
  label: string;
  kind: EdgeKind;
  retry: boolean;
  escalation: boolean;
}

export interface FlowDiagram {
  flowId: string;
  segment: string;
  file: string;
  title: string;
  /** Depth-first, in file order. */
  nodes: DiagramNode[];
  /** The top-level state a call starts in. */
  initial: string;
  edges: DiagramEdge[];
}

export function flowDiagram(flow: LoadedFlow): FlowDiagram {
  const tree = flow.tree;
  const nodes: DiagramNode[] = [];
  const visit = (s: StateNodeInfo) => {
    nodes.push(nodeOf(flow, s));
    s.children.forEach(visit);
  };
  tree.root.children.forEach(visit);
  return {
    flowId: flow.id,
    segment: flow.segment,
    file: flow.file,
    title: flow.source.meta.title ?? flow.id,
    nodes,
    initial: tree.root.config.initial ?? tree.root.children[0]!.path,
    edges: mergeEdges(tree.transitions().flatMap((t) => edgesOf(flow, t))),
  };
}

function nodeOf(flow: LoadedFlow, s: StateNodeInfo): DiagramNode {
  const c = s.config;
  const lines: string[] = [];
  for (const said of promptsSaid(c.entry)) {
    lines.push(said.rotating ? `says ${said.ids.join(' or ')} (rotating)` : `says ${said.ids[0]}`);
  }
  for (const a of asArray(c.entry)) {
    const p = refParams(a);
    if (refType(a) === 'diagnosis') for (const [k, v] of Object.entries(p)) lines.push(`records ${k} ${String(v)}`);
    if (refType(a) === 'setIntent') lines.push(`intent ${String(p['intent'])}`);
  }
  const input = c.meta?.input;
  if (input) {
    lines.push(`waits ${input.timeoutSec} s${input.bargeIn === false ? ', no barge-in' : ''}`);
    const keys = Object.values(c.on ?? {})
      .flatMap((spec) => transitionsOf(spec))
      .map((t) => hotKeyOf(t.actions))
      .filter((k): k is string => k !== undefined);
    if (keys.length) lines.push(`hot keys ${keys.join(' ')}`);
  }
  const subflow = c.meta?.subflow;
  let kind: NodeKind;
  if (!s.isAtomic) kind = subflow ? 'subflow' : 'compound';
  else if (s.isFinal) kind = s.parent === flow.tree.root && (OUTCOME_STATES as readonly string[]).includes(s.key) ? 'outcome' : 'final';
  else kind = input ? 'input' : 'state';
  const node: DiagramNode = {
    path: s.path,
    parent: s.parent?.path ?? '',
    kind,
    title: subflow ? `${s.key} · ${subflow} sub-flow` : s.key,
    lines,
    children: s.children.map((ch) => ch.path),
  };
  if (!s.isAtomic && c.initial) node.initial = s.children.find((ch) => ch.key === c.initial)?.path;
  return node;
}

function kindOf(event: string, hot: boolean): EdgeKind {
  if (hot) return 'hotKey';
  if (event === 'on:NO_INPUT') return 'noInput';
  if (event === 'on:PROMPT_END') return 'promptEnd';
  if (event === 'always') return 'always';
  if (event === 'onDone') return 'done';
  return 'key';
}

interface RawEdge extends DiagramEdge {
  event: string;
  condition: string | undefined;
  marks: string[];
}

/**
 * A transition on a compound state applies in each of its children. Drawn from the compound
 * (a cluster edge) when it leaves it; drawn from each child that does not handle the event
 * itself when it stays inside, since an edge from a cluster into itself draws badly.
 */
function edgesOf(flow: LoadedFlow, t: TransitionRef): RawEdge[] {
  const tree = flow.tree;
  const hot = hotKeyOf(t.transition.actions);
  const condition = conditionLabel(t);
  const marks = actionMarks(t.transition.actions);
  const targets = asArray(t.transition.target);
  const resolved = targets.length ? targets.map((x) => tree.resolveTarget(t.source, x)).filter((n): n is StateNodeInfo => n !== undefined) : [t.source];
  const out: RawEdge[] = [];
  for (const to of resolved) {
    const inside = !t.source.isAtomic && t.event.startsWith('on:') && (to === t.source || isWithin(to, t.source));
    const froms = inside ? leavesHandling(t.source, t.event.slice(3)) : [t.source];
    for (const from of froms) {
      out.push({
        from: from.path,
        to: to.path,
        event: t.event,
        condition,
        marks,
        label: hot !== undefined ? `hot ${hot}` : '',
        kind: kindOf(t.event, hot !== undefined),
        retry: marks.includes('retry'),
        escalation: marks.includes('escalate'),
      });
    }
  }
  return out;
}

function isWithin(node: StateNodeInfo, ancestor: StateNodeInfo): boolean {
  for (let n = node.parent; n; n = n.parent) if (n === ancestor) return true;
  return false;
}

/** Atomic states under `compound` where `event` is handled by `compound` (no nearer state handles it). */
function leavesHandling(compound: StateNodeInfo, event: string): StateNodeInfo[] {
  const out: StateNodeInfo[] = [];
  const walk = (n: StateNodeInfo) => {
    if (n !== compound && n.config.on?.[event] !== undefined) return;
    if (n.isAtomic) {
      if (!n.isFinal) out.push(n);
      return;
    }
    n.children.forEach(walk);
  };
  walk(compound);
  return out;
}

/** Edges between the same states with the same condition and effect become one, events joined. */
function mergeEdges(raw: RawEdge[]): DiagramEdge[] {
  const merged = new Map<string, { edge: RawEdge; events: string[]; kinds: Set<EdgeKind> }>();
  for (const e of raw) {
    const key = JSON.stringify([e.from, e.to, e.condition, e.marks, e.kind === 'hotKey' ? e.label : '']);
    const m = merged.get(key);
    if (m) {
      if (!m.events.includes(e.event)) m.events.push(e.event);
      m.kinds.add(e.kind);
    } else merged.set(key, { edge: e, events: [e.event], kinds: new Set([e.kind]) });
  }
  return [...merged.values()].map(({ edge, events, kinds }) => {
    const label =
      edge.kind === 'hotKey'
        ? edge.label
        : [
            events.filter((ev) => ev !== 'always').map(eventLabel).join(', '),
            edge.condition ? `[${edge.condition}]` : '',
            edge.marks.length ? `/ ${edge.marks.join(', ')}` : '',
          ]
            .filter(Boolean)
            .join(' ');
    const kind: EdgeKind = kinds.size === 1 ? edge.kind : kinds.has('key') ? 'key' : edge.kind;
    return { from: edge.from, to: edge.to, label, kind, retry: edge.retry, escalation: edge.escalation };
  });
}
