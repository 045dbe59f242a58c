/**
 * Reading and changing a flow document (an XState machine config written as JSON, see
 * schemas/flow.schema.json) in place. Renaming rebuilds only the `states` object the state is
 * in, keeping every key in its place, so a saved file differs from the old one by the edit alone.
 */
import type { Doc } from './editor-api.js';

export type Obj = Record<string, unknown>;
export const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const asObj = (x: unknown): Obj => (isObj(x) ? x : {});

/** The events a state can react to, in the order the editor offers them. */
export const KEY_EVENTS = ['KEY.0', 'KEY.1', 'KEY.2', 'KEY.3', 'KEY.4', 'KEY.5', 'KEY.6', 'KEY.7', 'KEY.8', 'KEY.9', 'KEY.#', 'KEY.*'] as const;
export const OTHER_EVENTS = ['NO_INPUT', 'PROMPT_END'] as const;
export const DTMF = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'] as const;

export function eventLabel(event: string): string {
  if (event === 'KEY.*') return 'other key';
  if (event.startsWith('KEY.')) return event.slice(4);
  if (event === 'NO_INPUT') return 'no input';
  if (event === 'PROMPT_END') return 'prompt ends';
  return event;
}

/** One state in the flow: its path of names from the flow's root, and the object itself. */
export interface StateRef {
  path: string[];
  /** The path joined with dots, as the engine and the walk name states ("menu.welcome"). */
  id: string;
  state: Obj;
}

export function statesObj(container: Obj): Obj | null {
  return isObj(container['states']) ? container['states'] : null;
}

export function stateAt(flow: Doc, path: readonly string[]): Obj | null {
  let cur: Obj = flow;
  for (const name of path) {
    const states = statesObj(cur);
    if (!states || !isObj(states[name])) return null;
    cur = states[name];
  }
  return cur;
}

/** Every state, depth first, in file order. */
export function allStates(flow: Doc): StateRef[] {
  const out: StateRef[] = [];
  const walk = (container: Obj, prefix: string[]) => {
    const states = statesObj(container);
    if (!states) return;
    for (const [name, s] of Object.entries(states)) {
      if (!isObj(s)) continue;
      const path = [...prefix, name];
      out.push({ path, id: path.join('.'), state: s });
      walk(s, path);
    }
  };
  walk(flow, []);
  return out;
}

/** A `say` action of a state's entry: one prompt, or a rotation (rolling promotions). */
export interface Say {
  action: Obj;
  params: Obj;
  prompt: string | null;
  rotate: string[] | null;
}

export function entryActions(state: Obj): unknown[] {
  const e = state['entry'];
  if (Array.isArray(e)) return e;
  return e === undefined ? [] : [e];
}

/** The entry as an array the editor can change in place (a single action becomes a one-element array). */
export function entryArray(state: Obj): unknown[] {
  if (!Array.isArray(state['entry'])) state['entry'] = state['entry'] === undefined ? [] : [state['entry']];
  return state['entry'] as unknown[];
}

export function says(state: Obj): Say[] {
  const out: Say[] = [];
  for (const a of entryActions(state)) {
    if (!isObj(a) || a['type'] !== 'say') continue;
    const params = asObj(a['params']);
    out.push({
      action: a,
      params,
      prompt: typeof params['prompt'] === 'string' ? params['prompt'] : null,
      rotate: Array.isArray(params['rotate']) ? params['rotate'].filter((x): x is string => typeof x === 'string') : null,
    });
  }
  return out;
}

export function newSay(prompt: string): Obj {
  return { type: 'say', params: { prompt } };
}

/** A branch of a transition: the object form, whatever the file wrote. */
export interface Branch {
  target: string | null;
  guard: unknown;
  actions: unknown[];
  raw: Obj;
}

function branchOf(x: unknown): Branch {
  if (typeof x === 'string') return { target: x, guard: undefined, actions: [], raw: { target: x } };
  const o = asObj(x);
  const t = o['target'];
  const acts = o['actions'];
  return { target: typeof t === 'string' ? t : Array.isArray(t) && typeof t[0] === 'string' ? t[0] : null, guard: o['guard'], actions: Array.isArray(acts) ? acts : acts === undefined ? [] : [acts], raw: o };
}

/** The transitions of a state: event → branches (on, always and onDone). */
export function transitions(state: Obj): Array<{ event: string; where: 'on' | 'always' | 'onDone'; branches: Branch[] }> {
  const out: Array<{ event: string; where: 'on' | 'always' | 'onDone'; branches: Branch[] }> = [];
  const list = (spec: unknown): Branch[] => (Array.isArray(spec) ? spec.map(branchOf) : spec === undefined ? [] : [branchOf(spec)]);
  for (const [event, spec] of Object.entries(asObj(state['on']))) out.push({ event, where: 'on', branches: list(spec) });
  if (state['always'] !== undefined) out.push({ event: 'always', where: 'always', branches: list(state['always']) });
  if (state['onDone'] !== undefined) out.push({ event: 'done', where: 'onDone', branches: list(state['onDone']) });
  return out;
}

/**
 * The branches of one event as objects in an array inside the document, ready to be changed in
 * place: a plain target string becomes `{ "target": … }` and a single object a one-element array
 * only when the editor needs it (`asArray`).
 */
export function editableBranches(holder: Obj, key: string, asArray: boolean): Obj[] {
  let spec = holder[key];
  if (typeof spec === 'string') spec = holder[key] = { target: spec };
  if (asArray && isObj(spec)) spec = holder[key] = [spec];
  if (Array.isArray(spec)) {
    spec.forEach((b, i) => {
      if (typeof b === 'string') (spec as unknown[])[i] = { target: b };
    });
    return spec as Obj[];
  }
  return isObj(spec) ? [spec] : [];
}

/** Writes a branch back in its shortest form when it is only a target (as the files write it). */
export function compactBranches(holder: Obj, key: string): void {
  const spec = holder[key];
  const bare = (b: unknown) => isObj(b) && Object.keys(b).length === 1 && typeof b['target'] === 'string';
  if (Array.isArray(spec) && spec.length === 1) holder[key] = spec[0];
  if (bare(holder[key])) holder[key] = (holder[key] as Obj)['target'];
}

/** The guard "retries of counter below max", or null. */
export function retryGuard(guard: unknown): { counter: string; max: number } | null {
  if (!isObj(guard) || guard['type'] !== 'retriesBelow') return null;
  const p = asObj(guard['params']);
  return { counter: str(p['counter'] ?? ''), max: Number(p['max'] ?? 0) };
}

export function guardText(guard: unknown): string {
  if (guard === undefined) return '';
  const r = retryGuard(guard);
  if (r) return `retries < ${r.max}`;
  if (typeof guard === 'string') return guard;
  if (isObj(guard)) {
    const p = asObj(guard['params']);
    const vals = Object.values(p).map((v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v)));
    return `${String(guard['type'])}${vals.length ? ` ${vals.join(' ')}` : ''}`;
  }
  return JSON.stringify(guard);
}

/**
 * The state a target names, as a path from the flow's root: XState resolves a target among the
 * source state's siblings ("menu.repeat" from a state beside menu), "#id.path" from the root.
 */
export function resolveTarget(flow: Doc, sourcePath: readonly string[], target: string): string[] | null {
  if (target.startsWith('#')) {
    const parts = target.slice(1).split('.');
    const rest = parts[0] === flow['id'] ? parts.slice(1) : parts;
    return stateAt(flow, rest) ? rest : null;
  }
  const parts = target.split('.');
  for (let up = sourcePath.length - 1; up >= 0; up--) {
    const path = [...sourcePath.slice(0, up), ...parts];
    if (stateAt(flow, path)) return path;
  }
  return null;
}

/** The targets a state offers for its transitions: its siblings and their children, as written from there. */
export function targetChoices(flow: Doc, sourcePath: readonly string[]): string[] {
  const parent = sourcePath.slice(0, -1);
  const container = parent.length ? stateAt(flow, parent) : flow;
  const out: string[] = [];
  for (const [name, s] of Object.entries(statesObj(container ?? {}) ?? {})) {
    out.push(name);
    for (const child of Object.keys(statesObj(asObj(s)) ?? {})) out.push(`${name}.${child}`);
  }
  if (parent.length) for (const name of Object.keys(statesObj(flow) ?? {})) if (!out.includes(name)) out.push(`#${String(flow['id'])}.${name}`);
  return out;
}

/** Every transition in the flow, with the state it leaves from (for renames and the diagram). */
export function everyBranch(flow: Doc): Array<{ from: StateRef; event: string; branch: Branch }> {
  const out: Array<{ from: StateRef; event: string; branch: Branch }> = [];
  for (const s of allStates(flow)) for (const t of transitions(s.state)) for (const b of t.branches) out.push({ from: s, event: t.event, branch: b });
  return out;
}

/** Renames the state at `path`, keeping its place among its siblings, and every target, initial and hot key that names it. */
export function renameState(flow: Doc, path: readonly string[], to: string): void {
  const parentPath = path.slice(0, -1);
  const from = path[path.length - 1]!;
  const container = parentPath.length ? stateAt(flow, parentPath) : flow;
  const states = container && statesObj(container);
  if (!states || !(from in states) || to in states) return;
  // Targets first, while they still resolve to the old name.
  for (const { from: src, branch } of everyBranch(flow)) {
    if (!branch.target) continue;
    const resolved = resolveTarget(flow, src.path, branch.target);
    if (!resolved || resolved.length < path.length || path.some((p, i) => resolved[i] !== p)) continue;
    const renamed = branch.target.replace(new RegExp(`(^|[.#])${from.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}(?=$|\\.)`), `$1${to}`);
    const raw = branch.raw;
    retarget(src.state, raw, branch.target, renamed);
  }
  if (parentPath.length === 0) {
    if (flow['initial'] === from) flow['initial'] = to;
    const meta = asObj(flow['meta']);
    for (const hk of Array.isArray(meta['hotKeys']) ? meta['hotKeys'] : []) if (isObj(hk) && hk['target'] === from) hk['target'] = to;
  } else if (container['initial'] === from) container['initial'] = to;
  const entries = Object.entries(states);
  for (const k of Object.keys(states)) delete states[k];
  for (const [k, v] of entries) states[k === from ? to : k] = v;
}

/** Points one branch (found by its object, or a string spec) at another target, in place. */
function retarget(state: Obj, raw: Obj, old: string, to: string): void {
  const holders: Array<[Obj, string]> = [];
  for (const k of Object.keys(asObj(state['on']))) holders.push([asObj(state['on']), k]);
  if (state['always'] !== undefined) holders.push([state, 'always']);
  if (state['onDone'] !== undefined) holders.push([state, 'onDone']);
  for (const [h, k] of holders) {
    const spec = h[k];
    if (spec === old) h[k] = to;
    else if (isObj(spec) && spec === raw) spec['target'] = to;
    else if (Array.isArray(spec))
      spec.forEach((b, i) => {
        if (b === old) spec[i] = to;
        else if (b === raw) (b as Obj)['target'] = to;
      });
  }
}

export function deleteState(flow: Doc, path: readonly string[]): void {
  const parentPath = path.slice(0, -1);
  const container = parentPath.length ? stateAt(flow, parentPath) : flow;
  const states = container && statesObj(container);
  if (states) delete states[path[path.length - 1]!];
}

/** A name not yet used among the siblings: `base`, `base2`, … */
export function freeName(container: Obj, base: string): string {
  const states = statesObj(container) ?? {};
  if (!(base in states)) return base;
  for (let i = 2; ; i++) if (!(`${base}${i}` in states)) return `${base}${i}`;
}

/** The state a call starts in: the flow's initial, then the initial child while it has children. */
export function startPath(flow: Doc): string[] {
  const path: string[] = [];
  let cur: Obj = flow;
  while (typeof cur['initial'] === 'string' && statesObj(cur)?.[cur['initial']]) {
    path.push(cur['initial']);
    cur = asObj(statesObj(cur)![cur['initial']]);
  }
  return path;
}

/** The JSON pointer of a state inside its flow file ("/states/menu/states/welcome"). */
export function statePointer(path: readonly string[]): string {
  return path.map((p) => `/states/${escapePointer(p)}`).join('');
}

export function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The state a pointer inside a flow file falls in, as a dotted path; null when none. */
export function stateOfPointer(pointer: string): string | null {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const path: string[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    if (parts[i] !== 'states') break;
    path.push(parts[i + 1]!);
  }
  return path.length ? path.join('.') : null;
}

/** A value as text for a form field: strings as they are, numbers and booleans printed, anything else as JSON, nothing as ''. */
export function str(x: unknown): string {
  if (typeof x === 'string') return x;
  if (x === undefined || x === null) return '';
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  return JSON.stringify(x);
}
