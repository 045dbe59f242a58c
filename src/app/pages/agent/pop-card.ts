import type { ScreenPop } from '../../../core/screen-pop/screen-pop.js';
import { dash, el } from '../shared/dom.js';

/** The caller's card: who calls, the pop-up tags, the CRM facts and what they did in the IVR. */
export function popCard(pop: ScreenPop, fresh: boolean): HTMLElement {
  const c = pop.customer;
  const who = c.title || c.name || (c.known ? 'Customer' : 'Unknown caller');
  const head = el('div', { className: 'card-head' }, [
    el('span', { className: 'who', 'data-field': 'title', text: who }),
    c.name && c.title ? el('span', { 'data-field': 'name', text: c.name }) : null,
    el('span', { className: 'phone', 'data-field': 'phone', text: c.phone }),
    el('span', { className: 'badge', 'data-field': 'segment', text: c.segment }),
    c.vipLevel && c.vipLevel !== 'none' ? el('span', { className: 'badge vip', 'data-field': 'vip', text: `VIP ${c.vipLevel}` }) : null,
    el('span', { className: 'badge queue', 'data-field': 'queue', text: `queue ${pop.queue} · priority ${pop.priority}` }),
  ]);
  const ivr = pop.ivr;
  return el('article', { className: fresh ? 'fresh' : '', 'data-call-sid': pop.callSid }, [
    head,
    pop.fault ? el('p', { className: 'error-text', text: `Queued after a fault (${pop.fault}): the IVR did not finish.` }) : null,
    el('h3', { text: 'Tags' }),
    tagList(pop.tags),
    el('h3', { text: 'Customer' }),
    facts([
      ['Plan', 'plan', dash(c.plan) + (c.network ? ` · ${c.network}` : '')],
      ['Data used', 'data-used', c.dataUsedPct === null ? '—' : `${c.dataUsedPct}%`],
      ['Balance', 'balance', c.balance === null ? '—' : `¥${c.balance.toFixed(2)}`],
      ['Tenure', 'tenure', c.tenureMonths === null ? '—' : `${c.tenureMonths} months`],
      ['Recent calls', 'recent-calls', `${dash(c.calls24h)} in 24 h · ${dash(c.calls7d)} in 7 days`],
      ['Complaints', 'complaints', `${dash(c.complaints90d)} in 90 days`],
      ['Language', 'language', c.language],
      ['Region', 'region', dash(c.region) + (c.areaOutage ? ' · outage reported' : '')],
    ]),
    el('h3', { text: 'In the IVR' }),
    ivr
      ? facts([
          ['Wanted', 'intents', ivr.intents.length ? ivr.intents.join(' → ') : '—'],
          ['Hot key', 'hot-key', dash(ivr.hotKey)],
          ['Diagnosis', 'diagnosis', diagnosisText(ivr.diagnosis)],
          ['Escalation', 'escalation', dash(ivr.escalation)],
          ['Time in IVR', 'ivr-sec', `${ivr.ivrSec.toFixed(1)} s · keys ${ivr.keys.join(' ') || 'none'}`],
        ])
      : el('p', { className: 'empty', text: 'Not known.' }),
    el('p', { className: 'meta', text: `Call ${pop.callSid} · queued ${new Date(pop.at).toLocaleString()} · config ${dash(pop.configVersion)}` }),
  ]);
}

/** One line of the recent-calls list. */
export function recentItem(pop: ScreenPop, selected: boolean): HTMLLIElement {
  return el('li', { className: selected ? 'selected' : '', 'data-call-sid': pop.callSid }, [
    el('div', { text: `${pop.customer.title || pop.customer.phone} · ${pop.queue}` }),
    el('div', {
      className: 'when',
      text: `${new Date(pop.at).toLocaleTimeString()} · ${pop.customer.phone}${pop.tags.length ? ` · ${pop.tags.length} tags` : ''}`,
    }),
  ]);
}

function tagList(tags: ScreenPop['tags']): HTMLElement {
  if (!tags.length) return el('p', { className: 'empty', text: 'No tags.' });
  return el(
    'ul',
    { className: 'tags', 'data-field': 'tags' },
    tags.map((t) =>
      el('li', { className: `tag severity-${t.severity}`, 'data-severity': t.severity, 'data-rule': t.rule }, [
        el('span', { className: 'tag-text', text: t.text }),
        el('small', { text: `${t.severity} · ${t.rule}` }),
      ]),
    ),
  );
}

/** Label, data-field, value. */
type Fact = readonly [string, string, string];

function facts(rows: readonly Fact[]): HTMLDListElement {
  return el(
    'dl',
    null,
    rows.flatMap(([label, name, value]) => [el('dt', { text: label }), el('dd', { 'data-field': name, text: value })]),
  );
}

function diagnosisText(d: NonNullable<ScreenPop['ivr']>['diagnosis']): string {
  if (!d) return '—';
  const parts = [d.symptom, d.result];
  if (d.steps && d.steps.length) parts.push(`tried ${d.steps.join(', ')}`);
  if (d.outage) parts.push('outage');
  return parts.filter(Boolean).join(' · ');
}
