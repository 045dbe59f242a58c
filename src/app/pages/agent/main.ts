/**
 * The agent desktop. The agent gives an id and the queues they serve; the page subscribes to
 * /agents/:id/events with EventSource (which reconnects by itself and resumes from
 * Last-Event-ID) and shows each caller's card the moment the call is queued.
 */
import type { ReadyEvent } from '../../screen-pop/agent-events.service.js';
import type { ScreenPop } from '../../../core/screen-pop/screen-pop.js';
import { byId } from '../shared/dom.js';
import { dropAccessToken, refusal, serviceRoot } from '../shared/service.js';
import { popCard, recentItem } from './pop-card.js';

dropAccessToken();

const MAX_RECENT = 30;
const SAVED = 'ivr-sim.agent';

/** What the page remembers between visits. */
interface SavedSettings {
  agent: string;
  queues: string;
}

type Status = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'error';

const form = byId('connect-form', HTMLFormElement);
const agentInput = byId('agent-id', HTMLInputElement);
const queuesInput = byId('queues', HTMLInputElement);
const statusEl = byId('status', HTMLElement);
const currentEl = byId('current', HTMLElement);
const recentEl = byId('recent', HTMLOListElement);
const recentEmpty = byId('recent-empty', HTMLParagraphElement);
const root = serviceRoot('agent');

let source: EventSource | null = null;
const pops: ScreenPop[] = [];
let shown: ScreenPop | null = null;

function setStatus(state: Status, text: string): void {
  statusEl.setAttribute('data-state', state);
  statusEl.textContent = text;
}

function eventsUrl(agent: string, queues: string): string {
  const url = `${root}agents/${encodeURIComponent(agent)}/events`;
  return queues ? `${url}?queues=${encodeURIComponent(queues)}` : url;
}

function connect(agent: string, queues: string): void {
  source?.close();
  try {
    localStorage.setItem(SAVED, JSON.stringify({ agent, queues } satisfies SavedSettings));
  } catch {
    // private mode: nothing is remembered
  }
  const url = eventsUrl(agent, queues);
  setStatus('connecting', 'Connecting…');
  const es = new EventSource(url);
  source = es;
  es.addEventListener('ready', (e) => {
    const r = JSON.parse(e.data as string) as ReadyEvent;
    statusEl.setAttribute('data-queues', r.queues.join(','));
    setStatus('connected', `${r.resumed ? 'Reconnected' : 'Connected'} as ${r.agentId ?? agent} · ${r.queues.join(', ')}${r.group ? ` (group ${r.group})` : ''}`);
  });
  es.addEventListener('screen-pop', (e) => received(JSON.parse(e.data as string) as ScreenPop));
  es.addEventListener('unavailable', () => setStatus('reconnecting', 'Screen pops unavailable; reconnecting…'));
  es.addEventListener('error', () => {
    if (es !== source) return;
    if (es.readyState === EventSource.CLOSED) void explainRefusal(url);
    else setStatus('reconnecting', 'Reconnecting…');
  });
}

/** EventSource hides why a stream was refused; asks once more to show the service's message. */
async function explainRefusal(url: string): Promise<void> {
  const ctl = new AbortController();
  try {
    const res = await fetch(url, { signal: ctl.signal });
    if (res.ok) {
      ctl.abort();
      setStatus('error', 'Disconnected');
      return;
    }
    setStatus('error', await refusal(res, `Refused (${res.status})`));
  } catch {
    setStatus('error', 'Disconnected: the service cannot be reached');
  }
}

function received(pop: ScreenPop): void {
  pops.unshift(pop);
  if (pops.length > MAX_RECENT) pops.length = MAX_RECENT;
  show(pop, true);
  document.title = `● ${pop.customer.title || pop.customer.phone} · Agent desktop`;
}

function show(pop: ScreenPop, fresh: boolean): void {
  shown = pop;
  currentEl.replaceChildren(popCard(pop, fresh));
  renderRecent();
}

function renderRecent(): void {
  recentEmpty.hidden = pops.length > 0;
  recentEl.replaceChildren(
    ...pops.map((p) => {
      const li = recentItem(p, p === shown);
      li.addEventListener('click', () => show(p, false));
      return li;
    }),
  );
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const agent = agentInput.value.trim();
  if (agent) connect(agent, queuesInput.value.replace(/\s+/g, ''));
});

function savedSettings(): Partial<SavedSettings> | null {
  try {
    return JSON.parse(localStorage.getItem(SAVED) ?? 'null') as Partial<SavedSettings> | null;
  } catch {
    return null;
  }
}

// /agent?agent=vip-desk-07&queues=vip connects straight away (a desktop shortcut); else the last settings.
const params = new URLSearchParams(location.search);
const linked = params.get('agent');
const saved = savedSettings();
if (linked) {
  agentInput.value = linked;
  queuesInput.value = params.get('queues') ?? '';
  connect(agentInput.value.trim(), queuesInput.value.replace(/\s+/g, ''));
} else if (saved) {
  agentInput.value = saved.agent ?? '';
  queuesInput.value = saved.queues ?? '';
}
