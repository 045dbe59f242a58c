/**
 * The flow designer: try the flows being served in a browser. Pick a flow (its diagram is drawn
 * by the service from the definition the engine runs), pick a caller or edit a profile, press
 * keys on the keypad and read (or hear) the prompts, then the decision with the rules that
 * fired. The walk keeps no state on the service: each key posts the caller and every key so far
 * to /designer/try.
 */
import type { CustomerProfile } from '../../../core/profile/customer-profile.js';
import { byId, el } from '../shared/dom.js';
import { dropAccessToken, refusal, serviceRoot } from '../shared/service.js';
import { showDecision, transcriptItem } from './decision-view.js';
import { Diagram } from './diagram.js';
import type { ConfigState, Customer, CustomersAnswer, Flow, FlowsAnswer, TranscriptEntry, TryAnswer, TryRequest } from './payloads.js';

dropAccessToken();

const root = serviceRoot('designer');
const ui = {
  configState: byId('config-state', HTMLElement),
  configError: byId('config-error', HTMLDivElement),
  configNote: byId('config-note', HTMLDivElement),
  flowSelect: byId('flow-select', HTMLSelectElement),
  fit: byId('fit', HTMLInputElement),
  diagram: byId('diagram', HTMLDivElement),
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
};
const keyButtons = [...ui.keypad.querySelectorAll<HTMLButtonElement>('button[data-key]')];

/** The service's answer to `path`, parsed as JSON or read as text by its Content-Type; an error answer throws its message. */
async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(root + path, init);
  if (!res.ok) throw new Error(await refusal(res, `HTTP ${res.status}`));
  return ((res.headers.get('content-type') ?? '').includes('json') ? res.json() : res.text()) as Promise<T>;
}
const diagram = new Diagram(ui.diagram, (flowId) => api<string>(`designer/flows/${encodeURIComponent(flowId)}/diagram.svg`));

let flows: Flow[] = [];
let customers: Customer[] = [];
let configVersion: string | null = null;
/** The call being walked: who calls, the keys so far, and the last answer. */
const walk: { caller: string | null; profile: CustomerProfile | null; keys: string[]; result: TryAnswer | null; busy: boolean; spoken: number } = {
  caller: null,
  profile: null,
  keys: [],
  result: null,
  busy: false,
  spoken: 0,
};

// ---- configuration state (version, refused reloads) ----
function showConfig(c: ConfigState): void {
  const changed = configVersion !== null && c.version !== configVersion;
  configVersion = c.version;
  ui.configState.textContent = `config ${c.version} · loaded ${new Date(c.loadedAt).toLocaleString()} · ${c.reloads} reload${c.reloads === 1 ? '' : 's'}`;
  ui.configState.setAttribute('data-version', c.version);
  if (c.lastError) {
    ui.configError.replaceChildren(
      el('strong', { text: `The last configuration edit was refused (${new Date(c.lastError.at).toLocaleString()}); calls still use config ${c.version}.` }),
      el('div', { text: c.lastError.issues.length ? '' : c.lastError.message }),
      el(
        'ul',
        null,
        c.lastError.issues.map((i) => el('li', null, [el('code', { text: i.file + (i.path ? ` at ${i.path}` : '') }), `: ${i.message}`])),
      ),
    );
    ui.configError.hidden = false;
  } else {
    ui.configError.hidden = true;
  }
  if (changed) {
    ui.configNote.textContent = `The configuration was reloaded: now ${c.version}. Flows, diagram and callers are refreshed; walks use the new version.`;
    ui.configNote.hidden = false;
    void loadFlowsAndCustomers(true);
  }
}

async function pollConfig(): Promise<void> {
  try {
    showConfig((await api<FlowsAnswer>('designer/flows')).config);
  } catch {
    // shown on the next action
  }
}

// ---- flows and callers ----
async function loadFlowsAndCustomers(keepSelection: boolean): Promise<void> {
  const [f, c] = await Promise.all([api<FlowsAnswer>('designer/flows'), api<CustomersAnswer>('designer/customers')]);
  flows = f.flows;
  customers = c.customers;
  const selected = keepSelection ? ui.flowSelect.value : null;
  ui.flowSelect.replaceChildren(...flows.map((x) => el('option', { value: x.id, text: `${x.id}${x.title && x.title !== x.id ? ` — ${x.title}` : ''} (segment ${x.segment})` })));
  if (selected && flows.some((x) => x.id === selected)) ui.flowSelect.value = selected;
  showConfig(f.config);
  fillCallers(keepSelection);
  await diagram.show(ui.flowSelect.value, walk.result);
}

function fillCallers(keepSelection: boolean): void {
  const previous = keepSelection ? ui.callerSelect.value : '';
  const segment = flows.find((f) => f.id === ui.flowSelect.value)?.segment ?? null;
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

// ---- the walk ----
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
  diagram.mark(null);
  updateControls();
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

async function send(end: TryRequest['end'] | null): Promise<void> {
  const body: TryRequest = { keys: [...walk.keys], ...(walk.profile ? { profile: walk.profile } : { caller: walk.caller ?? '' }), ...(end ? { end } : {}) };
  walk.busy = true;
  updateControls();
  ui.tryError.hidden = true;
  try {
    const result = await api<TryAnswer>('designer/try', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    walk.result = result;
    render(result);
  } catch (err) {
    if (!end && walk.keys.length) walk.keys.pop();
    ui.tryError.textContent = (err as Error).message;
    ui.tryError.hidden = false;
  } finally {
    walk.busy = false;
    updateControls();
  }
}

function render(r: TryAnswer): void {
  showConfig(r.config);
  const d = r.decision;
  const heard = (d.transcript ?? []).slice(0, r.walk.heard);
  ui.transcript.replaceChildren(...heard.map(transcriptItem));
  ui.transcript.scrollTop = ui.transcript.scrollHeight;
  speak(heard, d.caller.language);
  if (d.flow.id !== ui.flowSelect.value) {
    ui.segmentNote.textContent = `This caller is in segment ${d.segment.id}, so the call runs flow ${d.flow.id}.`;
    ui.segmentNote.hidden = false;
  }
  if (diagram.flow !== d.flow.id) void diagram.show(d.flow.id, r);
  else diagram.mark(r);
  ui.walkStatus.setAttribute('data-status', r.walk.status);
  if (r.walk.status === 'waiting') {
    ui.walkStatus.textContent = `Waiting for a key in ${r.walk.waitingIn}${walk.keys.length ? ` · keys so far ${walk.keys.join(' ')}` : ''}.`;
    ui.decision.hidden = true;
  } else {
    ui.walkStatus.textContent = `The call left the IVR: ${d.flow.outcome}${r.walk.unusedKeys ? ` (${r.walk.unusedKeys} key(s) not asked for)` : ''}.`;
    showDecision(ui.decision, ui.fired, d);
  }
}

// ---- speech (optional) ----
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
ui.speak.addEventListener('change', () => {
  if (!ui.speak.checked) window.speechSynthesis?.cancel();
});

// ---- events ----
ui.flowSelect.addEventListener('change', () => {
  ui.configNote.hidden = true;
  fillCallers(false);
  walk.caller = walk.profile = null;
  resetWalk();
  void diagram.show(ui.flowSelect.value, walk.result);
});
ui.allCustomers.addEventListener('change', () => fillCallers(true));
ui.fit.addEventListener('change', () => {
  ui.diagram.classList.toggle('fit', ui.fit.checked);
  diagram.mark(walk.result);
});
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

updateControls();
loadFlowsAndCustomers(false).catch((err: unknown) => {
  ui.configState.textContent = `Cannot load the flows: ${(err as Error).message}`;
});
// A refused edit shows up without a click; a reload refreshes the flows.
setInterval(() => void pollConfig(), 15000);
