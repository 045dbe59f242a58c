import { htmlPage, type Page } from './html-page.js';

/**
 * GET /agent: the agent desktop. The agent gives an id and the queues they serve; the page
 * subscribes to /agents/:id/events with EventSource (which reconnects by itself and resumes
 * from Last-Event-ID) and shows each caller's card the moment the call is queued.
 * Everything is built with textContent: pop contents are never parsed as HTML.
 */
export const AGENT_PAGE: Page = htmlPage(String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Agent desktop · ivr-sim</title>
<link rel="icon" href="data:,">
<style>
  :root { --bg: #f4f6f8; --card: #fff; --ink: #1d2733; --muted: #5f6b7a; --line: #d8dee6;
          --info: #1565c0; --info-bg: #e3f0fc; --warning: #8a5a00; --warning-bg: #fff3d6;
          --critical: #b71c1c; --critical-bg: #fde4e4; --ok: #2e7d32; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--ink); background: var(--bg); }
  header { display: flex; flex-wrap: wrap; gap: 12px 24px; align-items: center; padding: 12px 20px; background: #16324f; color: #fff; }
  header h1 { font-size: 18px; margin: 0; }
  form { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; }
  label { display: flex; flex-direction: column; font-size: 12px; gap: 2px; }
  input { font: inherit; padding: 5px 8px; border: 1px solid #8aa; border-radius: 4px; min-width: 12em; }
  button { font: inherit; padding: 5px 14px; border: 0; border-radius: 4px; background: #2f80ed; color: #fff; cursor: pointer; }
  #status { padding: 3px 10px; border-radius: 12px; background: #41566d; font-size: 13px; }
  #status[data-state="connected"] { background: var(--ok); }
  #status[data-state="reconnecting"], #status[data-state="connecting"] { background: #a66b00; }
  #status[data-state="error"] { background: var(--critical); }
  main { display: grid; grid-template-columns: minmax(0, 1fr) 320px; gap: 20px; padding: 20px; }
  @media (max-width: 900px) { main { grid-template-columns: 1fr; } }
  .panel { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; }
  .empty { color: var(--muted); }
  .card-head { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: baseline; border-bottom: 1px solid var(--line); padding-bottom: 10px; margin-bottom: 12px; }
  .card-head .who { font-size: 22px; font-weight: 600; }
  .card-head .phone { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; font-size: 16px; color: var(--muted); }
  .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; background: #e8edf3; font-size: 12px; }
  .badge.vip { background: #f3e5ab; }
  .badge.queue { background: #dbe9f7; }
  .fresh { animation: flash 1.6s ease-out 1; }
  @keyframes flash { from { box-shadow: 0 0 0 4px #2f80ed; } to { box-shadow: 0 0 0 0 transparent; } }
  ul.tags { list-style: none; padding: 0; margin: 0 0 14px; display: flex; flex-direction: column; gap: 6px; }
  .tag { padding: 6px 10px; border-radius: 6px; border-left: 5px solid; }
  .tag small { color: var(--muted); margin-left: 8px; }
  .severity-info { background: var(--info-bg); border-color: var(--info); }
  .severity-warning { background: var(--warning-bg); border-color: #e0a000; }
  .severity-critical { background: var(--critical-bg); border-color: var(--critical); font-weight: 600; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 0 0 14px; }
  dt { color: var(--muted); }
  dd { margin: 0; }
  h2 { font-size: 15px; margin: 0 0 8px; }
  h3 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 14px 0 6px; }
  .meta { color: var(--muted); font-size: 12px; margin-top: 10px; }
  ol#recent { list-style: none; margin: 0; padding: 0; }
  ol#recent li { padding: 8px; border-bottom: 1px solid var(--line); cursor: pointer; }
  ol#recent li:hover, ol#recent li.selected { background: #eef4fb; }
  ol#recent .when { color: var(--muted); font-size: 12px; }
  .error-text { color: var(--critical); }
</style>
</head>
<body>
<header>
  <h1>Agent desktop</h1>
  <form id="connect-form" autocomplete="off">
    <label>Agent id <input id="agent-id" required placeholder="vip-desk-07"></label>
    <label>Queues <input id="queues" placeholder="vip,general (blank: your staffing group's)"></label>
    <button type="submit" id="connect">Connect</button>
  </form>
  <span id="status" data-state="idle" role="status">Not connected</span>
</header>
<main>
  <section class="panel" id="current" aria-live="polite">
    <p class="empty">Connect, then the caller's card appears here the moment a call is queued to one of your queues.</p>
  </section>
  <aside class="panel">
    <h2>Recent calls</h2>
    <p class="empty" id="recent-empty">None yet.</p>
    <ol id="recent"></ol>
  </aside>
</main>
<script>
(function () {
  'use strict';
  // Opened once with ?token=…: the service has set its cookie, so the token leaves the address bar and history.
  if (/[?&]token=/.test(location.search)) {
    var kept = new URLSearchParams(location.search);
    kept.delete('token');
    history.replaceState(null, '', location.pathname + (kept.toString() ? '?' + kept.toString() : '') + location.hash);
  }
  var MAX_RECENT = 30;
  var form = document.getElementById('connect-form');
  var agentInput = document.getElementById('agent-id');
  var queuesInput = document.getElementById('queues');
  var statusEl = document.getElementById('status');
  var currentEl = document.getElementById('current');
  var recentEl = document.getElementById('recent');
  var recentEmpty = document.getElementById('recent-empty');
  var source = null;
  var pops = [];
  var shown = null;

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'className') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function dash(v) { return v === null || v === undefined || v === '' ? '—' : String(v); }
  function setStatus(state, text) { statusEl.setAttribute('data-state', state); statusEl.textContent = text; }

  // The service's root, also when a proxy serves it under a path (/ivr/agent → /ivr/).
  var base = location.pathname.replace(/\/agent\/?$/, '/');

  function eventsUrl(agent, queues) {
    var url = base + 'agents/' + encodeURIComponent(agent) + '/events';
    return queues ? url + '?queues=' + encodeURIComponent(queues) : url;
  }

  function connect(agent, queues) {
    if (source) source.close();
    try { localStorage.setItem('ivr-sim.agent', JSON.stringify({ agent: agent, queues: queues })); } catch (e) { /* private mode */ }
    var url = eventsUrl(agent, queues);
    setStatus('connecting', 'Connecting…');
    var es = new EventSource(url);
    source = es;
    es.addEventListener('ready', function (e) {
      var r = JSON.parse(e.data);
      statusEl.setAttribute('data-queues', r.queues.join(','));
      setStatus('connected', (r.resumed ? 'Reconnected' : 'Connected') + ' as ' + r.agentId + ' · ' + r.queues.join(', ') + (r.group ? ' (group ' + r.group + ')' : ''));
    });
    es.addEventListener('screen-pop', function (e) { received(JSON.parse(e.data)); });
    es.addEventListener('unavailable', function () { setStatus('reconnecting', 'Screen pops unavailable; reconnecting…'); });
    es.addEventListener('error', function () {
      if (es !== source) return;
      if (es.readyState === EventSource.CLOSED) explainRefusal(url);
      else setStatus('reconnecting', 'Reconnecting…');
    });
  }

  // EventSource hides why a stream was refused; ask once more to show the service's message.
  function explainRefusal(url) {
    var ctl = new AbortController();
    fetch(url, { signal: ctl.signal }).then(function (res) {
      if (res.ok) { ctl.abort(); setStatus('error', 'Disconnected'); return; }
      return res.json().then(function (body) { setStatus('error', body && body.message ? body.message : 'Refused (' + res.status + ')'); });
    }).catch(function () { setStatus('error', 'Disconnected: the service cannot be reached'); });
  }

  function received(pop) {
    pops.unshift(pop);
    if (pops.length > MAX_RECENT) pops.length = MAX_RECENT;
    show(pop, true);
    renderRecent();
    document.title = '● ' + (pop.customer.title || pop.customer.phone) + ' · Agent desktop';
  }

  function tagList(tags) {
    if (!tags.length) return el('p', { className: 'empty', text: 'No tags.' });
    return el('ul', { className: 'tags', 'data-field': 'tags' }, tags.map(function (t) {
      return el('li', { className: 'tag severity-' + t.severity, 'data-severity': t.severity, 'data-rule': t.rule }, [
        el('span', { className: 'tag-text', text: t.text }), el('small', { text: t.severity + ' · ' + t.rule })]);
    }));
  }

  function facts(rows) {
    var dl = el('dl');
    rows.forEach(function (r) {
      dl.appendChild(el('dt', { text: r[0] }));
      dl.appendChild(el('dd', { 'data-field': r[1], text: r[2] }));
    });
    return dl;
  }

  function diagnosisText(d) {
    if (!d) return '—';
    var parts = [d.symptom, d.result];
    if (d.steps && d.steps.length) parts.push('tried ' + d.steps.join(', '));
    if (d.outage) parts.push('outage');
    return parts.filter(Boolean).join(' · ');
  }

  function show(pop, fresh) {
    shown = pop;
    var c = pop.customer;
    var who = c.title || c.name || (c.known ? 'Customer' : 'Unknown caller');
    var head = el('div', { className: 'card-head' }, [
      el('span', { className: 'who', 'data-field': 'title', text: who }),
      c.name && c.title ? el('span', { 'data-field': 'name', text: c.name }) : null,
      el('span', { className: 'phone', 'data-field': 'phone', text: c.phone }),
      el('span', { className: 'badge', 'data-field': 'segment', text: c.segment }),
      c.vipLevel && c.vipLevel !== 'none' ? el('span', { className: 'badge vip', 'data-field': 'vip', text: 'VIP ' + c.vipLevel }) : null,
      el('span', { className: 'badge queue', 'data-field': 'queue', text: 'queue ' + pop.queue + ' · priority ' + pop.priority })
    ]);
    var ivr = pop.ivr;
    var card = el('article', { className: fresh ? 'fresh' : '', 'data-call-sid': pop.callSid }, [
      head,
      pop.fault ? el('p', { className: 'error-text', text: 'Queued after a fault (' + pop.fault + '): the IVR did not finish.' }) : null,
      el('h3', { text: 'Tags' }),
      tagList(pop.tags),
      el('h3', { text: 'Customer' }),
      facts([
        ['Plan', 'plan', dash(c.plan) + (c.network ? ' · ' + c.network : '')],
        ['Data used', 'data-used', c.dataUsedPct === null ? '—' : c.dataUsedPct + '%'],
        ['Balance', 'balance', c.balance === null ? '—' : '¥' + c.balance.toFixed(2)],
        ['Tenure', 'tenure', c.tenureMonths === null ? '—' : c.tenureMonths + ' months'],
        ['Recent calls', 'recent-calls', dash(c.calls24h) + ' in 24 h · ' + dash(c.calls7d) + ' in 7 days'],
        ['Complaints', 'complaints', dash(c.complaints90d) + ' in 90 days'],
        ['Language', 'language', c.language],
        ['Region', 'region', dash(c.region) + (c.areaOutage ? ' · outage reported' : '')]
      ]),
      el('h3', { text: 'In the IVR' }),
      ivr ? facts([
        ['Wanted', 'intents', ivr.intents.length ? ivr.intents.join(' → ') : '—'],
        ['Hot key', 'hot-key', dash(ivr.hotKey)],
        ['Diagnosis', 'diagnosis', diagnosisText(ivr.diagnosis)],
        ['Escalation', 'escalation', dash(ivr.escalation)],
        ['Time in IVR', 'ivr-sec', ivr.ivrSec.toFixed(1) + ' s · keys ' + (ivr.keys.join(' ') || 'none')]
      ]) : el('p', { className: 'empty', text: 'Not known.' }),
      el('p', { className: 'meta', text: 'Call ' + pop.callSid + ' · queued ' + new Date(pop.at).toLocaleString() + ' · config ' + dash(pop.configVersion) })
    ]);
    currentEl.replaceChildren(card);
    renderRecent();
  }

  function renderRecent() {
    recentEmpty.hidden = pops.length > 0;
    recentEl.replaceChildren.apply(recentEl, pops.map(function (p) {
      var li = el('li', { className: p === shown ? 'selected' : '', 'data-call-sid': p.callSid }, [
        el('div', { text: (p.customer.title || p.customer.phone) + ' · ' + p.queue }),
        el('div', { className: 'when', text: new Date(p.at).toLocaleTimeString() + ' · ' + p.customer.phone + (p.tags.length ? ' · ' + p.tags.length + ' tags' : '') })
      ]);
      li.addEventListener('click', function () { show(p, false); });
      return li;
    }));
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var agent = agentInput.value.trim();
    if (agent) connect(agent, queuesInput.value.replace(/\s+/g, ''));
  });

  // /agent?agent=vip-desk-07&queues=vip connects straight away (a desktop shortcut); else the last settings.
  var params = new URLSearchParams(location.search);
  var saved = null;
  try { saved = JSON.parse(localStorage.getItem('ivr-sim.agent') || 'null'); } catch (e) { saved = null; }
  if (params.get('agent')) {
    agentInput.value = params.get('agent');
    queuesInput.value = params.get('queues') || '';
    connect(agentInput.value.trim(), queuesInput.value.replace(/\s+/g, ''));
  } else if (saved) {
    agentInput.value = saved.agent || '';
    queuesInput.value = saved.queues || '';
  }
})();
</script>
</body>
</html>
`);
