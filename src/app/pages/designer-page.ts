import { htmlPage, type Page } from './html-page.js';

/**
 * GET /designer: try the flows being served in a browser. Pick a flow (its diagram is drawn by
 * the service from the definition the engine runs), pick a caller or edit a profile, press keys
 * on the keypad and read (or hear) the prompts, then the decision with the rules that fired.
 * The walk keeps no state on the service: each key posts the caller and every key so far to
 * /designer/try. Text from the service is set with textContent, never parsed as HTML; the
 * diagram is parsed as SVG and inert under the page's Content-Security-Policy.
 */
export const DESIGNER_PAGE: Page = htmlPage(String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Flow designer · ivr-sim</title>
<link rel="icon" href="data:,">
<style>
  :root { --bg: #f4f6f8; --card: #fff; --ink: #1d2733; --muted: #5f6b7a; --line: #d8dee6;
          --info: #1565c0; --info-bg: #e3f0fc; --warning-bg: #fff3d6; --critical: #b71c1c; --critical-bg: #fde4e4; --ok: #2e7d32; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--ink); background: var(--bg); }
  header { display: flex; flex-wrap: wrap; gap: 8px 20px; align-items: center; padding: 10px 20px; background: #16324f; color: #fff; }
  header h1 { font-size: 18px; margin: 0; }
  #config-state { font-size: 13px; opacity: .9; }
  #config-error { margin: 12px 20px 0; padding: 10px 14px; border-radius: 6px; background: var(--critical-bg); border-left: 5px solid var(--critical); }
  #config-error ul { margin: 6px 0 0; padding-left: 20px; }
  #config-error code { font-size: 12px; }
  #config-note { margin: 12px 20px 0; padding: 8px 14px; border-radius: 6px; background: var(--info-bg); }
  main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(340px, 2fr); gap: 16px; padding: 16px 20px; }
  @media (max-width: 1000px) { main { grid-template-columns: 1fr; } }
  .panel { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; min-width: 0; }
  h2 { font-size: 15px; margin: 0 0 8px; }
  h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 14px 0 6px; }
  label { font-size: 13px; }
  select, textarea, button, input { font: inherit; }
  select { max-width: 100%; padding: 4px 6px; }
  .row { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; margin-bottom: 8px; }
  #diagram { overflow: auto; max-height: 78vh; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
  #diagram.fit svg { max-width: 100%; height: auto; }
  #diagram g.node.visited > path, #diagram g.node.visited > polygon, #diagram g.node.visited > ellipse { fill: #e8f5e9; }
  #diagram g.node.current > path, #diagram g.node.current > polygon, #diagram g.node.current > ellipse { stroke: #e53935; stroke-width: 3px; fill: #fff3e0; }
  textarea { width: 100%; min-height: 14em; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
  #keypad { display: grid; grid-template-columns: repeat(3, 64px); gap: 8px; margin: 8px 0; }
  #keypad button { height: 48px; font-size: 20px; border-radius: 8px; border: 1px solid #9aa8b8; background: #fafcff; cursor: pointer; }
  #keypad button:disabled, .actions button:disabled { opacity: .45; cursor: default; }
  .actions { display: flex; flex-wrap: wrap; gap: 8px; }
  .actions button { padding: 6px 12px; border-radius: 6px; border: 1px solid #9aa8b8; background: #fff; cursor: pointer; }
  #walk-status { padding: 6px 10px; border-radius: 6px; background: #eef2f6; }
  #walk-status[data-status="waiting"] { background: #fff3e0; }
  #walk-status[data-status="ended"] { background: #e8f5e9; }
  ol#transcript { list-style: none; margin: 0; padding: 0; max-height: 40vh; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
  ol#transcript li { padding: 4px 8px; border-bottom: 1px solid #eef1f4; }
  ol#transcript .t { color: var(--muted); font-variant-numeric: tabular-nums; margin-right: 6px; }
  ol#transcript .state { color: var(--muted); font-size: 12px; background: #f7f9fb; }
  ol#transcript .key { color: var(--info); font-weight: 600; }
  ol#transcript .noInput, ol#transcript .hangup { color: #8a5a00; }
  ol#transcript small { color: var(--muted); }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 0; }
  dt { color: var(--muted); }
  dd { margin: 0; }
  ul.plain { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 4px; }
  .tag { padding: 4px 8px; border-radius: 6px; border-left: 5px solid; }
  .severity-info { background: var(--info-bg); border-color: var(--info); }
  .severity-warning { background: var(--warning-bg); border-color: #e0a000; }
  .severity-critical { background: var(--critical-bg); border-color: var(--critical); font-weight: 600; }
  .chip { display: inline-block; margin: 0 4px 4px 0; padding: 1px 8px; border-radius: 10px; background: #e8edf3; font-size: 12px; }
  .muted { color: var(--muted); }
  .error-text { color: var(--critical); }
</style>
</head>
<body>
<header>
  <h1>Flow designer</h1>
  <span id="config-state">Loading…</span>
</header>
<div id="config-error" hidden></div>
<div id="config-note" hidden></div>
<main>
  <section class="panel">
    <div class="row">
      <label>Flow <select id="flow-select"></select></label>
      <label><input type="checkbox" id="fit"> fit to width</label>
    </div>
    <div id="diagram"><p class="muted">Loading…</p></div>
  </section>
  <section class="panel">
    <h2>Walk a call</h2>
    <div class="row">
      <label>Caller <select id="caller-select"></select></label>
      <label><input type="checkbox" id="all-customers"> all segments</label>
    </div>
    <details id="profile-editor">
      <summary>Edit the profile (JSON)</summary>
      <textarea id="profile-json" spellcheck="false" placeholder='{"phone": "+8613900000000", "vipLevel": "gold", "network": "5G"}'></textarea>
      <div class="row"><button type="button" id="use-profile">Walk with this profile</button><span id="profile-error" class="error-text"></span></div>
    </details>
    <p id="segment-note" class="muted" hidden></p>
    <p id="walk-status" data-status="idle">Choose a caller to start a call.</p>
    <div id="keypad" aria-label="Keypad">
      <button type="button" data-key="1">1</button><button type="button" data-key="2">2</button><button type="button" data-key="3">3</button>
      <button type="button" data-key="4">4</button><button type="button" data-key="5">5</button><button type="button" data-key="6">6</button>
      <button type="button" data-key="7">7</button><button type="button" data-key="8">8</button><button type="button" data-key="9">9</button>
      <button type="button" data-key="*">*</button><button type="button" data-key="0">0</button><button type="button" data-key="#">#</button>
    </div>
    <div class="actions">
      <button type="button" id="wait" title="Press nothing: this window and every later one runs out">Wait (no input)</button>
      <button type="button" id="hangup">Hang up</button>
      <button type="button" id="reset">Start over</button>
      <label><input type="checkbox" id="speak"> speak prompts</label>
    </div>
    <p id="try-error" class="error-text" hidden></p>
    <h3>What the caller hears</h3>
    <ol id="transcript"></ol>
    <section id="decision" hidden>
      <h3>Decision</h3>
      <dl>
        <dt>Outcome</dt><dd data-field="outcome"></dd>
        <dt>Segment</dt><dd data-field="segment"></dd>
        <dt>Flow</dt><dd data-field="flow"></dd>
        <dt>Route</dt><dd data-field="route"></dd>
        <dt>In the IVR</dt><dd data-field="ivr"></dd>
      </dl>
      <h3>Agent pop-up tags</h3>
      <div data-field="tags"></div>
      <h3>SMS</h3>
      <div data-field="sms"></div>
      <h3>Rules that fired</h3>
      <dl id="fired"></dl>
      <h3>Skipped rules (missing facts)</h3>
      <div data-field="skipped"></div>
      <div data-field="notes"></div>
    </section>
  </section>
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
  // The service's root, also when a proxy serves it under a path (/ivr/designer → /ivr/).
  var base = location.pathname.replace(/\/designer\/?$/, '/');
  var $ = function (id) { return document.getElementById(id); };
  var ui = {
    configState: $('config-state'), configError: $('config-error'), configNote: $('config-note'),
    flowSelect: $('flow-select'), fit: $('fit'), diagram: $('diagram'),
    callerSelect: $('caller-select'), allCustomers: $('all-customers'),
    profileEditor: $('profile-editor'), profileJson: $('profile-json'), useProfile: $('use-profile'), profileError: $('profile-error'),
    segmentNote: $('segment-note'), walkStatus: $('walk-status'), keypad: $('keypad'),
    wait: $('wait'), hangup: $('hangup'), reset: $('reset'), speak: $('speak'), tryError: $('try-error'),
    transcript: $('transcript'), decision: $('decision'), fired: $('fired')
  };
  var keyButtons = Array.prototype.slice.call(ui.keypad.querySelectorAll('button[data-key]'));
  var flows = [];
  var customers = [];
  var configVersion = null;
  var shownFlow = null;
  // The call being walked: who calls, the keys so far, and the last answer.
  var walk = { caller: null, profile: null, keys: [], result: null, busy: false, spoken: 0 };

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
  function field(name) { return ui.decision.querySelector('[data-field="' + name + '"]'); }
  function api(path, init) {
    return fetch(base + path, init).then(function (res) {
      var type = res.headers.get('content-type') || '';
      var body = type.indexOf('json') >= 0 ? res.json() : res.text();
      return body.then(function (b) {
        if (!res.ok) throw new Error(b && b.message ? b.message : 'HTTP ' + res.status);
        return b;
      });
    });
  }

  // ---- configuration state (version, refused reloads) ----
  function showConfig(c) {
    var changed = configVersion !== null && c.version !== configVersion;
    configVersion = c.version;
    ui.configState.textContent = 'config ' + c.version + ' · loaded ' + new Date(c.loadedAt).toLocaleString() + ' · ' + c.reloads + ' reload' + (c.reloads === 1 ? '' : 's');
    ui.configState.setAttribute('data-version', c.version);
    if (c.lastError) {
      ui.configError.replaceChildren(
        el('strong', { text: 'The last configuration edit was refused (' + new Date(c.lastError.at).toLocaleString() + '); calls still use config ' + c.version + '.' }),
        el('div', { text: c.lastError.issues.length ? '' : c.lastError.message }),
        el('ul', null, c.lastError.issues.map(function (i) {
          return el('li', null, [el('code', { text: i.file + (i.path ? ' at ' + i.path : '') }), ': ' + i.message]);
        })));
      ui.configError.hidden = false;
    } else {
      ui.configError.hidden = true;
    }
    if (changed) {
      ui.configNote.textContent = 'The configuration was reloaded: now ' + c.version + '. Flows, diagram and callers are refreshed; walks use the new version.';
      ui.configNote.hidden = false;
      loadFlowsAndCustomers(true);
    }
  }
  function pollConfig() { api('designer/flows').then(function (o) { showConfig(o.config); }).catch(function () { /* shown on the next action */ }); }

  // ---- flows and diagram ----
  function loadFlowsAndCustomers(keepSelection) {
    return Promise.all([api('designer/flows'), api('designer/customers')]).then(function (r) {
      flows = r[0].flows;
      customers = r[1].customers;
      var selected = keepSelection ? ui.flowSelect.value : null;
      ui.flowSelect.replaceChildren.apply(ui.flowSelect, flows.map(function (f) {
        return el('option', { value: f.id, text: f.id + (f.title && f.title !== f.id ? ' — ' + f.title : '') + ' (segment ' + f.segment + ')' });
      }));
      if (selected && flows.some(function (f) { return f.id === selected; })) ui.flowSelect.value = selected;
      showConfig(r[0].config);
      fillCallers(keepSelection);
      return showDiagram(ui.flowSelect.value);
    });
  }

  function showDiagram(flowId) {
    shownFlow = flowId;
    ui.diagram.replaceChildren(el('p', { className: 'muted', text: 'Drawing ' + flowId + '…' }));
    return api('designer/flows/' + encodeURIComponent(flowId) + '/diagram.svg').then(function (text) {
      if (shownFlow !== flowId) return;
      var doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      var svg = doc.documentElement;
      if (svg.nodeName !== 'svg') throw new Error('the diagram is not SVG');
      svg.setAttribute('data-flow', flowId);
      ui.diagram.replaceChildren(document.importNode(svg, true));
      markDiagram();
    }).catch(function (err) {
      ui.diagram.replaceChildren(el('p', { className: 'error-text', text: 'No diagram: ' + err.message }));
    });
  }

  function markDiagram() {
    var svg = ui.diagram.querySelector('svg');
    if (!svg) return;
    Array.prototype.forEach.call(svg.querySelectorAll('g.node.visited, g.node.current'), function (g) { g.classList.remove('visited', 'current'); });
    var r = walk.result;
    if (!r || svg.getAttribute('data-flow') !== r.decision.flow.id) return;
    var entries = r.decision.transcript.slice(0, r.walk.heard);
    var nodes = {};
    Array.prototype.forEach.call(svg.querySelectorAll('g.node'), function (g) { nodes[g.id] = g; });
    entries.forEach(function (e) { if (nodes[e.state]) nodes[e.state].classList.add('visited'); });
    var at = r.walk.waitingIn || r.decision.flow.finalState;
    if (nodes[at]) {
      nodes[at].classList.add('current');
      centre(nodes[at]);
    }
  }

  // Scrolls the diagram (not the page) so the state the call is in is in view.
  function centre(node) {
    var box = ui.diagram.getBoundingClientRect();
    var n = node.getBoundingClientRect();
    ui.diagram.scrollLeft += n.left + n.width / 2 - (box.left + box.width / 2);
    ui.diagram.scrollTop += n.top + n.height / 2 - (box.top + box.height / 2);
  }

  // ---- callers ----
  function segmentOf(flowId) {
    for (var i = 0; i < flows.length; i++) if (flows[i].id === flowId) return flows[i].segment;
    return null;
  }
  function fillCallers(keepSelection) {
    var previous = keepSelection ? ui.callerSelect.value : '';
    var seg = segmentOf(ui.flowSelect.value);
    var list = ui.allCustomers.checked ? customers : customers.filter(function (c) { return c.segment === seg; });
    var options = [el('option', { value: '', text: list.length ? '— choose a caller (' + list.length + ') —' : '— no caller of this segment in the customers file —' })];
    list.forEach(function (c) {
      var p = c.profile;
      var who = p.title || p.name || '';
      var extra = [c.segment, p.vipLevel && p.vipLevel !== 'none' ? 'VIP ' + p.vipLevel : null, p.network, p.plan].filter(Boolean).join(' · ');
      options.push(el('option', { value: c.phone, text: c.phone + (who ? ' ' + who : '') + ' — ' + extra }));
    });
    ui.callerSelect.replaceChildren.apply(ui.callerSelect, options);
    if (previous && list.some(function (c) { return c.phone === previous; })) ui.callerSelect.value = previous;
  }
  function customerByPhone(phone) {
    for (var i = 0; i < customers.length; i++) if (customers[i].phone === phone) return customers[i];
    return null;
  }

  // ---- the walk ----
  function resetWalk(message) {
    walk.keys = [];
    walk.result = null;
    walk.spoken = 0;
    if (window.speechSynthesis) window.speechSynthesis.cancel();
    ui.transcript.replaceChildren();
    ui.decision.hidden = true;
    ui.tryError.hidden = true;
    ui.segmentNote.hidden = true;
    ui.walkStatus.setAttribute('data-status', 'idle');
    ui.walkStatus.textContent = message || 'Choose a caller to start a call.';
    markDiagram();
    updateControls();
  }
  function startWalk() {
    resetWalk('Calling…');
    send(null);
  }
  function updateControls() {
    var waiting = !!walk.result && walk.result.walk.status === 'waiting';
    keyButtons.forEach(function (b) { b.disabled = walk.busy || !waiting; });
    ui.wait.disabled = ui.hangup.disabled = walk.busy || !waiting;
    ui.reset.disabled = walk.busy || (!walk.caller && !walk.profile);
  }

  function send(end) {
    var body = { keys: walk.keys.slice() };
    if (walk.profile) body.profile = walk.profile; else body.caller = walk.caller;
    if (end) body.end = end;
    walk.busy = true;
    updateControls();
    ui.tryError.hidden = true;
    return api('designer/try', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (result) { walk.result = result; render(result); })
      .catch(function (err) {
        if (!end && walk.keys.length) walk.keys.pop();
        ui.tryError.textContent = err.message;
        ui.tryError.hidden = false;
      })
      .then(function () { walk.busy = false; updateControls(); });
  }

  function fmt(sec) { return sec.toFixed(1) + 's'; }
  function transcriptItem(e) {
    switch (e.kind) {
      case 'state': return el('li', { className: 'state', 'data-kind': 'state' }, [el('span', { className: 't', text: fmt(e.atSec) }), 'in ' + e.state]);
      case 'prompt': return el('li', { 'data-kind': 'prompt', 'data-prompt': e.promptId }, [el('span', { className: 't', text: fmt(e.atSec) }), '🔊 ' + e.text + ' ', el('small', { text: e.promptId + ', ' + e.durationSec + ' s' })]);
      case 'key': return el('li', { className: 'key', 'data-kind': 'key' }, [el('span', { className: 't', text: fmt(e.atSec) }), '⌨ key ' + e.key + (e.bargeIn ? ' (during the prompt)' : '')]);
      case 'noInput': return el('li', { className: 'noInput', 'data-kind': 'noInput' }, [el('span', { className: 't', text: fmt(e.atSec) }), '… no key before the window ran out']);
      case 'hangup': return el('li', { className: 'hangup', 'data-kind': 'hangup' }, [el('span', { className: 't', text: fmt(e.atSec) }), '☎ the caller hung up']);
      default: return el('li', { text: JSON.stringify(e) });
    }
  }

  function render(r) {
    showConfig(r.config);
    var d = r.decision;
    var heard = d.transcript.slice(0, r.walk.heard);
    ui.transcript.replaceChildren.apply(ui.transcript, heard.map(transcriptItem));
    ui.transcript.scrollTop = ui.transcript.scrollHeight;
    speak(heard, d.caller.language);
    if (d.flow.id !== ui.flowSelect.value) {
      ui.segmentNote.textContent = 'This caller is in segment ' + d.segment.id + ', so the call runs flow ' + d.flow.id + '.';
      ui.segmentNote.hidden = false;
    }
    if (shownFlow !== d.flow.id) showDiagram(d.flow.id); else markDiagram();
    ui.walkStatus.setAttribute('data-status', r.walk.status);
    if (r.walk.status === 'waiting') {
      ui.walkStatus.textContent = 'Waiting for a key in ' + r.walk.waitingIn + (walk.keys.length ? ' · keys so far ' + walk.keys.join(' ') : '') + '.';
      ui.decision.hidden = true;
    } else {
      ui.walkStatus.textContent = 'The call left the IVR: ' + d.flow.outcome + (r.walk.unusedKeys ? ' (' + r.walk.unusedKeys + ' key(s) not asked for)' : '') + '.';
      showDecision(d);
    }
  }

  function chips(names) {
    if (!names.length) return el('span', { className: 'muted', text: 'none' });
    var span = el('span');
    names.forEach(function (n) { span.appendChild(el('span', { className: 'chip', text: n })); });
    return span;
  }

  function showDecision(d) {
    field('outcome').textContent = d.flow.outcome;
    field('segment').textContent = d.segment.id + ' (' + (d.segment.rule ? 'rule ' + d.segment.rule : 'default') + ', priority ' + d.segment.priority + ')';
    field('flow').textContent = d.flow.id + ' · ended in ' + d.flow.finalState;
    var route = d.route;
    field('route').replaceChildren(route
      ? el('span', null, [
          'queue ', el('strong', { 'data-field': 'route-queue', text: route.queue }),
          ', priority ' + route.priority + ' (' + (route.rule ? 'rule ' + route.rule : 'routing default') + ')',
          route.overflow.length ? '; overflow ' + route.overflow.map(function (o) { return o.queue + ' after ' + o.afterSec + ' s'; }).join(', ') : ''])
      : el('span', { className: 'muted', text: 'not queued' }));
    var ivr = d.flow;
    var dg = ivr.diagnosis;
    var diag = dg ? [dg.symptom, dg.result, dg.outage ? 'outage' : null, dg.steps && dg.steps.length ? 'steps ' + dg.steps.join(', ') : null].filter(Boolean).join(' · ') : '';
    field('ivr').textContent = [fmt(ivr.ivrSec), 'intents ' + (ivr.intents.join(', ') || 'none'), ivr.hotKey ? 'hot key ' + ivr.hotKey : null,
      ivr.escalation ? 'escalation ' + ivr.escalation : null, diag ? 'diagnosis ' + diag : null].filter(Boolean).join(' · ');
    field('tags').replaceChildren(d.tags.length
      ? el('ul', { className: 'plain' }, d.tags.map(function (t) {
          return el('li', { className: 'tag severity-' + t.severity, 'data-severity': t.severity, 'data-rule': t.rule }, [t.text + ' ', el('small', { className: 'muted', text: t.severity + ' · rule ' + t.rule })]);
        }))
      : el('span', { className: 'muted', text: d.route ? 'none' : 'none (tags are for hand-offs)' }));
    field('sms').replaceChildren(d.sms.length
      ? el('ul', { className: 'plain' }, d.sms.map(function (s) {
          return el('li', { 'data-template': s.template }, [el('strong', { text: s.template }), ' (' + s.class + ', rule ' + s.rule + ')']);
        }))
      : el('span', { className: 'muted', text: 'none' }));
    var sets = ['segments', 'routing', 'popups', 'sms'];
    ui.fired.replaceChildren.apply(ui.fired, sets.reduce(function (acc, s) {
      acc.push(el('dt', { text: s }));
      acc.push(el('dd', { 'data-set': s }, [chips(d.explanation.fired[s] || [])]));
      return acc;
    }, []));
    field('skipped').replaceChildren(d.explanation.skipped.length
      ? el('ul', { className: 'plain' }, d.explanation.skipped.map(function (s) {
          return el('li', { text: s.ruleSet + ' · ' + s.rule + ': missing ' + s.missingFacts.join(', ') });
        }))
      : el('span', { className: 'muted', text: 'none' }));
    field('notes').replaceChildren.apply(field('notes'), d.explanation.notes.map(function (n) { return el('p', { className: 'muted', text: n }); }));
    ui.decision.hidden = false;
  }

  // ---- speech (optional) ----
  function speak(heard, language) {
    var prompts = heard.filter(function (e) { return e.kind === 'prompt'; });
    if (!ui.speak.checked || !window.speechSynthesis) { walk.spoken = prompts.length; return; }
    prompts.slice(walk.spoken).forEach(function (p) {
      var u = new SpeechSynthesisUtterance(p.text);
      u.lang = language;
      window.speechSynthesis.speak(u);
    });
    walk.spoken = prompts.length;
  }
  if (!window.speechSynthesis) { ui.speak.disabled = true; ui.speak.parentNode.title = 'This browser cannot speak'; }
  ui.speak.addEventListener('change', function () { if (!ui.speak.checked && window.speechSynthesis) window.speechSynthesis.cancel(); });

  // ---- events ----
  ui.flowSelect.addEventListener('change', function () {
    ui.configNote.hidden = true;
    fillCallers(false);
    walk.caller = walk.profile = null;
    resetWalk();
    showDiagram(ui.flowSelect.value);
  });
  ui.allCustomers.addEventListener('change', function () { fillCallers(true); });
  ui.fit.addEventListener('change', function () { ui.diagram.classList.toggle('fit', ui.fit.checked); markDiagram(); });
  ui.callerSelect.addEventListener('change', function () {
    var c = customerByPhone(ui.callerSelect.value);
    if (!c) { walk.caller = walk.profile = null; resetWalk(); return; }
    walk.caller = c.phone;
    walk.profile = null;
    ui.profileJson.value = JSON.stringify(c.profile, null, 2);
    ui.profileError.textContent = '';
    startWalk();
  });
  ui.useProfile.addEventListener('click', function () {
    var profile;
    try { profile = JSON.parse(ui.profileJson.value); } catch (e) { ui.profileError.textContent = 'Not JSON: ' + e.message; return; }
    ui.profileError.textContent = '';
    walk.profile = profile;
    walk.caller = null;
    startWalk();
  });
  keyButtons.forEach(function (b) {
    b.addEventListener('click', function () {
      if (b.disabled) return;
      walk.keys.push(b.getAttribute('data-key'));
      send(null);
    });
  });
  ui.wait.addEventListener('click', function () { send('wait'); });
  ui.hangup.addEventListener('click', function () { send('hangup'); });
  ui.reset.addEventListener('click', function () { if (walk.caller || walk.profile) startWalk(); });

  updateControls();
  loadFlowsAndCustomers(false).catch(function (err) {
    ui.configState.textContent = 'Cannot load the flows: ' + err.message;
  });
  // A refused edit shows up without a click; a reload refreshes the flows.
  setInterval(pollConfig, 15000);
})();
</script>
</body>
</html>
`);
