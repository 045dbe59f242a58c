/**
 * Small form parts the editor panels are built from. Every field says which file and JSON
 * pointer it edits (`data-file`, `data-pointer`), so a check's issue is shown under the field
 * it concerns.
 */
import { el, type Child } from '../shared/dom.js';
import type { Doc, Issue } from './editor-api.js';
import type { Draft } from './draft.js';
import { isObj, type Obj } from './flow-model.js';
import type { Language } from './prompt-text.js';

/** What an editor panel works with. */
export interface EditorContext {
  draft: Draft;
  lang: Language;
  queues: readonly string[];
  /**
   * An edit from a form field: the panel keeps its fields (and the focus) and only the
   * diagram and the checks follow. `coalesce` joins keystrokes in one field into one undo step.
   */
  quiet(fn: () => void, coalesce: string): void;
  /** An edit that changes the panel's shape (a row added, a state renamed): the panel is drawn again. */
  change(fn: () => void): void;
  select(file: string, stateId: string): void;
}

export function labelled(text: string, input: HTMLElement, file: string, pointer: string, extra?: Child): HTMLLabelElement {
  return el('label', { className: 'field', 'data-file': file, 'data-pointer': pointer }, [el('span', { className: 'field-name', text }), input, extra]);
}

export function textInput(value: string, onInput: (v: string) => void, attrs: Record<string, string> = {}): HTMLInputElement {
  const i = el('input', { type: 'text', ...attrs });
  i.value = value;
  i.addEventListener('input', () => onInput(i.value));
  return i;
}

export function numberInput(value: number | undefined, onInput: (v: number | undefined) => void, attrs: Record<string, string> = {}): HTMLInputElement {
  const i = el('input', { type: 'number', step: 'any', ...attrs });
  i.value = value === undefined ? '' : String(value);
  i.addEventListener('input', () => onInput(i.value.trim() === '' ? undefined : Number(i.value)));
  return i;
}

export function textArea(value: string, onInput: (v: string) => void, attrs: Record<string, string> = {}): HTMLTextAreaElement {
  const t = el('textarea', { rows: '2', ...attrs });
  t.value = value;
  t.addEventListener('input', () => onInput(t.value));
  return t;
}

export function checkbox(checked: boolean, onChange: (v: boolean) => void, attrs: Record<string, string> = {}): HTMLInputElement {
  const c = el('input', { type: 'checkbox', ...attrs });
  c.checked = checked;
  c.addEventListener('change', () => onChange(c.checked));
  return c;
}

export function select(options: readonly (string | [string, string])[], value: string, onChange: (v: string) => void, attrs: Record<string, string> = {}): HTMLSelectElement {
  const s = el('select', attrs);
  const values = options.map((o) => (typeof o === 'string' ? [o, o] : o));
  if (!values.some(([v]) => v === value)) values.unshift([value, value === '' ? '—' : `${value} (unknown)`]);
  s.replaceChildren(...values.map(([v, t]) => el('option', { value: v, text: t })));
  s.value = value;
  s.addEventListener('change', () => onChange(s.value));
  return s;
}

export function button(text: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', text, ...attrs });
  b.addEventListener('click', onClick);
  return b;
}

/** A datalist of ids (prompt ids, queue names) that text inputs can offer. */
export function datalist(id: string, values: readonly string[]): HTMLDataListElement {
  return el(
    'datalist',
    { id },
    values.map((v) => el('option', { value: v })),
  );
}

/**
 * Sets `key` on `obj` in place; a key that is new goes where `order` puts it among the keys
 * already there (an existing key keeps its place), so documents stay in their usual shape.
 */
export function setOrdered(obj: Obj, key: string, value: unknown, order: readonly string[]): void {
  if (key in obj || !order.includes(key)) {
    obj[key] = value;
    return;
  }
  const rank = order.indexOf(key);
  const entries = Object.entries(obj);
  const at = entries.findIndex(([k]) => order.includes(k) && order.indexOf(k) > rank);
  if (at < 0) {
    obj[key] = value;
    return;
  }
  entries.splice(at, 0, [key, value]);
  for (const k of Object.keys(obj)) delete obj[k];
  for (const [k, v] of entries) obj[k] = v;
}

/** The order of a state's keys in schemas/flow.schema.json, as the shipped flows write them. */
export const STATE_ORDER = ['id', 'type', 'description', 'initial', 'states', 'entry', 'exit', 'meta', 'on', 'always', 'onDone', 'output'] as const;

export function child(obj: Obj, key: string, order?: readonly string[]): Obj {
  if (!isObj(obj[key])) {
    if (order) setOrdered(obj, key, {}, order);
    else obj[key] = {};
  }
  return obj[key] as Obj;
}

/** Marks the fields the issues concern (the field whose pointer is the longest prefix of the issue's), and lists the rest at the top. */
export function showIssues(panel: HTMLElement, issues: readonly Issue[], file: string, within: string, summary: HTMLElement | null): void {
  for (const f of panel.querySelectorAll('.field-issue')) f.remove();
  for (const f of panel.querySelectorAll('.invalid')) f.classList.remove('invalid', 'warning');
  const fields = [...panel.querySelectorAll<HTMLElement>('[data-pointer]')];
  const unplaced: Issue[] = [];
  for (const issue of issues) {
    if (issue.file !== file && !fields.some((f) => f.dataset['file'] === issue.file)) continue;
    if (issue.file === file && within && !(issue.pointer === within || issue.pointer.startsWith(`${within}/`))) continue;
    let best: HTMLElement | null = null;
    for (const f of fields) {
      const p = f.dataset['pointer'] ?? '';
      if (f.dataset['file'] !== issue.file) continue;
      if ((issue.pointer === p || issue.pointer.startsWith(`${p}/`) || p === '') && (!best || p.length > (best.dataset['pointer'] ?? '').length)) best = f;
    }
    if (best && best.dataset['pointer'] !== within) {
      best.classList.add('invalid');
      if (issue.severity === 'warning') best.classList.add('warning');
      best.append(el('span', { className: `field-issue ${issue.severity}`, 'data-severity': issue.severity, text: issue.message }));
    } else unplaced.push(issue);
  }
  if (summary) {
    summary.replaceChildren(...unplaced.map((i) => el('p', { className: `field-issue ${i.severity}`, 'data-severity': i.severity, text: `${i.severity}: ${i.message}` })));
  }
}

export type { Doc };
