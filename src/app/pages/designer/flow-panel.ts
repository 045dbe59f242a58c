/**
 * The panel for the flow as a whole: title, where calls start, hot keys, and the segment's
 * greeting and rolling promotions (the prompts of the state a call starts in).
 */
import { el } from '../shared/dom.js';
import type { Doc } from './editor-api.js';
import { button, child, labelled, select, setOrdered, textInput, type EditorContext } from './forms.js';
import { DTMF, entryArray, isObj, newSay, says, startPath, stateAt, statePointer, statesObj, type Obj, str } from './flow-model.js';
import { promptEditor } from './prompt-editor.js';

const FLOW_META_ORDER = ['segment', 'title', 'kind', 'hotKeys'];

export function flowPanel(ctx: EditorContext, file: string, flow: Doc): HTMLElement {
  const box = el('div', { className: 'flow-panel' });
  const meta = (): Obj => child(flow, 'meta');
  const m = isObj(flow['meta']) ? flow['meta'] : {};
  const top = Object.keys(statesObj(flow) ?? {});
  box.append(
    el('div', { className: 'row' }, [
      labelled('Title', textInput(typeof m['title'] === 'string' ? m['title'] : '', (v) => ctx.quiet(() => setOrdered(meta(), 'title', v, FLOW_META_ORDER), `title:${file}`)), file, '/meta/title'),
      labelled('Calls start in', select(top, typeof flow['initial'] === 'string' ? flow['initial'] : '', (v) => ctx.change(() => (flow['initial'] = v))), file, '/initial'),
    ]),
  );

  // ---- greeting and rolling promotions ----
  const start = startPath(flow);
  const welcome = stateAt(flow, start);
  box.append(el('h3', { text: `Greeting and rolling promotions (${start.join('.') || 'no start state'})` }));
  if (welcome) {
    const list = says(welcome);
    const greeting = list.find((s) => s.prompt?.startsWith('greeting.')) ?? list.find((s) => s.prompt !== null) ?? null;
    const promo = list.find((s) => s.rotate !== null) ?? list.find((s) => s !== greeting && s.prompt?.startsWith('promo.')) ?? null;
    const sp = statePointer(start);
    if (greeting) {
      const i = entryArray(welcome).indexOf(greeting.action);
      const g = textInput(greeting.prompt ?? '', () => undefined, { list: 'prompt-ids', 'data-field': 'greeting' });
      g.addEventListener('change', () => ctx.change(() => (greeting.params['prompt'] = g.value.trim())));
      box.append(labelled('Greeting', g, file, `${sp}/entry/${i}/params/prompt`), promptEditor(ctx, greeting.prompt ?? ''));
    }
    const promos = promo ? (promo.rotate ?? (promo.prompt ? [promo.prompt] : [])) : [];
    const write = (ids: string[]) =>
      ctx.change(() => {
        if (!promo) {
          if (!ids.length) return;
          const arr = entryArray(welcome);
          const at = greeting ? arr.indexOf(greeting.action) + 1 : 0;
          arr.splice(at, 0, ids.length === 1 ? newSay(ids[0]!) : { type: 'say', params: { rotate: ids } });
          return;
        }
        if (!ids.length) {
          const arr = entryArray(welcome);
          arr.splice(arr.indexOf(promo.action), 1);
        } else if (promo.rotate || ids.length > 1) {
          delete promo.params['prompt'];
          promo.params['rotate'] = ids;
        } else promo.params['prompt'] = ids[0];
      });
    const pi = promo ? entryArray(welcome).indexOf(promo.action) : -1;
    const rows = el('div', { className: 'promotions' });
    promos.forEach((id, i) => {
      const input = textInput(id, () => undefined, { list: 'prompt-ids', 'data-field': 'promotion' });
      input.addEventListener('change', () => write(promos.map((x, j) => (j === i ? input.value.trim() : x))));
      rows.append(
        el('div', { className: 'row' }, [
          labelled(`Promotion ${i + 1}`, input, file, promo?.rotate ? `${sp}/entry/${pi}/params/rotate/${i}` : `${sp}/entry/${pi}/params/prompt`),
          button('✕', () => write(promos.filter((_, j) => j !== i)), { title: 'Drop this promotion' }),
        ]),
        promptEditor(ctx, id),
      );
    });
    const add = textInput('', () => undefined, { list: 'prompt-ids', placeholder: 'promo.… prompt id' });
    rows.append(el('div', { className: 'row add' }, [add, button('Add promotion', () => add.value.trim() && write([...promos, add.value.trim()]))]));
    box.append(el('p', { className: 'muted', text: 'Calls hear one promotion each, in turn (a rotation).' }), rows);
  }

  // ---- hot keys ----
  box.append(el('h3', { text: 'Hot keys (from states with hot keys on)' }));
  const hot = Array.isArray(m['hotKeys']) ? m['hotKeys'] : [];
  hot.forEach((hk, i) => {
    if (!isObj(hk)) return;
    const p = `/meta/hotKeys/${i}`;
    box.append(
      el('div', { className: 'row hot-key', 'data-hot-key': String(i) }, [
        labelled('key', select([...DTMF], str(hk['key'] ?? ''), (v) => ctx.quiet(() => (hk['key'] = v), `hk:${i}:key`)), file, `${p}/key`),
        labelled('goes to', select(top, str(hk['target'] ?? ''), (v) => ctx.quiet(() => (hk['target'] = v), `hk:${i}:target`)), file, `${p}/target`),
        labelled('intent', textInput(str(hk['intent'] ?? ''), (v) => ctx.quiet(() => (hk['intent'] = v), `hk:${i}:intent`), { size: '12' }), file, `${p}/intent`),
        labelled('label', textInput(str(hk['label'] ?? ''), (v) => ctx.quiet(() => (v ? (hk['label'] = v) : delete hk['label']), `hk:${i}:label`), { size: '14' }), file, `${p}/label`),
        button('✕', () => ctx.change(() => hot.splice(i, 1)), { title: 'Remove this hot key' }),
      ]),
    );
  });
  box.append(
    button('Add hot key', () =>
      ctx.change(() => {
        const list = meta()['hotKeys'];
        const entry = { key: DTMF.find((k) => !hot.some((h) => isObj(h) && h['key'] === k)) ?? '9', target: top[0] ?? '', intent: 'hot-key' };
        if (Array.isArray(list)) list.push(entry);
        else setOrdered(meta(), 'hotKeys', [entry], FLOW_META_ORDER);
      }),
    ),
  );
  return box;
}
