/**
 * The flow designer: an editor for flows/*.json, flows/prompts.json and rules/*.json. The
 * draft lives in the browser (localStorage) until it is saved; every edit is checked by the
 * service with the validator and lint the CLI uses, the errors shown on the state or field they
 * concern; calls walk the draft on the keypad; "Compare with saved" replays the sample trace
 * against both; Save publishes the draft (refused with 409 when the configuration changed since
 * the draft started); every saved version can be restored.
 */
import type { CustomerProfile } from '../../../core/profile/customer-profile.js';
import { byId, el } from '../shared/dom.js';
import { dropAccessToken, refusal, serviceRoot } from '../shared/service.js';
import { showDecision, transcriptItem } from './decision-view.js';
import { Draft } from './draft.js';
import { ApiError, EditorApi, type Changes, type Doc, type EditorTryAnswer, type Issue, type Workspace } from './editor-api.js';
import { flowPanel } from './flow-panel.js';
import { FlowView } from './flow-view.js';
import { showIssues, type EditorContext } from './forms.js';
import { allStates, freeName, isObj, says, stateAt, stateOfPointer, statePointer, statesObj, str } from './flow-model.js';
import { compareView, versionItem } from './impact-view.js';
import type { ConfigState, Customer, CustomersAnswer, FlowsAnswer, TranscriptEntry } from './payloads.js';
import { promptEditor, promptIds, PROMPTS_FILE } from './prompt-editor.js';
import type { Language } from './prompt-text.js';
import { RULE_FILES, rulesPanel } from './rules-panel.js';
import { stateEditor, type StateLocation } from './state-editor.js';

dropAccessToken();

const root = serviceRoot('designer');
const api = new EditorApi(root);
const ui = {
  configState: byId('config-state', HTMLElement),
  draftState: byId('draft-state', HTMLElement),
  checkState: byId('check-state', HTMLElement),
  undo: byId('undo', HTMLButtonElement),
  redo: byId('redo', HTMLButtonElement),
  compare: byId('compare', HTMLButtonElement),
  saveMessage: byId('save-message', HTMLInputElement),
  save: byId('save', HTMLButtonElement),
  discard: byId('discard', HTMLButtonElement),
  configError: byId('config-error', HTMLDivElement),
  configNote: byId('config-note', HTMLDivElement),
  saveResult: byId('save-result', HTMLDivElement),
  flowSelect: byId('flow-select', HTMLSelectElement),
  lang: byId('lang', HTMLSelectElement),
  zoomIn: byId('zoom-in', HTMLButtonElement),
  zoomOut: byId('zoom-out', HTMLButtonElement),
  zoomReset: byId('zoom-reset', HTMLButtonElement),
  zoomFit: byId('zoom-fit', HTMLButtonElement),
  zoomLevel: byId('zoom-level', HTMLElement),
  addState: byId('add-state', HTMLButtonElement),
  diagram: byId('diagram', HTMLDivElement),
  issuesSummary: byId('issues-summary', HTMLElement),
  issues: byId('issues', HTMLUListElement),
  statePane: byId('state-pane', HTMLDivElement),
  flowPane: byId('flow-pane', HTMLDivElement),
  rulesFile: byId('rules-file', HTMLSelectElement),
  rulesIssues: byId('rules-issues', HTMLDivElement),
  rulesBody: byId('rules-body', HTMLDivElement),
  promptIds: byId('prompt-ids', HTMLDataListElement),
  callerSelect: byId('caller-select', HTMLSelectElement),
  allCustomers: byId('all-customers', HTMLInputElement),
  profileJson: byId('profile-json', HTMLTextAreaElement),
  useProfile: byId('use-profile', HTMLButtonElement),
  profileError: byId('profile-error', HTMLElement),
  segmentNote: byId('segment-note', HTMLParagraphElement),
  walkStatus: byId('walk-status', HTMLParagraphElement),
  keypad: byId('keypad', HTMLDivElement),
  wait: byId('wait', HTMLButtonElement),
  hangup: byId('hangup', HTMLButtonElement),
  reset: byId('reset', HTMLButtonElement),
  speak: byId('speak', HTMLInputElement),
  tryError: byId('try-error', HTMLParagraphElement),
  transcript: byId('transcript', HTMLOListElement),
  decision: byId('decision', HTMLElement),
  fired: byId('fired', HTMLDListElement),
  runCompare: byId('run-compare', HTMLButtonElement),
  compareStatus: byId('compare-status', HTMLElement),
  compareResult: byId('compare-result', HTMLDivElement),
  refreshVersions: byId('refresh-versions', HTMLButtonElement),
  versionsStatus: byId('versions-status', HTMLElement),
  versions: byId('versions', HTMLOListElement),
};
const keyButtons = [...ui.keypad.querySelectorAll<HTMLButtonElement>('button[data-key]')];
const tabs = [...document.querySelectorAll<HTMLButtonElement>('#tabs button[data-tab]')];

async function get<T>(path: string): Promise<T> {
  const res = await fetch(root + path);
  if (!res.ok) throw new Error(await refusal(res, `HTTP ${res.status}`));
  return (await res.json()) as T;
}

const draft = new Draft();
let workspace: Workspace | null = null;
let customers: Customer[] = [];
let servedVersion: string | null = null;
let lang: Language = 'zh-CN';
let issues: Issue[] = [];
let checked: { valid: boolean; for: string } | null = null;
/** The selected state: its file and dotted id ("menu.welcome"; a sub-flow's states behind the including state's name). */
let selection: { file: string; id: string } | null = null;
const openSubflows = new Set<string>();
/** The shared sub-flows being served, by path: drawn in place, not edited. */
let subflowDocs: Record<string, Doc> = {};
/** Set while a form field edits the draft: the panels keep their fields and focus. */
let quietEdit = false;

const flowFile = () => ui.flowSelect.value;
const flowDoc = (): Doc | null => draft.files[flowFile()] ?? null;
const subflowFile = (name: string) => `flows/shared/${name}.json`;

const ctx: EditorContext = {
  draft,
  get lang() {
    return lang;
  },
  get queues() {
    return workspace?.queues ?? [];
  },
  quiet(fn, coalesce) {
    quietEdit = true;
    try {
      draft.edit(fn, coalesce);
    } finally {
      quietEdit = false;
    }
  },
  change(fn) {
    draft.edit(fn);
  },
  select(file, id) {
    selectState(file, id);
  },
};

const view = new FlowView(
  ui.diagram,
  (id) => selectState(flowFile(), id),
  (id) => {
    if (openSubflows.has(id)) openSubflows.delete(id);
    else openSubflows.add(id);
    drawDiagram();
  },
);

// ---- where a state lives ----
function locate(id: string): StateLocation | null {
  const flow = flowDoc();
  if (!flow || !id) return null;
  const parts = id.split('.');
  const top = statesObj(flow)?.[parts[0]!];
  const sub = isObj(top) && isObj(top['meta']) && typeof top['meta']['subflow'] === 'string' ? top['meta']['subflow'] : null;
  if (sub && parts.length > 1) {
    const file = subflowFile(sub);
    const doc = draft.files[file] ?? subflowDocs[file];
    return doc ? { file, doc, path: parts.slice(1), id } : null;
  }
  return { file: flowFile(), doc: flow, path: parts, id };
}

function selectState(_file: string, id: string): void {
  selection = id ? { file: flowFile(), id } : null;
  showTab('state');
  renderStatePane();
  drawDiagram();
}

// ---- drawing ----
function walkMarks(): { visited: Set<string>; current: string | null } {
  const visited = new Set<string>();
  const r = walk.result;
  if (!r || r.decision.flow.id !== str(flowDoc()?.['id'] ?? '')) return { visited, current: null };
  const shown = (id: string) => {
    const parts = id.split('.');
    const top = statesObj(flowDoc() ?? {})?.[parts[0]!];
    const sub = isObj(top) && isObj(top['meta']) && typeof top['meta']['subflow'] === 'string';
    return sub && !openSubflows.has(parts[0]!) ? parts[0]! : id;
  };
  for (const e of (r.decision.transcript ?? []).slice(0, r.walk.heard)) visited.add(shown(e.state));
  const at = r.walk.waitingIn ?? r.decision.flow.finalState;
  return { visited, current: at ? shown(at) : null };
}

function issueMarks(): Map<string, 'error' | 'warning'> {
  const marks = new Map<string, 'error' | 'warning'>();
  const flow = flowDoc();
  if (!flow) return marks;
  const put = (id: string, sev: 'error' | 'warning') => {
    if (marks.get(id) !== 'error') marks.set(id, sev);
    // A state inside a card marks the card too, so it shows when the card is collapsed.
    const top = id.split('.')[0]!;
    if (top !== id && marks.get(top) !== 'error') marks.set(top, sev);
  };
  const tops = Object.entries(statesObj(flow) ?? {});
  for (const i of issues) {
    if (i.file === flowFile()) {
      const id = i.stateId ?? stateOfPointer(i.pointer);
      if (id) put(id, i.severity);
    } else if (i.file.startsWith('flows/shared/')) {
      const name = i.file.slice('flows/shared/'.length, -'.json'.length);
      const inner = stateOfPointer(i.pointer);
      for (const [top, s] of tops) if (isObj(s) && isObj(s['meta']) && s['meta']['subflow'] === name) put(inner ? `${top}.${inner}` : top, i.severity);
    } else if (i.file === PROMPTS_FILE) {
      const m = /^\/prompts\/([^/]+)/.exec(i.pointer);
      if (!m) continue;
      const pid = m[1]!.replace(/~1/g, '/').replace(/~0/g, '~');
      for (const s of allStates(flow)) if (says(s.state).some((x) => x.prompt === pid || x.rotate?.includes(pid))) put(s.id, i.severity);
    }
  }
  return marks;
}

function drawDiagram(): void {
  const flow = flowDoc();
  if (!flow) {
    ui.diagram.replaceChildren(el('p', { className: 'muted', text: draft.deleted.has(flowFile()) ? 'This flow is deleted in the draft.' : 'No flow.' }));
    return;
  }
  const marks = walkMarks();
  view.render(
    str(flow['id'] ?? flowFile()),
    { flow, prompts: draft.files[PROMPTS_FILE], lang, subflow: (name) => draft.files[subflowFile(name)] ?? subflowDocs[subflowFile(name)] ?? null, open: openSubflows },
    { selected: selection?.id ?? null, issues: issueMarks(), visited: marks.visited, current: marks.current },
  );
  ui.zoomLevel.textContent = `${Math.round(view.zoom * 100)}%`;
}

function renderStatePane(): void {
  const loc = selection ? locate(selection.id) : null;
  if (!loc) {
    ui.statePane.replaceChildren(el('p', { className: 'muted', text: 'Click a state in the diagram, or add one.' }));
    return;
  }
  const summary = el('div', { className: 'pane-issues' });
  if (!(loc.file in draft.files)) {
    const state = stateAt(loc.doc, loc.path) ?? {};
    const prompts = says(state).flatMap((x) => x.rotate ?? (x.prompt ? [x.prompt] : []));
    ui.statePane.replaceChildren(
      el('h2', { text: loc.id }),
      el('p', { className: 'muted', text: `This state belongs to the shared sub-flow ${loc.file}, which every flow that runs it shares; the editor shows it and does not change it. Its prompts are edited here like any other.` }),
      ...prompts.map((id) => el('div', { className: 'say' }, [el('strong', { text: id }), promptEditor(ctx, id)])),
    );
    return;
  }
  ui.statePane.replaceChildren(el('h2', { text: loc.id }), summary, stateEditor(ctx, loc));
  showIssues(ui.statePane, issues, loc.file, statePointer(loc.path), summary);
}

function renderFlowPane(): void {
  const flow = flowDoc();
  if (!flow) {
    ui.flowPane.replaceChildren();
    return;
  }
  const summary = el('div', { className: 'pane-issues' });
  ui.flowPane.replaceChildren(summary, flowPanel(ctx, flowFile(), flow));
  showIssues(ui.flowPane, issues.filter((i) => i.file !== flowFile() || /^\/(meta|initial|id|description)(\/|$)/.test(i.pointer)), flowFile(), '', summary);
}

function renderRulesPane(): void {
  const file = ui.rulesFile.value;
  const doc = draft.files[file];
  ui.rulesBody.replaceChildren(doc ? rulesPanel(ctx, file, doc) : el('p', { className: 'muted', text: `${file} is not in the workspace.` }));
  showIssues(ui.rulesBody, issues, file, '', ui.rulesIssues);
}

function renderPanels(): void {
  ui.promptIds.replaceChildren(...promptIds(ctx).map((id) => el('option', { value: id })));
  renderStatePane();
  renderFlowPane();
  renderRulesPane();
}

function renderIssues(): void {
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  ui.issuesSummary.textContent = issues.length ? `Checks: ${errors} error(s), ${warnings} warning(s)` : 'Checks: no errors, no warnings';
  ui.issues.replaceChildren(
    ...issues.map((i) => {
      const stateId = i.file === flowFile() ? (i.stateId ?? stateOfPointer(i.pointer)) : null;
      const li = el('li', { className: i.severity, 'data-severity': i.severity, 'data-file': i.file, 'data-pointer': i.pointer }, [
        el('code', { text: `${i.file}${i.pointer ? ` at ${i.pointer}` : ''}` }),
        `: ${i.message}`,
        el('small', { className: 'muted', text: ` (${i.source})` }),
      ]);
      if (stateId) {
        li.classList.add('link');
        li.addEventListener('click', () => {
          selectState(flowFile(), stateId);
          view.reveal(stateId.split('.')[0]!);
        });
      } else if (i.file.startsWith('rules/')) {
        li.classList.add('link');
        li.addEventListener('click', () => {
          ui.rulesFile.value = i.file;
          renderRulesPane();
          showTab('rules');
        });
      }
      return li;
    }),
  );
}

function renderHeader(): void {
  const changes = draft.changes();
  const files = Object.keys(changes);
  ui.draftState.setAttribute('data-dirty', String(files.length > 0));
  ui.draftState.textContent = files.length ? `Draft: ${files.length} file(s) changed (${files.join(', ')})` : 'No changes';
  if (draft.baseVersion && servedVersion && draft.baseVersion !== servedVersion && files.length) ui.draftState.textContent += ` · started from ${draft.baseVersion}`;
  ui.undo.disabled = !draft.canUndo;
  ui.redo.disabled = !draft.canRedo;
  ui.discard.disabled = files.length === 0;
  const key = JSON.stringify(changes);
  ui.save.disabled = files.length === 0 || !checked || checked.for !== key || !checked.valid;
  ui.save.title = files.length === 0 ? 'Nothing to save' : !checked || checked.for !== key ? 'Checking…' : checked.valid ? 'Publish the draft' : 'The draft has errors: it can be kept, not saved';
}

// ---- checking as you type ----
let checkTimer: ReturnType<typeof setTimeout> | null = null;
let checkSeq = 0;
function scheduleCheck(): void {
  if (checkTimer) clearTimeout(checkTimer);
  ui.checkState.setAttribute('data-status', 'checking');
  ui.checkState.textContent = 'Checking…';
  checkTimer = setTimeout(() => void runCheck(), 300);
}

/** One check at a time (lint takes seconds): edits made meanwhile are checked together when it ends. */
let checking = false;
let checkAgain = false;
async function runCheck(): Promise<void> {
  if (checking) {
    checkAgain = true;
    return;
  }
  checking = true;
  try {
    await checkOnce();
  } finally {
    checking = false;
  }
  if (checkAgain) {
    checkAgain = false;
    void runCheck();
  }
}

async function checkOnce(): Promise<void> {
  const seq = ++checkSeq;
  const changes = draft.changes();
  const key = JSON.stringify(changes);
  try {
    const r = await api.check(draft.baseVersion, changes);
    if (seq !== checkSeq) return;
    issues = r.issues;
    checked = { valid: r.valid, for: key };
    const errors = r.issues.filter((i) => i.severity === 'error').length;
    ui.checkState.setAttribute('data-status', r.valid ? 'valid' : 'invalid');
    ui.checkState.textContent = r.valid ? `✓ valid${r.issues.length ? ` · ${r.issues.length} warning(s)` : ''}` : `✗ ${errors} error(s): a draft, not saveable`;
  } catch (err) {
    if (seq !== checkSeq) return;
    checked = null;
    ui.checkState.setAttribute('data-status', 'failed');
    ui.checkState.textContent = `Cannot check: ${(err as Error).message}`;
  }
  renderIssues();
  drawDiagram();
  const loc = selection ? locate(selection.id) : null;
  const stateSummary = ui.statePane.querySelector<HTMLElement>('.pane-issues');
  if (loc) showIssues(ui.statePane, issues, loc.file, statePointer(loc.path), stateSummary);
  showIssues(ui.flowPane, issues.filter((i) => i.file !== flowFile() || /^\/(meta|initial|id|description)(\/|$)/.test(i.pointer)), flowFile(), '', ui.flowPane.querySelector<HTMLElement>('.pane-issues'));
  showIssues(ui.rulesBody, issues, ui.rulesFile.value, '', ui.rulesIssues);
  renderHeader();
}

draft.onChange(() => {
  renderHeader();
  drawDiagram();
  if (!quietEdit) renderPanels();
  scheduleCheck();
});

// ---- workspace, flows and callers ----
function flowFiles(): string[] {
  return Object.keys(draft.files)
    .filter((p) => /^flows\/[^/]+\.json$/.test(p) && p !== PROMPTS_FILE)
    .sort();
}

function fillFlowSelect(): void {
  const selected = ui.flowSelect.value;
  ui.flowSelect.replaceChildren(
    ...flowFiles().map((p) => {
      const f = draft.files[p]!;
      const meta = isObj(f['meta']) ? f['meta'] : {};
      const id = str(f['id'] ?? p);
      return el('option', { value: p, 'data-flow': id, text: `${id}${typeof meta['title'] === 'string' && meta['title'] !== id ? ` — ${meta['title']}` : ''}${typeof meta['segment'] === 'string' ? ` (segment ${meta['segment']})` : ''}` });
    }),
  );
  if (selected && flowFiles().includes(selected)) ui.flowSelect.value = selected;
}

async function loadWorkspace(keepDraft: boolean): Promise<void> {
  workspace = await api.workspace();
  servedVersion = workspace.version;
  const restored = keepDraft ? draft.load(workspace.version, workspace.files) : (draft.markSaved(workspace.version, workspace.files), false);
  fillFlowSelect();
  ui.rulesFile.replaceChildren(...RULE_FILES.filter((f) => f in draft.files).map((f) => el('option', { value: f, text: f })));
  if (restored) {
    ui.configNote.textContent = `Your draft from before was kept (${Object.keys(draft.changes()).join(', ')}); it started from configuration ${draft.baseVersion}.`;
    ui.configNote.hidden = false;
  }
  renderHeader();
  renderPanels();
  drawDiagram();
  scheduleCheck();
}

async function loadSubflows(): Promise<void> {
  subflowDocs = (await get<{ subflows: Record<string, Doc> }>('designer/subflows')).subflows;
  drawDiagram();
}

async function loadCustomers(): Promise<void> {
  customers = (await get<CustomersAnswer>('designer/customers')).customers;
  fillCallers(false);
}

// ---- configuration state (version, refused reloads) ----
function showConfig(c: ConfigState): void {
  const changed = servedVersion !== null && c.version !== servedVersion;
  servedVersion = c.version;
  ui.configState.textContent = `config ${c.version} · loaded ${new Date(c.loadedAt).toLocaleString()} · ${c.reloads} reload${c.reloads === 1 ? '' : 's'}`;
  ui.configState.setAttribute('data-version', c.version);
  if (c.lastError) {
    ui.configError.replaceChildren(
      el('strong', { text: `The last configuration edit was refused (${new Date(c.lastError.at).toLocaleString()}); calls still use config ${c.version}.` }),
      el('div', { text: c.lastError.issues.length ? '' : c.lastError.message }),
      el('ul', null, c.lastError.issues.map((i) => el('li', null, [el('code', { text: i.file + (i.path ? ` at ${i.path}` : '') }), `: ${i.message}`]))),
    );
    ui.configError.hidden = false;
  } else ui.configError.hidden = true;
  if (changed && draft.baseVersion !== c.version) {
    ui.configNote.textContent = draft.dirty
      ? `The configuration was changed elsewhere: now ${c.version}. Your draft started from ${draft.baseVersion}; saving it will be refused until you choose what to do.`
      : `The configuration was reloaded: now ${c.version}.`;
    ui.configNote.hidden = false;
    if (!draft.dirty) void loadWorkspace(false);
  }
  renderHeader();
}

async function pollConfig(): Promise<void> {
  try {
    showConfig((await get<FlowsAnswer>('designer/flows')).config);
  } catch {
    // shown on the next action
  }
}

// ---- save, refusals, versions ----
function showResult(kind: 'ok' | 'refused' | 'invalid', ...children: (Node | string)[]): void {
  ui.saveResult.className = kind;
  ui.saveResult.setAttribute('data-result', kind);
  ui.saveResult.replaceChildren(...children);
  ui.saveResult.hidden = false;
}

async function afterPublish(version: string, what: string): Promise<void> {
  const ws = await api.workspace();
  workspace = ws;
  servedVersion = ws.version;
  draft.markSaved(ws.version, ws.files);
  fillFlowSelect();
  showResult('ok', `${what}: the service now runs configuration ${version}.`);
  ui.saveMessage.value = '';
  await pollConfig();
  void loadVersions();
}

function handleRefusal(err: unknown, what: string): void {
  if (err instanceof ApiError && err.status === 409) {
    const current = err.body?.currentVersion ?? '?';
    void pollConfig().then(() => loadVersions());
    showResult(
      'refused',
      el('strong', { text: `${what} refused: the configuration was changed since your draft started. ` }),
      el('span', { 'data-field': 'versions', text: `Your draft started from ${draft.baseVersion}; the service now runs ${current}. Nothing was written. ` }),
      el('button', { type: 'button', text: `Keep my draft on top of ${current}`, 'data-action': 'rebase' }),
      ' ',
      el('button', { type: 'button', text: `Drop my draft and load ${current}`, 'data-action': 'reload' }),
    );
    ui.saveResult.querySelector('[data-action="rebase"]')?.addEventListener('click', () => {
      void api.workspace().then((ws) => {
        workspace = ws;
        draft.rebase(ws.version, ws.files);
        fillFlowSelect();
        showResult('ok', `Your draft now starts from ${ws.version}: compare and check it again before saving.`);
      });
    });
    ui.saveResult.querySelector('[data-action="reload"]')?.addEventListener('click', () => {
      ui.saveResult.hidden = true;
      void loadWorkspace(false);
    });
    return;
  }
  if (err instanceof ApiError && err.status === 422) {
    if (err.body?.issues) {
      issues = err.body.issues;
      renderIssues();
      drawDiagram();
    }
    showResult('invalid', `${what} refused: the draft does not validate (${err.body?.issues?.length ?? 0} issue(s), listed under the diagram). Nothing was written.`);
    return;
  }
  showResult('refused', `${what} failed: ${(err as Error).message}`);
}

async function save(): Promise<void> {
  const changes = draft.changes();
  if (!Object.keys(changes).length) return;
  ui.save.disabled = true;
  try {
    const r = await api.save(draft.baseVersion, changes, ui.saveMessage.value.trim() || undefined);
    await afterPublish(r.version, `Saved ${Object.keys(changes).join(', ')}`);
  } catch (err) {
    handleRefusal(err, 'Save');
  } finally {
    renderHeader();
  }
}

async function loadVersions(): Promise<void> {
  ui.versionsStatus.textContent = 'Loading…';
  try {
    const { versions } = await api.versions();
    ui.versions.replaceChildren(...versions.map((v) => versionItem(v, servedVersion ?? '', (x) => void restore(x.id))));
    ui.versionsStatus.textContent = `${versions.length} saved version(s), newest first`;
  } catch (err) {
    ui.versionsStatus.textContent = `Cannot list versions: ${(err as Error).message}`;
  }
}

async function restore(id: string): Promise<void> {
  try {
    const r = await api.restore(id, servedVersion ?? draft.baseVersion);
    await afterPublish(r.version, `Restored version ${id}`);
  } catch (err) {
    handleRefusal(err, 'Restore');
  }
}

// ---- compare with saved ----
async function compare(): Promise<void> {
  showTab('impact');
  const changes: Changes = draft.changes();
  ui.runCompare.disabled = ui.compare.disabled = true;
  ui.compareStatus.textContent = Object.keys(changes).length ? 'Replaying the sample trace against saved and draft…' : 'No changes: the draft is the saved configuration.';
  ui.compareResult.replaceChildren();
  ui.compareResult.setAttribute('data-status', 'running');
  try {
    const r = await api.compare(draft.baseVersion, changes);
    ui.compareResult.replaceChildren(compareView(r));
    ui.compareResult.setAttribute('data-status', 'done');
    ui.compareStatus.textContent = `Done in ${(r.elapsedMs / 1000).toFixed(1)} s.`;
  } catch (err) {
    ui.compareResult.setAttribute('data-status', 'failed');
    ui.compareStatus.textContent =
      err instanceof ApiError && err.status === 422
        ? 'The draft does not validate: fix the errors first.'
        : err instanceof ApiError && err.status === 429
          ? 'Another comparison is running on the service: try again when it ends.'
          : `Cannot compare: ${(err as Error).message}`;
  } finally {
    ui.runCompare.disabled = ui.compare.disabled = false;
  }
}

// ---- tabs ----
function showTab(name: string): void {
  for (const t of tabs) t.classList.toggle('active', t.dataset['tab'] === name);
  for (const p of document.querySelectorAll<HTMLElement>('#side [data-pane]')) p.hidden = p.dataset['pane'] !== name;
  if (name === 'versions') void loadVersions();
}
for (const t of tabs) t.addEventListener('click', () => showTab(t.dataset['tab'] ?? 'state'));

// ---- the walk (try a call against the draft) ----
const walk: { caller: string | null; profile: CustomerProfile | null; keys: string[]; result: EditorTryAnswer | null; busy: boolean; spoken: number } = {
  caller: null,
  profile: null,
  keys: [],
  result: null,
  busy: false,
  spoken: 0,
};

function fillCallers(keepSelection: boolean): void {
  const previous = keepSelection ? ui.callerSelect.value : '';
  const flow = flowDoc();
  const segment = flow && isObj(flow['meta']) ? flow['meta']['segment'] : null;
  const list = ui.allCustomers.checked ? customers : customers.filter((c) => c.segment === segment);
  const first = el('option', { value: '', text: list.length ? `— choose a caller (${list.length}) —` : '— no caller of this segment in the customers file —' });
  ui.callerSelect.replaceChildren(
    first,
    ...list.map((c) => {
      const p = c.profile;
      const who = p.title || p.name || '';
      const extra = [c.segment, p.vipLevel && p.vipLevel !== 'none' ? `VIP ${p.vipLevel}` : null, p.network, p.plan].filter(Boolean).join(' · ');
      return el('option', { value: c.phone, text: `${c.phone}${who ? ` ${who}` : ''} — ${extra}` });
    }),
  );
  if (previous && list.some((c) => c.phone === previous)) ui.callerSelect.value = previous;
}

function resetWalk(message = 'Choose a caller to start a call.'): void {
  walk.keys = [];
  walk.result = null;
  walk.spoken = 0;
  window.speechSynthesis?.cancel();
  ui.transcript.replaceChildren();
  ui.decision.hidden = true;
  ui.tryError.hidden = true;
  ui.segmentNote.hidden = true;
  ui.walkStatus.setAttribute('data-status', 'idle');
  ui.walkStatus.textContent = message;
  updateControls();
  drawDiagram();
}

function startWalk(): void {
  resetWalk('Calling…');
  void send(null);
}

function updateControls(): void {
  const waiting = walk.result?.walk.status === 'waiting';
  for (const b of keyButtons) b.disabled = walk.busy || !waiting;
  ui.wait.disabled = ui.hangup.disabled = walk.busy || !waiting;
  ui.reset.disabled = walk.busy || (!walk.caller && !walk.profile);
}

async function send(end: 'wait' | 'hangup' | null): Promise<void> {
  walk.busy = true;
  updateControls();
  ui.tryError.hidden = true;
  try {
    const result = await api.try({
      baseVersion: draft.baseVersion,
      changes: draft.changes(),
      keys: [...walk.keys],
      ...(walk.profile ? { profile: walk.profile } : { caller: walk.caller ?? '' }),
      ...(end ? { end } : {}),
    });
    walk.result = result;
    renderWalk(result);
  } catch (err) {
    if (!end && walk.keys.length) walk.keys.pop();
    const issueList = err instanceof ApiError ? (err.body?.issues ?? []) : [];
    ui.tryError.textContent = issueList.length ? `The draft does not load: ${issueList.filter((i) => i.severity === 'error').map((i) => `${i.file} at ${i.pointer}: ${i.message}`).join('; ')}` : (err as Error).message;
    ui.tryError.hidden = false;
  } finally {
    walk.busy = false;
    updateControls();
  }
}

function renderWalk(r: EditorTryAnswer): void {
  const d = r.decision;
  const heard = (d.transcript ?? []).slice(0, r.walk.heard);
  ui.transcript.replaceChildren(...heard.map(transcriptItem));
  ui.transcript.scrollTop = ui.transcript.scrollHeight;
  speak(heard, d.caller.language);
  const shownFlow = str(flowDoc()?.['id'] ?? '');
  if (d.flow.id !== shownFlow) {
    ui.segmentNote.textContent = `This caller is in segment ${d.segment.id}, so the call runs flow ${d.flow.id}.`;
    ui.segmentNote.hidden = false;
    const file = flowFiles().find((p) => draft.files[p]?.['id'] === d.flow.id);
    if (file) {
      ui.flowSelect.value = file;
      selection = null;
      renderPanels();
    }
  }
  const at = r.walk.waitingIn ?? d.flow.finalState;
  const top = at.split('.')[0]!;
  const topState = statesObj(flowDoc() ?? {})?.[top];
  if (at.includes('.') && isObj(topState) && isObj(topState['meta']) && typeof topState['meta']['subflow'] === 'string') openSubflows.add(top);
  drawDiagram();
  view.reveal(walkMarks().current ?? top);
  ui.walkStatus.setAttribute('data-status', r.walk.status);
  if (r.walk.status === 'waiting') {
    ui.walkStatus.textContent = `Waiting for a key in ${r.walk.waitingIn}${walk.keys.length ? ` · keys so far ${walk.keys.join(' ')}` : ''}.`;
    ui.decision.hidden = true;
  } else {
    ui.walkStatus.textContent = `The call left the IVR: ${d.flow.outcome}${r.walk.unusedKeys ? ` (${r.walk.unusedKeys} key(s) not asked for)` : ''}.`;
    showDecision(ui.decision, ui.fired, d);
  }
}

function speak(heard: TranscriptEntry[], language: string): void {
  const prompts = heard.filter((e) => e.kind === 'prompt');
  if (!ui.speak.checked || !window.speechSynthesis) {
    walk.spoken = prompts.length;
    return;
  }
  for (const p of prompts.slice(walk.spoken)) {
    const u = new SpeechSynthesisUtterance(p.text);
    u.lang = language;
    window.speechSynthesis.speak(u);
  }
  walk.spoken = prompts.length;
}
if (!window.speechSynthesis) {
  ui.speak.disabled = true;
  if (ui.speak.parentElement) ui.speak.parentElement.title = 'This browser cannot speak';
}

// ---- events ----
ui.flowSelect.addEventListener('change', () => {
  ui.configNote.hidden = true;
  selection = null;
  openSubflows.clear();
  fillCallers(false);
  walk.caller = walk.profile = null;
  resetWalk();
  renderPanels();
  drawDiagram();
});
ui.lang.addEventListener('change', () => {
  lang = ui.lang.value === 'en-US' ? 'en-US' : 'zh-CN';
  drawDiagram();
  renderPanels();
});
ui.zoomIn.addEventListener('click', () => {
  view.zoomBy(1.25);
  ui.zoomLevel.textContent = `${Math.round(view.zoom * 100)}%`;
});
ui.zoomOut.addEventListener('click', () => {
  view.zoomBy(1 / 1.25);
  ui.zoomLevel.textContent = `${Math.round(view.zoom * 100)}%`;
});
ui.zoomReset.addEventListener('click', () => {
  view.reset();
  ui.zoomLevel.textContent = '100%';
});
ui.zoomFit.addEventListener('click', () => {
  view.fit();
  ui.zoomLevel.textContent = `${Math.round(view.zoom * 100)}%`;
});
ui.diagram.addEventListener('wheel', () => (ui.zoomLevel.textContent = `${Math.round(view.zoom * 100)}%`), { passive: true });
ui.addState.addEventListener('click', () => {
  const flow = flowDoc();
  if (!flow) return;
  const name = freeName(flow, 'newState');
  draft.edit(() => {
    (statesObj(flow) ?? (flow['states'] = {}))[name] = {};
  });
  selectState(flowFile(), name);
});
ui.rulesFile.addEventListener('change', () => renderRulesPane());
ui.undo.addEventListener('click', () => draft.undo());
ui.redo.addEventListener('click', () => draft.redo());
ui.discard.addEventListener('click', () => draft.discard());
ui.save.addEventListener('click', () => void save());
ui.compare.addEventListener('click', () => void compare());
ui.runCompare.addEventListener('click', () => void compare());
ui.refreshVersions.addEventListener('click', () => void loadVersions());
document.addEventListener('keydown', (e) => {
  const t = e.target;
  if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return;
  if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'z' && e.key.toLowerCase() !== 'y') return;
  e.preventDefault();
  if (e.key.toLowerCase() === 'y' || e.shiftKey) draft.redo();
  else draft.undo();
});

ui.allCustomers.addEventListener('change', () => fillCallers(true));
ui.callerSelect.addEventListener('change', () => {
  const c = customers.find((x) => x.phone === ui.callerSelect.value);
  if (!c) {
    walk.caller = walk.profile = null;
    resetWalk();
    return;
  }
  walk.caller = c.phone;
  walk.profile = null;
  ui.profileJson.value = JSON.stringify(c.profile, null, 2);
  ui.profileError.textContent = '';
  startWalk();
});
ui.useProfile.addEventListener('click', () => {
  let profile: CustomerProfile;
  try {
    profile = JSON.parse(ui.profileJson.value) as CustomerProfile;
  } catch (e) {
    ui.profileError.textContent = `Not JSON: ${(e as Error).message}`;
    return;
  }
  ui.profileError.textContent = '';
  walk.profile = profile;
  walk.caller = null;
  startWalk();
});
for (const b of keyButtons) {
  b.addEventListener('click', () => {
    if (b.disabled) return;
    walk.keys.push(b.dataset['key'] ?? '');
    void send(null);
  });
}
ui.wait.addEventListener('click', () => void send('wait'));
ui.hangup.addEventListener('click', () => void send('hangup'));
ui.reset.addEventListener('click', () => {
  if (walk.caller || walk.profile) startWalk();
});
ui.speak.addEventListener('change', () => {
  if (!ui.speak.checked) window.speechSynthesis?.cancel();
});

updateControls();
Promise.all([loadWorkspace(true), pollConfig()])
  .then(() => Promise.all([loadCustomers(), loadSubflows()]))
  .catch((err: unknown) => {
    ui.configState.textContent = `Cannot load the workspace: ${(err as Error).message}`;
    ui.diagram.replaceChildren(el('p', { className: 'error-text', text: `Cannot load the workspace: ${(err as Error).message}` }));
  });
// A refused edit or a save made elsewhere shows up without a click.
setInterval(() => void pollConfig(), 15000);
