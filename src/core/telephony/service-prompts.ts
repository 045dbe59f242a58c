import type { Language } from '../profile/customer-profile.js';
import type { PromptCatalog } from '../prompts/prompt-catalog.js';
import type { SpokenPrompt } from './turn.js';

/**
 * Prompts the live service plays outside any flow. A designer may override each one by adding a
 * prompt with the same id to flows/prompts.json; these texts are the fallback, so a fault can
 * always be announced even when no prompt file mentions it.
 */
const BUILT_IN: Record<string, Record<Language, string>> = {
  'live.apology': {
    'zh-CN': '抱歉，系统暂时出现故障，正在为您转接人工服务，请稍候。',
    'en-US': 'Sorry, we are having a technical problem. Connecting you to an agent, please hold.',
  },
  'live.queue-position': {
    'zh-CN': '您目前排在第{position}位，请稍候。',
    'en-US': 'You are number {position} in the queue. Please hold.',
  },
  'live.queue-failed': {
    'zh-CN': '抱歉，当前坐席全忙，请稍后再拨。',
    'en-US': 'Sorry, all our agents are busy. Please call again later.',
  },
};

export type ServicePromptId = 'live.apology' | 'live.queue-position' | 'live.queue-failed';

const CHARS_PER_SEC: Record<Language, number> = { 'zh-CN': 4.5, 'en-US': 14 };

export function servicePrompt(
  catalog: PromptCatalog | undefined,
  id: ServicePromptId,
  language: Language,
  vars: Record<string, string | number> = {},
): SpokenPrompt {
  if (catalog?.has(id)) {
    const r = catalog.render(id, vars, language);
    return r.audioUrl
      ? { id, language: r.language, text: r.text, durationSec: r.durationSec, audioUrl: r.audioUrl }
      : { id, language: r.language, text: r.text, durationSec: r.durationSec };
  }
  const text = BUILT_IN[id]![language].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
  return { id, language, text, durationSec: Math.round((text.length / CHARS_PER_SEC[language] + 0.3) * 10) / 10 };
}
