/** Prompt entries of flows/prompts.json as the editor shows them: text per language and how long it plays. */
import type { Doc } from './editor-api.js';
import { isObj, type Obj } from './flow-model.js';

export type Language = 'zh-CN' | 'en-US';
export const LANGUAGES: readonly Language[] = ['zh-CN', 'en-US'];

export function promptsOf(doc: Doc | undefined): Obj {
  return doc && isObj(doc['prompts']) ? doc['prompts'] : {};
}

export function promptEntry(doc: Doc | undefined, id: string): Obj | null {
  const p = promptsOf(doc)[id];
  return isObj(p) ? p : null;
}

export function promptText(doc: Doc | undefined, id: string, lang: Language): string | null {
  const p = promptEntry(doc, id);
  const text = p && isObj(p['text']) ? p['text'] : null;
  if (!text) return null;
  const t = text[lang] ?? text['zh-CN'];
  return typeof t === 'string' ? t : null;
}

/**
 * How long the prompt plays in `lang`: its durationSec, or estimated from the text at the file's
 * speaking rate (facts in {…} counted as a few characters) — `estimated` says which.
 */
export function promptDuration(doc: Doc | undefined, id: string, lang: Language): { sec: number; estimated: boolean } | null {
  const p = promptEntry(doc, id);
  if (!p) return null;
  if (typeof p['durationSec'] === 'number') return { sec: p['durationSec'], estimated: false };
  const text = promptText(doc, id, lang) ?? '';
  const rates = doc && isObj(doc['charsPerSecond']) ? doc['charsPerSecond'] : {};
  const rate = typeof rates[lang] === 'number' ? rates[lang] : lang === 'zh-CN' ? 4.5 : 14;
  const chars = text.replace(/\{[^}]*\}/g, 'xxxx').replace(/[[\]]/g, '').length;
  return { sec: Math.round((chars / rate) * 10) / 10, estimated: true };
}

export function durationLabel(d: { sec: number; estimated: boolean } | null): string {
  return d ? `${d.estimated ? '≈' : ''}${d.sec.toFixed(1)} s` : 'no such prompt';
}
