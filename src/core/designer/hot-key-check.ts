import type { IssueCollector } from '../config/config-error.js';
import type { LoadedFlow } from '../flows/flow-loader.js';
import type { FlowTree, StateNodeInfo } from '../flows/flow-tree.js';
import { asArray, transitionsOf, type TransitionObject } from '../flows/flow-types.js';
import { hotKeyOf } from './flow-labels.js';

/**
 * Hot keys that clash with a menu key. In a state where hot keys are on, a key does one of two
 * things and a caller cannot tell which: the state's own transition for that key wins over the
 * hot key (the loader does not add it there), and the hot key wins over a menu key of an
 * enclosing state. Either way is a surprise when the two lead to different states.
 */
export function checkHotKeyShadowing(flow: LoadedFlow, issues: IssueCollector): void {
  const tree = flow.tree;
  const hotKeys = flow.source.meta.hotKeys ?? [];
  for (const s of tree.states()) {
    if (!s.config.meta?.input?.hotKeys) continue;
    for (const h of hotKeys) {
      const hotTarget = tree.root.children.find((c) => c.key === h.target);
      if (!hotTarget) continue;
      const ev = `KEY.${h.key}`;
      const own = transitionsOf(s.config.on?.[ev]);
      const ref = (source: StateNodeInfo) => tree.transitions().find((t) => t.source === source && t.event === `on:${ev}`);
      if (own.length && !own.some((t) => hotKeyOf(t.actions) === h.key)) {
        const other = targetsOf(tree, s, own);
        if (other.some((t) => t !== hotTarget)) {
          const at = ref(s)!.origin;
          issues.warning(
            at.file,
            at.pointer,
            `hot key ${h.key} does not work in state "${s.path}": its own key ${h.key} goes to "${other.map((t) => t.path).join('", "')}", ` +
              `not to the hot key's "${hotTarget.path}"; callers who know the hot key land somewhere else here`,
          );
        }
        continue;
      }
      for (let a = s.parent; a; a = a.parent) {
        const menu = transitionsOf(a.config.on?.[ev]);
        if (!menu.length) continue;
        const other = targetsOf(tree, a, menu);
        if (other.some((t) => t !== hotTarget)) {
          const at = ref(a)!.origin;
          issues.warning(
            at.file,
            at.pointer,
            `hot key ${h.key} shadows menu key ${h.key} of "${a.path}" in state "${s.path}": there the key goes to the hot key's "${hotTarget.path}", ` +
              `not to "${other.map((t) => t.path).join('", "')}" as the menu says elsewhere`,
          );
        }
        break;
      }
    }
  }
}

function targetsOf(tree: FlowTree, source: StateNodeInfo, transitions: TransitionObject[]): StateNodeInfo[] {
  const out: StateNodeInfo[] = [];
  for (const t of transitions) {
    const targets = asArray(t.target);
    // A transition without a target keeps the call where it is.
    const nodes = targets.length ? targets.map((x) => tree.resolveTarget(source, x)) : [source];
    for (const n of nodes) if (n && !out.includes(n)) out.push(n);
  }
  return out;
}
