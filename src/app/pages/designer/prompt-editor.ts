/**
 * A prompt entry of flows/prompts.json, edited where it is used: its text per language and its
 * duration (blank: estimated from the text). An id that is not in the file yet can be created.
 */
import { el } from '../shared/dom.js';
import type { Doc } from './editor-api.js';
import { button, child, labelled, numberInput, textArea, type EditorContext } from './forms.js';
import { escapePointer, isObj, type Obj } from './flow-model.js';
import { durationLabel, LANGUAGES, promptDuration, promptEntry } from './prompt-text.js';

export const PROMPTS_FILE = 'flows/prompts.json';
const PROMPT_ORDER = ['text', 'durationSec', 'audioUrl', 'description'];

export function promptsDoc(ctx: EditorContext): Doc {
  return ctx.draft.files[PROMPTS_FILE] ?? {};
}

export function promptIds(ctx: EditorContext): string[] {
  const p = promptsDoc(ctx)['prompts'];
  return isObj(p) ? Object.keys(p) : [];
}

/** Adds an entry for `id` with empty texts (the check then asks for the zh-CN text). */
export function createPrompt(ctx: EditorContext, id: string): void {
  const doc = promptsDoc(ctx);
  const prompts = child(doc, 'prompts');
  if (!(id in prompts)) prompts[id] = { text: { 'zh-CN': '', 'en-US': '' } };
}

export function promptEditor(ctx: EditorContext, id: string): HTMLElement {
  const box = el('div', { className: 'prompt-editor', 'data-prompt': id });
  const entry = promptEntry(promptsDoc(ctx), id);
  const base = `/prompts/${escapePointer(id)}`;
  if (!id) return box;
  if (!entry) {
    box.append(
      el('span', { className: 'field', 'data-file': PROMPTS_FILE, 'data-pointer': base }, [
        el('span', { className: 'muted', text: `No prompt "${id}" in ${PROMPTS_FILE}. ` }),
        button(`Create prompt ${id}`, () => ctx.change(() => createPrompt(ctx, id)), { 'data-action': 'create-prompt' }),
      ]),
    );
    return box;
  }
  const texts = (): Obj => child(entry, 'text', PROMPT_ORDER);
  const dur = el('small', { className: 'muted duration', text: durationLabel(promptDuration(promptsDoc(ctx), id, ctx.lang)) });
  const refresh = () => {
    dur.textContent = durationLabel(promptDuration(promptsDoc(ctx), id, ctx.lang));
  };
  for (const lang of LANGUAGES) {
    const t = texts()[lang];
    box.append(
      labelled(
        lang,
        textArea(
          typeof t === 'string' ? t : '',
          (v) =>
            ctx.quiet(() => {
              const text = child(entry, 'text', PROMPT_ORDER);
              if (v === '' && lang !== 'zh-CN') delete text[lang];
              else text[lang] = v;
              refresh();
            }, `prompt:${id}:${lang}`),
          { 'data-lang': lang, lang },
        ),
        PROMPTS_FILE,
        `${base}/text/${lang}`,
      ),
    );
  }
  box.append(
    labelled(
      'seconds',
      numberInput(
        typeof entry['durationSec'] === 'number' ? entry['durationSec'] : undefined,
        (v) =>
          ctx.quiet(() => {
            if (v === undefined || Number.isNaN(v)) delete entry['durationSec'];
            else if ('durationSec' in entry) entry['durationSec'] = v;
            else {
              const entries = Object.entries(entry);
              const at = entries.findIndex(([k]) => k !== 'text');
              if (at < 0) entry['durationSec'] = v;
              else {
                entries.splice(at, 0, ['durationSec', v]);
                for (const k of Object.keys(entry)) delete entry[k];
                for (const [k, x] of entries) entry[k] = x;
              }
            }
            refresh();
          }, `prompt:${id}:duration`),
        { placeholder: 'estimated', min: '0', 'data-field': 'durationSec' },
      ),
      PROMPTS_FILE,
      `${base}/durationSec`,
      dur,
    ),
  );
  return box;
}
