import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import type { AnyStateMachine } from 'xstate';
import { IssueCollector, pointer } from '../config/config-error.js';
import { DISK_SOURCE, type ConfigSource } from '../config/config-source.js';
import { readJsonFile } from '../config/json-file.js';
import { validateAgainstSchema } from '../config/schema-validator.js';
import { PromptCatalog, type PromptsFile } from '../prompts/prompt-catalog.js';
import { PROFILE_FACT_NAMES } from '../profile/facts.js';
import { createFlowMachine } from './flow-machine.js';
import { FlowTree } from './flow-tree.js';
import { checkFlowTree, checkHotKeys } from './flow-validator.js';
import type { FlowFile, StateConfig, SubflowFile, TransitionObject } from './flow-types.js';

/** A segment flow ready to run: sub-flows inlined, hot keys expanded, machine built. */
export interface LoadedFlow {
  id: string;
  segment: string;
  file: string;
  /** The flow as written by the designer. */
  source: FlowFile;
  /** The machine config the engine runs (what `ivr-sim graph` draws). */
  config: FlowFile;
  tree: FlowTree;
  machine: AnyStateMachine;
  /** Facts the flow's guards read: the memoised stepper keys on their values. */
  guardFacts: string[];
  hash: string;
}

export interface LoadedFlows {
  dir: string;
  prompts: PromptCatalog;
  flows: Map<string, LoadedFlow>;
  bySegment: Map<string, LoadedFlow>;
  subflows: Map<string, SubflowFile>;
  /** Content hash of every file read. */
  hash: string;
  warnings: IssueCollector['issues'];
}

const PROMPTS_FILE = 'prompts.json';

/** Deep copy of plain JSON data. */
function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

/**
 * Loads every flow in `dir` (segment flows at the top, shared sub-flows in `shared/`, prompts in
 * `prompts.json`), validating all of them. Throws ConfigError listing every problem; never returns
 * a partial set.
 */
export function loadFlows(dir: string, issues = new IssueCollector(), files: ConfigSource = DISK_SOURCE): LoadedFlows {
  const hash = createHash('sha256');
  const promptsPath = join(dir, PROMPTS_FILE);
  const promptsDoc = readJsonFile(promptsPath, issues, files);
  let prompts = new PromptCatalog({ prompts: {} });
  if (promptsDoc !== undefined && validateAgainstSchema('prompts', promptsDoc, promptsPath, issues)) {
    prompts = new PromptCatalog(promptsDoc as PromptsFile, (id, lang, message) =>
      issues.error(promptsPath, pointer('prompts', id, 'text', lang), message),
    );
    checkPromptTemplates(prompts, promptsPath, issues);
  }
  hash.update(JSON.stringify(promptsDoc ?? null));

  const subflows = new Map<string, SubflowFile>();
  const subflowFiles = new Map<string, string>();
  for (const file of files.listJson(join(dir, 'shared'))) {
    const doc = readJsonFile(file, issues, files);
    hash.update(basename(file) + JSON.stringify(doc ?? null)); // content, not where the checkout lives
    if (doc === undefined || !validateAgainstSchema('flow', doc, file, issues)) continue;
    const sub = doc as SubflowFile;
    const name = basename(file, '.json');
    if (sub.id !== name) issues.error(file, pointer('id'), `sub-flow id "${sub.id}" must match its file name "${name}"`);
    subflows.set(name, sub);
    subflowFiles.set(name, file);
    checkFlowTree(new FlowTree(sub.id, sub, file), issues, { kind: 'subflow', prompts });
  }

  const brokenSubflows = new Set(
    [...subflowFiles].filter(([, f]) => issues.issues.some((i) => i.file === f && i.severity === 'error')).map(([name]) => name),
  );
  const flows = new Map<string, LoadedFlow>();
  const bySegment = new Map<string, LoadedFlow>();
  const flowFiles = files.listJson(dir).filter((f) => basename(f) !== PROMPTS_FILE);
  if (flowFiles.length === 0) issues.error(dir, '', 'no flow files found (expected one <segment>.json per segment)');
  for (const file of flowFiles) {
    const doc = readJsonFile(file, issues, files);
    hash.update(basename(file) + JSON.stringify(doc ?? null)); // content, not where the checkout lives
    if (doc === undefined || !validateAgainstSchema('flow', doc, file, issues)) continue;
    const source = doc as FlowFile;
    if (!source.meta?.segment) {
      issues.error(file, pointer('meta'), 'a segment flow needs meta.segment (the segment it serves)');
      continue;
    }
    const before = issues.issues.length;
    const { config, originOf } = expandFlow(source, file, subflows, subflowFiles, issues);
    const tree = new FlowTree(config.id, config, file, originOf);
    const beforeTree = issues.issues.length;
    checkFlowTree(tree, issues, { kind: 'segment', prompts });
    // Inlined sub-flow states were checked on their own above; report them once, there.
    const subflowPaths = new Set(subflowFiles.values());
    const own = issues.issues.slice(beforeTree).filter((i) => !subflowPaths.has(i.file));
    issues.issues.splice(beforeTree, issues.issues.length - beforeTree, ...own);
    checkHotKeys(source.meta.hotKeys ?? [], new Set(Object.keys(source.states)), file, issues);
    const dup = bySegment.get(source.meta.segment);
    if (dup) issues.error(file, pointer('meta', 'segment'), `segment "${source.meta.segment}" already has a flow: ${dup.file}`);
    if (flows.has(source.id)) issues.error(file, pointer('id'), `flow id "${source.id}" is used twice`);
    if (issues.issues.slice(before).some((i) => i.severity === 'error')) continue;
    // A broken sub-flow is reported in its own file; the flows that inline it stop here.
    if (usesBrokenSubflow(config, brokenSubflows)) continue;
    let machine: AnyStateMachine;
    try {
      machine = createFlowMachine(config);
      // Touch every transition so XState resolves targets now, not in the middle of a call.
      // oxlint-disable-next-line typescript/no-meaningless-void-operator -- the getter's side effect is the point
      void machine.definition;
    } catch (err) {
      issues.error(file, '', `XState rejected the machine: ${(err as Error).message}`);
      continue;
    }
    const loaded: LoadedFlow = {
      id: source.id,
      segment: source.meta.segment,
      file,
      source,
      config,
      tree,
      machine,
      guardFacts: guardFactsOf(tree),
      hash: createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 12),
    };
    flows.set(loaded.id, loaded);
    bySegment.set(loaded.segment, loaded);
  }
  dedupe(issues);
  issues.throwIfErrors();
  return {
    dir,
    prompts,
    flows,
    bySegment,
    subflows,
    hash: hash.digest('hex').slice(0, 12),
    warnings: issues.issues.filter((i) => i.severity === 'warning'),
  };
}

function usesBrokenSubflow(state: StateConfig, broken: Set<string>): boolean {
  if (state.meta?.subflow !== undefined && broken.has(state.meta.subflow)) return true;
  return Object.values(state.states ?? {}).some((s) => usesBrokenSubflow(s, broken));
}

/** A sub-flow inlined in several flows reports its problems once. */
function dedupe(issues: IssueCollector): void {
  const seen = new Set<string>();
  const kept = issues.issues.filter((i) => {
    const k = `${i.severity}|${i.file}|${i.path}|${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  issues.issues.splice(0, issues.issues.length, ...kept);
}

/**
 * The two load-time expansions a flow file may ask for: `meta.subflow` inlines a shared
 * sub-flow's states, and `meta.hotKeys` adds each hot key to every state whose input has
 * `hotKeys: true` (a state's own transition for that key wins).
 */
function expandFlow(
  source: FlowFile,
  file: string,
  subflows: Map<string, SubflowFile>,
  subflowFiles: Map<string, string>,
  issues: IssueCollector,
): { config: FlowFile; originOf: (path: string) => { file: string; pointer: string } | undefined } {
  const config = clone(source);
  const inlined = new Map<string, { file: string; subPath: string[] }>();
  const walk = (state: StateConfig, path: string[], ptr: string) => {
    const sub = state.meta?.subflow;
    if (sub !== undefined) {
      const def = subflows.get(sub);
      if (!def) {
        issues.error(file, ptr + pointer('meta', 'subflow'), `unknown sub-flow "${sub}"; shared sub-flows: ${[...subflows.keys()].join(', ') || 'none'}`);
      } else if (state.states) {
        issues.error(file, ptr + pointer('states'), `state "${path.join('.')}" inlines sub-flow "${sub}" and cannot also declare its own child states`);
      } else {
        state.initial = def.initial;
        state.states = clone(def.states);
        inlined.set(path.join('.'), { file: subflowFiles.get(sub)!, subPath: [] });
        return;
      }
    }
    for (const [k, child] of Object.entries(state.states ?? {})) walk(child, [...path, k], ptr + pointer('states', k));
  };
  walk(config, [], '');

  const hotKeys = source.meta.hotKeys ?? [];
  if (hotKeys.length) {
    const apply = (state: StateConfig) => {
      if (state.meta?.input?.hotKeys) {
        state.on ??= {};
        for (const h of hotKeys) {
          const ev = `KEY.${h.key}`;
          if (ev in state.on) continue;
          const t: TransitionObject = {
            target: `#${source.id}.${h.target}`,
            actions: [{ type: 'useHotKey', params: { key: h.key, intent: h.intent } }],
          };
          state.on[ev] = t;
        }
      }
      for (const child of Object.values(state.states ?? {})) apply(child);
    };
    apply(config);
  }

  const originOf = (path: string): { file: string; pointer: string } | undefined => {
    for (const [base, info] of inlined) {
      if (path.startsWith(base + '.')) {
        const rest = path.slice(base.length + 1).split('.');
        return { file: info.file, pointer: rest.map((r) => pointer('states', r)).join('') };
      }
    }
    return undefined;
  };
  return { config, originOf };
}

function guardFactsOf(tree: FlowTree): string[] {
  const facts = new Set<string>();
  for (const t of tree.transitions()) {
    const g = t.transition.guard;
    if (g && typeof g !== 'string' && g.type === 'fact' && typeof g.params?.['fact'] === 'string') facts.add(g.params['fact']);
  }
  return [...facts].sort();
}

/** Prompt texts must parse and may only use known facts. */
function checkPromptTemplates(prompts: PromptCatalog, file: string, issues: IssueCollector): void {
  for (const id of prompts.ids()) {
    for (const v of prompts.variables(id)) {
      if (!PROFILE_FACT_NAMES.has(v)) {
        issues.error(file, pointer('prompts', id, 'text'), `prompt "${id}" uses unknown variable {${v}}; known: ${[...PROFILE_FACT_NAMES].join(', ')}`);
      }
    }
  }
}
