import { pointer } from '../config/config-error.js';
import type { StateConfig, TransitionObject, TransitionSpec } from './flow-types.js';
import { transitionsOf } from './flow-types.js';

/** A state of a loaded flow, with where it came from (a sub-flow's states point at the sub-flow file). */
export interface StateNodeInfo {
  /** Dotted path from the root, e.g. `diagnosis.symptom`; the root is ''. */
  path: string;
  key: string;
  config: StateConfig;
  parent: StateNodeInfo | null;
  children: StateNodeInfo[];
  origin: { file: string; pointer: string };
  isFinal: boolean;
  isAtomic: boolean;
}

export interface TransitionRef {
  source: StateNodeInfo;
  /** `on:KEY.1`, `always`, `onDone`. */
  event: string;
  index: number;
  transition: TransitionObject;
  /** JSON pointer of the transition in its file. */
  origin: { file: string; pointer: string };
}

/** Index over a flow's state tree: states by path and by id, and target resolution as XState does it. */
export class FlowTree {
  readonly root: StateNodeInfo;
  readonly byPath = new Map<string, StateNodeInfo>();
  readonly byId = new Map<string, StateNodeInfo>();

  constructor(
    readonly machineId: string,
    rootConfig: StateConfig,
    file: string,
    /** Assigns an origin to states inlined from sub-flows. */
    originOf?: (path: string, config: StateConfig) => { file: string; pointer: string } | undefined,
  ) {
    const build = (key: string, path: string, config: StateConfig, parent: StateNodeInfo | null, ptr: string): StateNodeInfo => {
      const origin = originOf?.(path, config) ?? { file, pointer: ptr };
      const childKeys = Object.keys(config.states ?? {});
      const node: StateNodeInfo = {
        path,
        key,
        config,
        parent,
        children: [],
        origin,
        isFinal: config.type === 'final',
        isAtomic: childKeys.length === 0,
      };
      this.byPath.set(path, node);
      this.byId.set(path ? `${machineId}.${path}` : machineId, node);
      if (config.id) this.byId.set(config.id, node);
      for (const k of childKeys) {
        const childPath = path ? `${path}.${k}` : k;
        const childOrigin = origin.pointer + pointer('states', k);
        node.children.push(build(k, childPath, config.states![k]!, node, childOrigin));
      }
      return node;
    };
    this.root = build('', '', rootConfig, null, '');
  }

  states(): StateNodeInfo[] {
    return [...this.byPath.values()];
  }

  childByPath(from: StateNodeInfo, dotted: string): StateNodeInfo | undefined {
    let node: StateNodeInfo | undefined = from;
    for (const part of dotted.split('.')) {
      node = node?.children.find((c) => c.key === part);
      if (!node) return undefined;
    }
    return node;
  }

  /** Resolves a transition target written in `source` the way XState 5 does. */
  resolveTarget(source: StateNodeInfo, target: string): StateNodeInfo | undefined {
    if (target.startsWith('#')) {
      const ref = target.slice(1);
      const direct = this.byId.get(ref);
      if (direct) return direct;
      // `#id.child.grandchild`: the longest prefix that is an id, then child keys.
      const parts = ref.split('.');
      for (let i = parts.length - 1; i > 0; i--) {
        const base = this.byId.get(parts.slice(0, i).join('.'));
        if (base) return this.childByPath(base, parts.slice(i).join('.'));
      }
      return undefined;
    }
    if (target.startsWith('.')) return this.childByPath(source, target.slice(1));
    return source.parent ? this.childByPath(source.parent, target) : undefined;
  }

  /** Every transition of every state, with its location in the file it came from. */
  transitions(): TransitionRef[] {
    const out: TransitionRef[] = [];
    for (const s of this.states()) {
      const add = (event: string, spec: TransitionSpec | undefined, ptr: string) => {
        const list = transitionsOf(spec);
        list.forEach((t, index) => {
          const p = Array.isArray(spec) ? ptr + pointer(index) : ptr;
          out.push({ source: s, event, index, transition: t, origin: { file: s.origin.file, pointer: p } });
        });
      };
      for (const [ev, spec] of Object.entries(s.config.on ?? {})) add(`on:${ev}`, spec, s.origin.pointer + pointer('on', ev));
      add('always', s.config.always, s.origin.pointer + pointer('always'));
      add('onDone', s.config.onDone, s.origin.pointer + pointer('onDone'));
    }
    return out;
  }

  /** The atomic states entered when `node` is entered (initial children, recursively). */
  enterLeaf(node: StateNodeInfo): StateNodeInfo | undefined {
    let n: StateNodeInfo | undefined = node;
    while (n && !n.isAtomic) {
      const initial: string | undefined = n.config.initial;
      n = initial ? n.children.find((c) => c.key === initial) : undefined;
    }
    return n;
  }
}
