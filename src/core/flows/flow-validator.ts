import { pointer, type IssueCollector } from '../config/config-error.js';
import { PROFILE_FACT_NAMES } from '../profile/facts.js';
import type { PromptCatalog } from '../prompts/prompt-catalog.js';
import { ACTION_PARAMS, FACT_GUARD_OPS, GUARD_PARAMS } from './flow-machine.js';
import { FlowTree, type StateNodeInfo } from './flow-tree.js';
import {
  asArray,
  DTMF_KEYS,
  OUTCOME_STATES,
  refParams,
  refType,
  transitionsOf,
  type ActionRef,
  type GuardRef,
} from './flow-types.js';

const KEY_EVENT = /^KEY\.([0-9*#])$/;
const KNOWN_EVENTS = new Set(['NO_INPUT', 'PROMPT_END', 'KEY.*']);

export interface FlowCheckOptions {
  /** Sub-flows end in their own final states; segment flows end in selfServed or handoff. */
  kind: 'segment' | 'subflow';
  prompts: PromptCatalog;
}

function checkParams(
  kind: 'action' | 'guard',
  ref: ActionRef | GuardRef,
  table: Record<string, { required: string[]; optional: string[] }>,
  file: string,
  ptr: string,
  issues: IssueCollector,
  prompts: PromptCatalog,
): void {
  const type = refType(ref);
  const spec = table[type];
  if (!spec) {
    issues.error(file, ptr, `unknown ${kind} "${type}"; known ${kind}s: ${Object.keys(table).join(', ')}`);
    return;
  }
  const params = refParams(ref);
  for (const r of spec.required) if (params[r] === undefined) issues.error(file, ptr, `${kind} "${type}" needs params.${r}`);
  for (const k of Object.keys(params)) {
    if (!spec.required.includes(k) && !spec.optional.includes(k)) {
      issues.error(file, ptr + pointer('params', k), `${kind} "${type}" has no parameter "${k}"; expected ${[...spec.required, ...spec.optional].join(', ')}`);
    }
  }
  if (kind === 'action' && type === 'say') {
    const ids = [...(params['prompt'] !== undefined ? [params['prompt']] : []), ...asArray(params['rotate'] as unknown[] | undefined)];
    if (ids.length === 0) issues.error(file, ptr, 'action "say" needs params.prompt or params.rotate (a list of prompt ids)');
    for (const id of ids) {
      if (typeof id !== 'string' || !prompts.has(id)) issues.error(file, ptr, `unknown prompt id ${JSON.stringify(id)}; add it to flows/prompts.json`);
    }
  }
  if (kind === 'guard' && type === 'fact') {
    const fact = params['fact'];
    if (typeof fact !== 'string' || !PROFILE_FACT_NAMES.has(fact)) {
      issues.error(file, ptr + pointer('params', 'fact'), `unknown fact ${JSON.stringify(fact)}; flows may test profile facts: ${[...PROFILE_FACT_NAMES].join(', ')}`);
    }
    if (!(FACT_GUARD_OPS as readonly string[]).includes(String(params['op']))) {
      issues.error(file, ptr + pointer('params', 'op'), `unknown operator ${JSON.stringify(params['op'])}; expected one of ${FACT_GUARD_OPS.join(', ')}`);
    }
  }
  if (kind === 'guard' && type === 'retriesBelow' && !(Number.isInteger(params['max']) && (params['max'] as number) >= 0)) {
    issues.error(file, ptr + pointer('params', 'max'), 'retriesBelow needs a whole number max >= 0');
  }
}

/**
 * Semantic checks a JSON Schema cannot express: targets, events, actions and guards by name,
 * prompts, input handling, reachability and ways out. Every problem is recorded; nothing throws.
 */
export function checkFlowTree(tree: FlowTree, issues: IssueCollector, opts: FlowCheckOptions): void {
  const { prompts } = opts;
  for (const s of tree.states()) {
    const { file, pointer: ptr } = s.origin;
    const c = s.config;
    if (!s.isAtomic) {
      if (!c.initial) issues.error(file, ptr, `state "${s.path || tree.machineId}" has child states but no "initial"`);
      else if (!s.children.some((ch) => ch.key === c.initial)) {
        issues.error(file, ptr + pointer('initial'), `initial state "${c.initial}" is not a child; children: ${s.children.map((ch) => ch.key).join(', ')}`);
      }
      if (s.parent && s.children.some((ch) => ch.isFinal) && c.onDone === undefined) {
        issues.error(file, ptr, `state "${s.path}" has final child states but no "onDone" to say where the call goes next`);
      }
    }
    if (s.isFinal) {
      if (c.on || c.always) issues.error(file, ptr, `final state "${s.path}" cannot have transitions`);
      if (opts.kind === 'segment' && s.parent === tree.root && !(OUTCOME_STATES as readonly string[]).includes(s.key)) {
        issues.error(file, ptr, `top-level final state "${s.key}" is not an outcome; a flow ends in ${OUTCOME_STATES.join(' or ')}`);
      }
    }
    asArray(c.entry).forEach((a, i) => checkParams('action', a, ACTION_PARAMS, file, ptr + pointer('entry') + (Array.isArray(c.entry) ? pointer(i) : ''), issues, prompts));
    asArray(c.exit).forEach((a, i) => checkParams('action', a, ACTION_PARAMS, file, ptr + pointer('exit') + (Array.isArray(c.exit) ? pointer(i) : ''), issues, prompts));

    for (const ev of Object.keys(c.on ?? {})) {
      if (!KNOWN_EVENTS.has(ev) && !KEY_EVENT.test(ev)) {
        issues.error(file, ptr + pointer('on', ev), `unknown event "${ev}"; expected KEY.0-9, KEY.*, KEY.#, NO_INPUT or PROMPT_END`);
      }
    }
    const input = c.meta?.input;
    if (input && !s.isAtomic) issues.error(file, ptr + pointer('meta', 'input'), 'only a state without child states can wait for input');
    if (s.isAtomic && !s.isFinal && s !== tree.root) {
      // Transitions of enclosing states apply too (a menu's children share its key handling).
      const on: Record<string, unknown> = {};
      for (let a: StateNodeInfo | null = s; a; a = a.parent) for (const ev of Object.keys(a.config.on ?? {})) on[ev] ??= true;
      if (input) {
        if (!('NO_INPUT' in on)) issues.error(file, ptr + pointer('on'), `state "${s.path}" waits for input but has no NO_INPUT transition (what happens when the caller presses nothing?)`);
        if (!('KEY.*' in on)) issues.error(file, ptr + pointer('on'), `state "${s.path}" waits for input but has no KEY.* transition (what happens on a key it does not offer?)`);
        if ('PROMPT_END' in on) issues.error(file, ptr + pointer('on', 'PROMPT_END'), `state "${s.path}" waits for input, so its prompt ends in NO_INPUT, not PROMPT_END`);
      } else if (!('PROMPT_END' in on) && c.always === undefined) {
        const keys = Object.keys(on).filter((e) => e.startsWith('KEY.') || e === 'NO_INPUT');
        issues.error(
          file,
          ptr,
          keys.length
            ? `state "${s.path}" handles ${keys.join(', ')} but has no meta.input, so it never waits for a key; add meta.input or a PROMPT_END transition`
            : `state "${s.path}" has no way out: add a PROMPT_END or always transition, or meta.input with key handling`,
        );
      }
    }
  }

  for (const t of tree.transitions()) {
    const { file, pointer: ptr } = t.origin;
    for (const target of asArray(t.transition.target)) {
      if (opts.kind === 'subflow' && target.startsWith('#')) {
        issues.error(file, ptr, `sub-flow transitions must use relative targets (sibling names), not "${target}", so the sub-flow can be inlined in any flow`);
        continue;
      }
      if (!tree.resolveTarget(t.source, target)) {
        issues.error(file, ptr, `unknown target "${target}" from state "${t.source.path || tree.machineId}"`);
      }
    }
    if (t.transition.guard !== undefined) checkParams('guard', t.transition.guard, GUARD_PARAMS, file, ptr + pointer('guard'), issues, prompts);
    const actions = t.transition.actions;
    asArray(actions).forEach((a, i) => checkParams('action', a, ACTION_PARAMS, file, ptr + pointer('actions') + (Array.isArray(actions) ? pointer(i) : ''), issues, prompts));
  }

  checkReachability(tree, issues, opts);
}

/** Static reachability (guards ignored): unreachable states and states from which no ending is reachable. */
function checkReachability(tree: FlowTree, issues: IssueCollector, opts: FlowCheckOptions): void {
  const edges = new Map<StateNodeInfo, Set<StateNodeInfo>>();
  const addEdge = (a: StateNodeInfo, b: StateNodeInfo) => {
    let set = edges.get(a);
    if (!set) edges.set(a, (set = new Set()));
    set.add(b);
  };
  for (const s of tree.states()) {
    for (const ch of s.children) if (ch.key === s.config.initial) addEdge(s, ch);
    if (s.parent) addEdge(s, s.parent); // a child's parent is active too: its transitions apply
  }
  for (const t of tree.transitions()) {
    for (const target of asArray(t.transition.target)) {
      const to = tree.resolveTarget(t.source, target);
      if (!to) continue;
      // onDone fires from the parent once a final child is reached
      addEdge(t.source, to);
    }
  }
  for (const s of tree.states()) {
    if (s.isFinal && s.parent && s.parent !== tree.root) {
      for (const t of transitionsOf(s.parent.config.onDone)) {
        for (const target of asArray(t.target)) {
          const to = tree.resolveTarget(s.parent, target);
          if (to) addEdge(s, to);
        }
      }
    }
  }
  // Reachable: from the root via initial children and transitions of active states.
  const reached = new Set<StateNodeInfo>([tree.root]);
  const queue = [tree.root];
  while (queue.length) {
    const s = queue.shift()!;
    const next = [...(edges.get(s) ?? [])];
    // Entering a state enters its initial descendants; an active state's ancestors' transitions apply.
    for (const n of next) {
      if (!reached.has(n)) {
        reached.add(n);
        queue.push(n);
      }
    }
  }
  for (const s of tree.states()) {
    if (!reached.has(s)) issues.error(s.origin.file, s.origin.pointer, `state "${s.path}" is unreachable: no transition leads to it`);
  }
  // Ways out: segment flows must be able to reach a top-level outcome from every reachable atomic state.
  const isEnd = (s: StateNodeInfo) => s.isFinal && s.parent === tree.root;
  const reverse = new Map<StateNodeInfo, StateNodeInfo[]>();
  for (const [a, bs] of edges) for (const b of bs) reverse.set(b, [...(reverse.get(b) ?? []), a]);
  const canEnd = new Set<StateNodeInfo>();
  const stack = tree.states().filter(isEnd);
  stack.forEach((s) => canEnd.add(s));
  while (stack.length) {
    const s = stack.pop()!;
    for (const p of reverse.get(s) ?? []) {
      if (!canEnd.has(p)) {
        canEnd.add(p);
        stack.push(p);
      }
    }
  }
  if (opts.kind === 'segment') {
    if (!tree.root.children.some((c) => c.key === 'handoff' && c.isFinal)) {
      issues.error(tree.root.origin.file, pointer('states'), 'a segment flow needs a final "handoff" state: every caller must have a way to an agent');
    }
  }
  for (const s of tree.states()) {
    if (reached.has(s) && s.isAtomic && !s.isFinal && !canEnd.has(s)) {
      issues.error(s.origin.file, s.origin.pointer, `state "${s.path}" has no way out: no path from it ends the call`);
    }
  }
}

/** Hot keys: well-formed, no key declared twice, targets are top-level states. */
export function checkHotKeys(
  hotKeys: { key: string; target: string }[],
  topLevel: Set<string>,
  file: string,
  issues: IssueCollector,
): void {
  const seen = new Map<string, number>();
  hotKeys.forEach((h, i) => {
    const ptr = pointer('meta', 'hotKeys', i);
    if (!(DTMF_KEYS as readonly string[]).includes(h.key)) issues.error(file, ptr + pointer('key'), `hot key "${h.key}" is not a DTMF key (0-9, *, #)`);
    const prev = seen.get(h.key);
    if (prev !== undefined) issues.error(file, ptr + pointer('key'), `hot-key collision: key "${h.key}" is already the hot key at /meta/hotKeys/${prev}`);
    else seen.set(h.key, i);
    if (!topLevel.has(h.target)) issues.error(file, ptr + pointer('target'), `hot key target "${h.target}" is not a top-level state; expected one of ${[...topLevel].join(', ')}`);
  });
}
