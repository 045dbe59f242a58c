import type { SmsRequest } from '../decision/decision.js';
import { DEFAULT_LANGUAGE, type Language } from '../profile/customer-profile.js';
import type { SmsTemplate } from '../rules/rule-files.js';
import { SmsTemplateUnknownError, SmsTemplateVariableMissingError } from './sms-errors.js';

export interface RenderedSms {
  text: string;
  /** The language the text is in: the customer's, or zh-CN when the template lacks it. */
  language: Language;
}

/**
 * The text of a decided SMS in the customer's language (zh-CN when the template has no text in
 * it). A variable the decision lacks is an error, never a text with a hole in it.
 */
export function renderSms(
  request: Pick<SmsRequest, 'template' | 'vars'>,
  templates: ReadonlyMap<string, SmsTemplate>,
  language: Language,
): RenderedSms {
  const t = templates.get(request.template);
  if (!t) throw new SmsTemplateUnknownError(request.template);
  const lang: Language = t.text[language] ? language : DEFAULT_LANGUAGE;
  const compiled = t.text[lang];
  if (!compiled) throw new SmsTemplateUnknownError(request.template);
  const r = compiled.render(request.vars, lang);
  if (!r.ok) throw new SmsTemplateVariableMissingError(request.template, lang, r.missing);
  return { text: r.text, language: lang };
}
