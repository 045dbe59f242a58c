/**
 * Routing, pop-up, SMS and segment rules as forms that write json-rules-engine rules: a name and
 * a priority, conditions (all / any of fact–operator–value; nested groups as JSON), and what the
 * rule does (the queue and its overflow, the pop-up tag, the SMS template, the segment).
 */
import { el } from '../shared/dom.js';
import type { Doc } from './editor-api.js';
import { button, labelled, numberInput, select, setOrdered, textArea, textInput, type EditorContext } from './forms.js';
import { isObj, type Obj, str } from './flow-model.js';

export const RULE_FILES = ['rules/routing.json', 'rules/popups.json', 'rules/sms.json', 'rules/segments.json'] as const;
const OPERATORS = ['equal', 'notEqual', 'in', 'notIn', 'contains', 'doesNotContain', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'];
const SEVERITIES = ['info', 'warning', 'critical'];
const RULE_ORDER = ['name', 'priority', 'description', 'conditions', 'event'];

/** A value as typed: JSON when it parses (numbers, true, ["a","b"]), otherwise the text itself. */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
const showValue = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function eventType(kind: string): string {
  return ({ routing: 'route', popups: 'tag', sms: 'sms', segments: 'segment' } as Record<string, string>)[kind] ?? kind;
}

function newRule(kind: string, name: string, queues: readonly string[]): Obj {
  const params: Obj =
    kind === 'routing' ? { queue: queues[0] ?? 'general' } : kind === 'popups' ? { key: name, text: { 'zh-CN': '', 'en-US': '' }, severity: 'info' } : kind === 'sms' ? { template: '' } : { segment: 'standard', priority: 10 };
  return { name, priority: 50, conditions: { all: [{ fact: 'segment', operator: 'equal', value: 'standard' }] }, event: { type: eventType(kind), params } };
}

export function rulesPanel(ctx: EditorContext, file: string, doc: Doc): HTMLElement {
  const kind = str(doc['kind'] ?? '');
  const box = el('div', { className: 'rules-panel', 'data-file': file });
  const rules = Array.isArray(doc['rules']) ? (doc['rules'] as unknown[]) : [];
  if (typeof doc['description'] === 'string') box.append(el('p', { className: 'muted', text: doc['description'] }));

  if (isObj(doc['default'])) {
    const d = doc['default'];
    const row = el('div', { className: 'row' }, [el('strong', { text: 'When no rule fires:' })]);
    if (kind === 'routing') row.append(labelled('queue', select(ctx.queues, str(d['queue'] ?? ''), (v) => ctx.quiet(() => (d['queue'] = v), `${file}:default:queue`)), file, '/default/queue'));
    if (kind === 'segments') {
      row.append(
        labelled('segment', textInput(str(d['segment'] ?? ''), (v) => ctx.quiet(() => (d['segment'] = v), `${file}:default:segment`), { size: '12' }), file, '/default/segment'),
        labelled('priority', numberInput(typeof d['priority'] === 'number' ? d['priority'] : undefined, (v) => ctx.quiet(() => (d['priority'] = v), `${file}:default:priority`)), file, '/default/priority'),
      );
    }
    box.append(row);
  }

  rules.forEach((r, i) => {
    if (!isObj(r)) return;
    const p = `/rules/${i}`;
    const card = el('fieldset', { className: 'rule', 'data-rule': str(r['name'] ?? i) });
    const move = (d: number) =>
      ctx.change(() => {
        const j = i + d;
        if (j < 0 || j >= rules.length) return;
        [rules[i], rules[j]] = [rules[j], rules[i]];
      });
    card.append(
      el('div', { className: 'row' }, [
        labelled('name', textInput(str(r['name'] ?? ''), (v) => ctx.quiet(() => (r['name'] = v), `${file}:${i}:name`), { size: '22', 'data-field': 'name' }), file, `${p}/name`),
        labelled('priority', numberInput(typeof r['priority'] === 'number' ? r['priority'] : undefined, (v) => ctx.quiet(() => (v === undefined ? delete r['priority'] : setOrdered(r, 'priority', v, RULE_ORDER)), `${file}:${i}:priority`), { min: '1', step: '1', 'data-field': 'priority' }), file, `${p}/priority`),
        button('↑', () => move(-1), { title: 'Earlier in the file' }),
        button('↓', () => move(1), { title: 'Later in the file' }),
        button('Delete rule', () => ctx.change(() => rules.splice(i, 1)), { className: 'danger' }),
      ]),
      conditionsEditor(ctx, file, r, p),
      actionEditor(ctx, file, kind, r, p),
    );
    box.append(card);
  });
  const name = textInput('', () => undefined, { placeholder: 'new-rule-name', 'data-field': 'new-rule' });
  box.append(
    el('div', { className: 'row add' }, [
      name,
      button('Add rule', () => {
        const n = name.value.trim() || `new-${kind}-rule`;
        ctx.change(() => rules.push(newRule(kind, n, ctx.queues)));
      }, { 'data-action': 'add-rule' }),
    ]),
  );
  return box;
}

function conditionsEditor(ctx: EditorContext, file: string, rule: Obj, p: string): HTMLElement {
  const box = el('div', { className: 'conditions' });
  if (!isObj(rule['conditions'])) rule['conditions'] = { all: [] };
  const cond = rule['conditions'] as Obj;
  const mode = 'all' in cond ? 'all' : 'any' in cond ? 'any' : 'not';
  if (mode === 'not') {
    box.append(labelled('conditions (JSON)', jsonArea(ctx, cond, 'not', `${file}:${p}:not`), file, `${p}/conditions`));
    return box;
  }
  const list = Array.isArray(cond[mode]) ? (cond[mode] as unknown[]) : [];
  box.append(
    el('div', { className: 'row' }, [
      el('span', { text: 'when' }),
      select([['all', 'all of'], ['any', 'any of']], mode, (v) =>
        ctx.change(() => {
          if (v === mode) return;
          cond[v] = cond[mode];
          delete cond[mode];
        }),
      ),
    ]),
  );
  list.forEach((c, j) => {
    const cp = `${p}/conditions/${mode}/${j}`;
    if (!isObj(c)) return;
    const row = el('div', { className: 'row condition' });
    if ('fact' in c) {
      row.append(
        labelled('', textInput(str(c['fact'] ?? ''), (v) => ctx.quiet(() => (c['fact'] = v), `${cp}:fact`), { size: '14', placeholder: 'fact', 'data-field': 'fact' }), file, `${cp}/fact`),
        labelled('', select(OPERATORS, str(c['operator'] ?? ''), (v) => ctx.quiet(() => (c['operator'] = v), `${cp}:op`), { 'data-field': 'operator' }), file, `${cp}/operator`),
        labelled('', textInput(showValue(c['value']), (v) => ctx.quiet(() => (c['value'] = parseValue(v)), `${cp}:value`), { size: '18', placeholder: 'value (JSON or text)', 'data-field': 'value' }), file, `${cp}/value`),
      );
    } else {
      row.append(labelled('group (JSON)', jsonArea(ctx, list as unknown as Obj, String(j), `${cp}:json`), file, cp));
    }
    row.append(button('✕', () => ctx.change(() => list.splice(j, 1)), { title: 'Remove this condition' }));
    box.append(row);
  });
  box.append(button('+ condition', () => ctx.change(() => list.push({ fact: 'segment', operator: 'equal', value: '' }))));
  return box;
}

/** A nested part edited as JSON; it is written only when it parses. */
function jsonArea(ctx: EditorContext, holder: Obj, key: string, coalesce: string): HTMLElement {
  const err = el('span', { className: 'field-issue error' });
  const t = textArea(JSON.stringify(holder[key], null, 2), (v) => {
    try {
      const parsed = JSON.parse(v) as unknown;
      err.textContent = '';
      ctx.quiet(() => (holder[key] = parsed), coalesce);
    } catch (e) {
      err.textContent = `not JSON yet: ${(e as Error).message}`;
    }
  }, { rows: '4', class: 'json' });
  return el('span', null, [t, err]);
}

function actionEditor(ctx: EditorContext, file: string, kind: string, rule: Obj, p: string): HTMLElement {
  if (!isObj(rule['event'])) rule['event'] = { type: eventType(kind), params: {} };
  const ev = rule['event'] as Obj;
  if (!isObj(ev['params'])) ev['params'] = {};
  const params = ev['params'] as Obj;
  const pp = `${p}/event/params`;
  const row = el('div', { className: 'row action' }, [el('span', { text: 'then' })]);
  const q = (key: string) => `${file}:${p}:${key}`;
  if (kind === 'routing') {
    row.append(labelled('queue', select(ctx.queues, str(params['queue'] ?? ''), (v) => ctx.quiet(() => (params['queue'] = v), q('queue')), { 'data-field': 'queue' }), file, `${pp}/queue`));
    const overflow = Array.isArray(params['overflow']) ? (params['overflow'] as unknown[]) : [];
    overflow.forEach((o, k) => {
      if (!isObj(o)) return;
      row.append(
        labelled(`after (s)`, numberInput(typeof o['afterSec'] === 'number' ? o['afterSec'] : undefined, (v) => ctx.quiet(() => (o['afterSec'] = v), q(`of${k}s`)), { size: '4', 'data-field': 'afterSec' }), file, `${pp}/overflow/${k}/afterSec`),
        labelled('also', select(ctx.queues, str(o['queue'] ?? ''), (v) => ctx.quiet(() => (o['queue'] = v), q(`of${k}q`))), file, `${pp}/overflow/${k}/queue`),
        button('✕', () => ctx.change(() => {
          overflow.splice(k, 1);
          if (!overflow.length) delete params['overflow'];
        }), { title: 'Remove this overflow step' }),
      );
    });
    row.append(button('+ overflow', () => ctx.change(() => {
      if (!Array.isArray(params['overflow'])) params['overflow'] = [];
      (params['overflow'] as unknown[]).push({ afterSec: 60, queue: ctx.queues.includes('general') ? 'general' : (ctx.queues[0] ?? '') });
    })));
  } else if (kind === 'popups') {
    const text = isObj(params['text']) ? params['text'] : (params['text'] = {});
    row.append(
      labelled('tag', textInput(str(params['key'] ?? ''), (v) => ctx.quiet(() => (params['key'] = v), q('key')), { size: '14' }), file, `${pp}/key`),
      labelled('severity', select(SEVERITIES, str(params['severity'] ?? 'info'), (v) => ctx.quiet(() => (params['severity'] = v), q('sev'))), file, `${pp}/severity`),
    );
    for (const lang of ['zh-CN', 'en-US']) row.append(labelled(lang, textInput(str((text as Obj)[lang] ?? ''), (v) => ctx.quiet(() => ((text as Obj)[lang] = v), q(lang)), { size: '30' }), file, `${pp}/text/${lang}`));
  } else if (kind === 'sms') {
    row.append(labelled('SMS template', textInput(str(params['template'] ?? ''), (v) => ctx.quiet(() => (params['template'] = v), q('tpl')), { size: '22' }), file, `${pp}/template`));
  } else if (kind === 'segments') {
    row.append(
      labelled('segment', textInput(str(params['segment'] ?? ''), (v) => ctx.quiet(() => (params['segment'] = v), q('seg')), { size: '12' }), file, `${pp}/segment`),
      labelled('queue priority', numberInput(typeof params['priority'] === 'number' ? params['priority'] : undefined, (v) => ctx.quiet(() => (params['priority'] = v), q('prio'))), file, `${pp}/priority`),
    );
  } else row.append(labelled('event (JSON)', jsonArea(ctx, rule, 'event', q('event')), file, `${p}/event`));
  return row;
}
