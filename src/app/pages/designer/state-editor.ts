/**
 * The panel for one state: its name, prompts (picked or created, with their texts and
 * durations), input (timeout, barge-in, hot keys), key transitions, no-input and invalid-input
 * paths with their retry guards. Every change is made in place in the draft flow document.
 */
import { el } from '../shared/dom.js';
import type { Doc } from './editor-api.js';
import { button, checkbox, child, labelled, numberInput, select, setOrdered, STATE_ORDER, textArea, textInput, type EditorContext } from './forms.js';
import {
  compactBranches,
  deleteState,
  editableBranches,
  entryArray,
  escapePointer,
  eventLabel,
  freeName,
  isObj,
  KEY_EVENTS,
  newSay,
  OTHER_EVENTS,
  renameState,
  retryGuard,
  says,
  stateAt,
  statePointer,
  statesObj,
  targetChoices,
  transitions,
  type Obj,
  str,
} from './flow-model.js';
import { createPrompt, promptEditor, promptIds } from './prompt-editor.js';

const NEW_STATE = '\u0000new';

/** Where the state lives: the file, the document and the path of names inside it. */
export interface StateLocation {
  file: string;
  doc: Doc;
  path: string[];
  /** The id the diagram and the walk use (the including state's name first, for a sub-flow's states). */
  id: string;
}

function isFinal(s: Obj): boolean {
  return s['type'] === 'final';
}

export function stateEditor(ctx: EditorContext, loc: StateLocation): HTMLElement {
  const { file, doc, path } = loc;
  const state = stateAt(doc, path);
  const box = el('div', { className: 'state-editor', 'data-state': loc.id });
  if (!state) {
    box.append(el('p', { className: 'muted', text: `No state "${loc.id}" in the draft.` }));
    return box;
  }
  const ptr = statePointer(path);
  const name = path[path.length - 1]!;
  const parentPath = path.slice(0, -1);
  const container = parentPath.length ? stateAt(doc, parentPath)! : doc;

  // ---- name, description, kind ----
  const nameInput = textInput(name, () => undefined, { 'data-field': 'name', pattern: '[A-Za-z][A-Za-z0-9_-]*' });
  const renameError = el('span', { className: 'field-issue error' });
  const doRename = () => {
    const to = nameInput.value.trim();
    if (to === name) return;
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(to)) {
      renameError.textContent = 'a state name starts with a letter and has letters, digits, - and _ only';
      return;
    }
    if (to in (statesObj(container) ?? {})) {
      renameError.textContent = `there is already a state "${to}" here`;
      return;
    }
    ctx.change(() => renameState(doc, path, to));
    ctx.select(file, [...loc.id.split('.').slice(0, -1), to].join('.'));
  };
  nameInput.addEventListener('change', doRename);
  box.append(
    el('div', { className: 'row' }, [
      labelled('State', nameInput, file, ptr, renameError),
      button('Delete state', () => {
        ctx.change(() => deleteState(doc, path));
        ctx.select(file, '');
      }, { 'data-action': 'delete-state', className: 'danger' }),
    ]),
  );
  box.append(
    labelled(
      'Description',
      textArea(typeof state['description'] === 'string' ? state['description'] : '', (v) =>
        ctx.quiet(() => {
          if (v) setOrdered(state, 'description', v, STATE_ORDER);
          else delete state['description'];
        }, `desc:${loc.id}`),
      ),
      file,
      `${ptr}/description`,
    ),
    el('label', { className: 'inline' }, [
      checkbox(isFinal(state), (v) =>
        ctx.change(() => {
          if (v) setOrdered(state, 'type', 'final', STATE_ORDER);
          else delete state['type'];
        }),
      { 'data-field': 'final' }),
      ' ends the call (final state)',
    ]),
  );

  // ---- prompts ----
  box.append(el('h3', { text: 'Prompts' }));
  const ids = promptIds(ctx);
  const entry = Array.isArray(state['entry']) ? state['entry'] : state['entry'] === undefined ? [] : [state['entry']];
  const sayList = says(state);
  sayList.forEach((say, n) => {
    const index = entry.indexOf(say.action);
    const at = Array.isArray(state['entry']) ? `${ptr}/entry/${index}/params` : `${ptr}/entry/params`;
    const row = el('div', { className: 'say', 'data-say': String(n) });
    const move = (d: number) =>
      ctx.change(() => {
        const arr = entryArray(state);
        const i = arr.indexOf(say.action);
        const j = i + d;
        if (j < 0 || j >= arr.length) return;
        [arr[i], arr[j]] = [arr[j], arr[i]];
      });
    const tools = el('span', { className: 'tools' }, [
      button('↑', () => move(-1), { title: 'Play earlier' }),
      button('↓', () => move(1), { title: 'Play later' }),
      button('✕', () => ctx.change(() => entryArray(state).splice(entryArray(state).indexOf(say.action), 1)), { title: 'Remove this prompt', 'data-action': 'remove-prompt' }),
    ]);
    if (say.rotate) {
      row.append(el('div', { className: 'row' }, [el('strong', { text: 'Rotation (one per call)' }), tools]));
      say.rotate.forEach((id, i) => {
        row.append(
          labelled(`#${i + 1}`, textInput(id, (v) => ctx.quiet(() => ((say.params['rotate'] as unknown[])[i] = v.trim()), `rot:${loc.id}:${n}:${i}`), { list: 'prompt-ids' }), file, `${at}/rotate/${i}`),
          promptEditor(ctx, id),
        );
      });
    } else {
      const idInput = textInput(say.prompt ?? '', () => undefined, { list: 'prompt-ids', 'data-field': 'prompt', placeholder: 'prompt id, e.g. info.roaming' });
      idInput.addEventListener('change', () => ctx.change(() => (say.params['prompt'] = idInput.value.trim())));
      row.append(el('div', { className: 'row' }, [labelled('Prompt', idInput, file, `${at}/prompt`), tools]), promptEditor(ctx, say.prompt ?? ''));
    }
    box.append(row);
  });
  const addId = textInput('', () => undefined, { list: 'prompt-ids', placeholder: 'existing or new prompt id', 'data-field': 'add-prompt' });
  box.append(
    el('div', { className: 'row add' }, [
      addId,
      button('Add prompt', () => {
        const id = addId.value.trim();
        if (!/^[a-z0-9][a-z0-9.-]*$/.test(id)) {
          addId.setCustomValidity('a prompt id: lower-case letters, digits, dots and dashes');
          addId.reportValidity();
          return;
        }
        ctx.change(() => {
          if (!ids.includes(id)) createPrompt(ctx, id);
          if (state['entry'] === undefined) setOrdered(state, 'entry', [], STATE_ORDER);
          entryArray(state).push(newSay(id));
        });
      }, { 'data-action': 'add-prompt' }),
    ]),
  );

  // ---- sub-flow ----
  const meta = isObj(state['meta']) ? state['meta'] : null;
  if (meta && typeof meta['subflow'] === 'string') {
    box.append(el('p', { className: 'muted', text: `Runs the shared sub-flow ${meta['subflow']} (flows/shared/${meta['subflow']}.json); open it in the diagram to see and edit its states. When it ends, "done" below decides what follows.` }));
  }

  // ---- input ----
  if (!isFinal(state) && !statesObj(state)) {
    box.append(el('h3', { text: 'Input' }));
    const input = meta && isObj(meta['input']) ? meta['input'] : null;
    const ip = `${ptr}/meta/input`;
    box.append(
      el('label', { className: 'inline' }, [
        checkbox(!!input, (v) =>
          ctx.change(() => {
            if (v) child(child(state, 'meta', STATE_ORDER), 'input')['timeoutSec'] = 5;
            else if (isObj(state['meta'])) {
              delete state['meta']['input'];
              if (Object.keys(state['meta']).length === 0) delete state['meta'];
            }
          }),
        { 'data-field': 'waits' }),
        ' waits for a key after its prompts',
      ]),
    );
    if (input) {
      box.append(
        el('div', { className: 'row' }, [
          labelled('timeout (s)', numberInput(typeof input['timeoutSec'] === 'number' ? input['timeoutSec'] : undefined, (v) => ctx.quiet(() => (input['timeoutSec'] = v ?? 0), `timeout:${loc.id}`), { min: '0', max: '60', 'data-field': 'timeoutSec' }), file, `${ip}/timeoutSec`),
          el('label', { className: 'inline field', 'data-file': file, 'data-pointer': `${ip}/bargeIn` }, [
            checkbox(input['bargeIn'] !== false, (v) =>
              ctx.quiet(() => {
                if ('bargeIn' in input || !v) input['bargeIn'] = v;
              }, `barge:${loc.id}`),
            { 'data-field': 'bargeIn' }),
            ' keys interrupt the prompts (barge-in)',
          ]),
          el('label', { className: 'inline field', 'data-file': file, 'data-pointer': `${ip}/hotKeys` }, [
            checkbox(input['hotKeys'] === true, (v) =>
              ctx.quiet(() => {
                if (v) input['hotKeys'] = true;
                else delete input['hotKeys'];
              }, `hot:${loc.id}`),
            { 'data-field': 'hotKeys' }),
            ' hot keys work here',
          ]),
        ]),
      );
    }
  }

  // ---- transitions ----
  if (!isFinal(state)) box.append(transitionsEditor(ctx, loc, state, ptr));
  return box;
}

function transitionsEditor(ctx: EditorContext, loc: StateLocation, state: Obj, ptr: string): HTMLElement {
  const { file, doc, path } = loc;
  const box = el('section', { className: 'transitions' }, [el('h3', { text: 'Keys and what follows' })]);
  const choices = targetChoices(doc, path);
  for (const t of transitions(state)) {
    const holder: Obj = t.where === 'on' ? (state['on'] as Obj) : state;
    const key = t.where === 'on' ? t.event : t.where;
    const ep = t.where === 'on' ? `${ptr}/on/${escapePointer(t.event)}` : `${ptr}/${t.where}`;
    const multi = Array.isArray(holder[key]);
    const ev = el('div', { className: 'event field', 'data-event': t.event, 'data-file': file, 'data-pointer': ep });
    ev.append(
      el('div', { className: 'row event-head' }, [
        el('strong', { text: t.event === 'always' ? 'at once' : eventLabel(t.event) }),
        t.branches.length === 1 && !t.branches[0]!.guard && (t.event === 'NO_INPUT' || t.event === 'KEY.*')
          ? button('Add retry guard', () => ctx.change(() => addRetryGuard(holder, key, t.event, path)), { 'data-action': 'retry-guard' })
          : null,
        button('+ branch', () => ctx.change(() => editableBranches(holder, key, true).push({ target: t.branches[t.branches.length - 1]?.target ?? choices[0] ?? '' })), { title: 'Add a fallback branch' }),
        t.where === 'on' ? button('✕', () => ctx.change(() => delete holder[key]), { title: `Remove ${eventLabel(t.event)}`, 'data-action': 'remove-event' }) : null,
      ]),
    );
    t.branches.forEach((b, i) => {
      const bp = multi ? `${ep}/${i}` : ep;
      const obj = () => editableBranches(holder, key, false)[i]!;
      const row = el('div', { className: 'branch', 'data-branch': String(i) });
      const rg = retryGuard(b.guard);
      if (rg) {
        row.append(
          el('span', { text: 'while retries of ' }),
          labelled('', textInput(rg.counter, (v) => ctx.quiet(() => (((obj()['guard'] as Obj)['params'] as Obj)['counter'] = v), `rg:${ep}:${i}:c`), { size: '10', 'data-field': 'counter' }), file, `${bp}/guard/params/counter`),
          el('span', { text: ' < ' }),
          labelled('', numberInput(rg.max, (v) => ctx.quiet(() => (((obj()['guard'] as Obj)['params'] as Obj)['max'] = v ?? 0), `rg:${ep}:${i}:m`), { min: '0', size: '3', 'data-field': 'max' }), file, `${bp}/guard/params/max`),
        );
      } else if (b.guard !== undefined) row.append(el('code', { className: 'guard', text: `if ${JSON.stringify(b.guard)}` }));
      else if (t.branches.length > 1) row.append(el('span', { className: 'muted', text: 'else ' }));
      row.append(
        el('span', { text: ' → ' }),
        labelled('', select(choices, b.target ?? '', (v) =>
          ctx.change(() => {
            obj()['target'] = v;
            compactBranches(holder, key);
          }),
        { 'data-field': 'target' }), file, `${bp}/target`),
      );
      for (const [ai, a] of b.actions.entries()) {
        if (!isObj(a)) continue;
        const params = isObj(a['params']) ? a['params'] : {};
        const ap = `${bp}/actions/${ai}/params`;
        if (a['type'] === 'setIntent') row.append(labelled('intent', textInput(str(params['intent'] ?? ''), (v) => ctx.quiet(() => (params['intent'] = v), `int:${ep}:${i}`), { size: '12', 'data-field': 'intent' }), file, `${ap}/intent`));
        else if (a['type'] === 'say') row.append(labelled('says', textInput(str(params['prompt'] ?? ''), (v) => ctx.quiet(() => (params['prompt'] = v), `say:${ep}:${i}:${ai}`), { size: '18', list: 'prompt-ids' }), file, `${ap}/prompt`));
        else row.append(el('code', { className: 'action', text: `${String(a['type'])}${Object.keys(params).length ? ` ${Object.values(params).map(String).join(' ')}` : ''}` }));
      }
      if (t.branches.length > 1) row.append(button('✕', () => ctx.change(() => {
        editableBranches(holder, key, true).splice(i, 1);
        compactBranches(holder, key);
      }), { title: 'Remove this branch' }));
      ev.append(row);
    });
    box.append(ev);
  }

  // Add a key (or no-input / prompt-ends), leading to a state or to a new one.
  const used = new Set(Object.keys(isObj(state['on']) ? state['on'] : {}));
  const events = [...KEY_EVENTS, ...OTHER_EVENTS].filter((e) => !used.has(e));
  if (events.length) {
    const evSel = select(events.map((e) => [e, eventLabel(e)] as [string, string]), events[0]!, () => undefined, { 'data-field': 'add-event' });
    const targetSel = select([[NEW_STATE, '➕ a new state…'], ...choices.map((c) => [c, c] as [string, string])], choices.includes('anythingElse') ? 'anythingElse' : (choices[0] ?? NEW_STATE), () => update(), { 'data-field': 'add-target' });
    const newName = textInput('', () => undefined, { placeholder: 'new state name', 'data-field': 'new-state', size: '14' });
    const intent = textInput('', () => undefined, { placeholder: 'intent (optional)', 'data-field': 'add-intent', size: '12' });
    const update = () => {
      newName.hidden = targetSel.value !== NEW_STATE;
    };
    update();
    box.append(
      el('div', { className: 'row add add-key' }, [
        el('span', { text: 'On' }),
        evSel,
        el('span', { text: '→' }),
        targetSel,
        newName,
        intent,
        button('Add', () => {
          const parent = path.slice(0, -1);
          const container = parent.length ? stateAt(doc, parent)! : doc;
          let target = targetSel.value;
          const creating = target === NEW_STATE;
          if (creating) {
            target = newName.value.trim() || freeName(container, 'newState');
            if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(target) || target in (statesObj(container) ?? {})) {
              newName.setCustomValidity(`"${target}" is taken or not a state name (a letter, then letters, digits, - or _)`);
              newName.reportValidity();
              return;
            }
          }
          ctx.change(() => {
            if (creating) (statesObj(container) as Obj)[target] = {};
            const on = child(state, 'on', STATE_ORDER);
            const spec: unknown = intent.value.trim() ? { target, actions: [{ type: 'setIntent', params: { intent: intent.value.trim() } }] } : target;
            // A new key goes last, where the saved file will have it (existing keys keep their places).
            on[evSel.value] = spec;
          });
          if (creating) ctx.select(file, [...loc.id.split('.').slice(0, -1), target].join('.'));
        }, { 'data-action': 'add-transition' }),
      ]),
    );
  }
  return box;
}

/**
 * Turns a plain no-input or invalid-input path into the pattern the shipped flows use: retry
 * (count it, say why, play the state again) while retries are below 2, then go where the path went.
 */
function addRetryGuard(holder: Obj, key: string, event: string, path: readonly string[]): void {
  const [first] = editableBranches(holder, key, false);
  if (!first) return;
  const reason = event === 'NO_INPUT' ? 'noInput' : 'invalidInput';
  const counter = path[path.length - 1]!;
  const fallback = { ...first, actions: [{ type: 'escalate', params: { reason } }, ...(Array.isArray(first['actions']) ? first['actions'] : [])] };
  holder[key] = [
    {
      guard: { type: 'retriesBelow', params: { counter, max: 2 } },
      target: counter,
      reenter: true,
      actions: [
        { type: 'countRetry', params: { counter, reason } },
        { type: 'say', params: { prompt: event === 'NO_INPUT' ? 'common.no-input' : 'common.invalid' } },
      ],
    },
    fallback,
  ];
}
