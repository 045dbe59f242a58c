import { el } from '../shared/dom.js';
import type { Decision, TranscriptEntry } from './payloads.js';

export function fmt(sec: number): string {
  return `${sec.toFixed(1)}s`;
}

/** One line of what the caller hears (and does). */
export function transcriptItem(e: TranscriptEntry): HTMLLIElement {
  const at = el('span', { className: 't', text: fmt(e.atSec) });
  switch (e.kind) {
    case 'state':
      return el('li', { className: 'state', 'data-kind': 'state' }, [at, `in ${e.state}`]);
    case 'prompt':
      return el('li', { 'data-kind': 'prompt', 'data-prompt': e.promptId }, [at, `🔊 ${e.text} `, el('small', { text: `${e.promptId}, ${e.durationSec} s` })]);
    case 'key':
      return el('li', { className: 'key', 'data-kind': 'key' }, [at, `⌨ key ${e.key}${e.bargeIn ? ' (during the prompt)' : ''}`]);
    case 'noInput':
      return el('li', { className: 'noInput', 'data-kind': 'noInput' }, [at, '… no key before the window ran out']);
    case 'hangup':
      return el('li', { className: 'hangup', 'data-kind': 'hangup' }, [at, '☎ the caller hung up']);
    default:
      return el('li', { text: JSON.stringify(e satisfies never) });
  }
}

const RULE_SETS = ['segments', 'routing', 'popups', 'sms'] as const satisfies readonly (keyof Decision['explanation']['fired'])[];

/** Fills the decision section (its `data-field` slots and the fired-rules list) with how the call ended. */
export function showDecision(section: HTMLElement, fired: HTMLElement, d: Decision): void {
  const field = (name: string): HTMLElement => {
    const f = section.querySelector<HTMLElement>(`[data-field="${name}"]`);
    if (!f) throw new Error(`the decision section has no [data-field="${name}"]`);
    return f;
  };
  field('outcome').textContent = d.flow.outcome;
  field('segment').textContent = `${d.segment.id} (${d.segment.rule ? `rule ${d.segment.rule}` : 'default'}, priority ${d.segment.priority})`;
  field('flow').textContent = `${d.flow.id} · ended in ${d.flow.finalState}`;
  const route = d.route;
  field('route').replaceChildren(
    route
      ? el('span', null, [
          'queue ',
          el('strong', { 'data-field': 'route-queue', text: route.queue }),
          `, priority ${route.priority} (${route.rule ? `rule ${route.rule}` : 'routing default'})`,
          route.overflow.length ? `; overflow ${route.overflow.map((o) => `${o.queue} after ${o.afterSec} s`).join(', ')}` : '',
        ])
      : el('span', { className: 'muted', text: 'not queued' }),
  );
  const ivr = d.flow;
  const dg = ivr.diagnosis;
  const diag = dg ? [dg.symptom, dg.result, dg.outage ? 'outage' : null, dg.steps && dg.steps.length ? `steps ${dg.steps.join(', ')}` : null].filter(Boolean).join(' · ') : '';
  field('ivr').textContent = [
    fmt(ivr.ivrSec),
    `intents ${ivr.intents.join(', ') || 'none'}`,
    ivr.hotKey ? `hot key ${ivr.hotKey}` : null,
    ivr.escalation ? `escalation ${ivr.escalation}` : null,
    diag ? `diagnosis ${diag}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  field('tags').replaceChildren(
    d.tags.length
      ? el(
          'ul',
          { className: 'plain' },
          d.tags.map((t) =>
            el('li', { className: `tag severity-${t.severity}`, 'data-severity': t.severity, 'data-rule': t.rule }, [`${t.text} `, el('small', { className: 'muted', text: `${t.severity} · rule ${t.rule}` })]),
          ),
        )
      : el('span', { className: 'muted', text: d.route ? 'none' : 'none (tags are for hand-offs)' }),
  );
  field('sms').replaceChildren(
    d.sms.length
      ? el(
          'ul',
          { className: 'plain' },
          d.sms.map((s) => el('li', { 'data-template': s.template }, [el('strong', { text: s.template }), ` (${s.class}, rule ${s.rule})`])),
        )
      : el('span', { className: 'muted', text: 'none' }),
  );
  fired.replaceChildren(...RULE_SETS.flatMap((s) => [el('dt', { text: s }), el('dd', { 'data-set': s }, [chips(d.explanation.fired[s] ?? [])])]));
  field('skipped').replaceChildren(
    d.explanation.skipped.length
      ? el(
          'ul',
          { className: 'plain' },
          d.explanation.skipped.map((s) => el('li', { text: `${s.ruleSet} · ${s.rule}: missing ${s.missingFacts.join(', ')}` })),
        )
      : el('span', { className: 'muted', text: 'none' }),
  );
  field('notes').replaceChildren(...d.explanation.notes.map((n) => el('p', { className: 'muted', text: n })));
  section.hidden = false;
}

function chips(names: readonly string[]): HTMLElement {
  if (!names.length) return el('span', { className: 'muted', text: 'none' });
  return el(
    'span',
    null,
    names.map((n) => el('span', { className: 'chip', text: n })),
  );
}
