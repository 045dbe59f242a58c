import type { Language } from '../profile/customer-profile.js';
import { NamedError } from '../errors/named-error.js';

/**
 * Text templates shared by prompts, pop-up tags and SMS:
 *  - `{name}` inserts a variable; `{name|ordinal}` formats a number as 1st/2nd/3rd (第1次 in Chinese);
 *  - `[ ... ]` is an optional part, dropped when a variable inside it has no value.
 * A variable missing outside an optional part is an error the caller decides how to handle.
 */
export interface CompiledTemplate {
  readonly source: string;
  /** Every variable the template reads. */
  readonly variables: readonly string[];
  /** Variables that must be present (outside optional parts). */
  readonly required: readonly string[];
  render(vars: Readonly<Record<string, unknown>>, language: Language): RenderResult;
  /** Renders whatever it can: a missing required variable becomes empty text. */
  renderLenient(vars: Readonly<Record<string, unknown>>, language: Language): string;
}

export type RenderResult = { ok: true; text: string } | { ok: false; missing: string[] };

type Part =
  | { kind: 'text'; text: string }
  | { kind: 'var'; name: string; format: string | undefined }
  | { kind: 'optional'; parts: Part[] };

export class TemplateSyntaxError extends NamedError {
  readonly code = 'TEMPLATE_SYNTAX';
  constructor(message: string, readonly position: number) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

const FORMATS = new Set(['ordinal']);

function parse(source: string): Part[] {
  const root: Part[] = [];
  let current = root;
  let optionalOpen = -1;
  let i = 0;
  let text = '';
  const flush = () => {
    if (text) current.push({ kind: 'text', text });
    text = '';
  };
  while (i < source.length) {
    const c = source[i]!;
    if (c === '{') {
      const end = source.indexOf('}', i);
      if (end < 0) throw new TemplateSyntaxError(`"{" at ${i} is never closed`, i);
      flush();
      const [name, format] = source.slice(i + 1, end).split('|').map((s) => s.trim());
      if (!name || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new TemplateSyntaxError(`"{${source.slice(i + 1, end)}}" at ${i} is not a variable name`, i);
      }
      if (format !== undefined && !FORMATS.has(format)) {
        throw new TemplateSyntaxError(`unknown format "${format}" at ${i}; known: ${[...FORMATS].join(', ')}`, i);
      }
      current.push({ kind: 'var', name, format });
      i = end + 1;
    } else if (c === '[') {
      if (optionalOpen >= 0) throw new TemplateSyntaxError(`optional parts cannot nest (at ${i})`, i);
      flush();
      const opt: Part = { kind: 'optional', parts: [] };
      root.push(opt);
      current = opt.parts;
      optionalOpen = i;
      i++;
    } else if (c === ']') {
      if (optionalOpen < 0) throw new TemplateSyntaxError(`"]" at ${i} has no "["`, i);
      flush();
      current = root;
      optionalOpen = -1;
      i++;
    } else {
      text += c;
      i++;
    }
  }
  if (optionalOpen >= 0) throw new TemplateSyntaxError(`"[" at ${optionalOpen} is never closed`, optionalOpen);
  flush();
  return root;
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

function ordinal(n: number, language: Language): string {
  if (language === 'zh-CN') return `第${n}`;
  const mod100 = n % 100;
  const suffix = mod100 >= 11 && mod100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

function formatValue(v: unknown, format: string | undefined, language: Language): string {
  if (format === 'ordinal' && typeof v === 'number') return ordinal(v, language);
  if (Array.isArray(v)) return v.join(', ');
  return String(v);
}

export function compileTemplate(source: string): CompiledTemplate {
  const parts = parse(source);
  const variables: string[] = [];
  const required: string[] = [];
  for (const p of parts) {
    if (p.kind === 'var') {
      variables.push(p.name);
      required.push(p.name);
    } else if (p.kind === 'optional') {
      for (const q of p.parts) if (q.kind === 'var') variables.push(q.name);
    }
  }
  return {
    source,
    variables: [...new Set(variables)],
    required: [...new Set(required)],
    render(vars, language) {
      const missing = required.filter((n) => !present(vars[n]));
      if (missing.length) return { ok: false, missing };
      return { ok: true, text: this.renderLenient(vars, language) };
    },
    renderLenient(vars, language) {
      let out = '';
      for (const p of parts) {
        if (p.kind === 'text') out += p.text;
        else if (p.kind === 'var') out += present(vars[p.name]) ? formatValue(vars[p.name], p.format, language) : '';
        else if (p.parts.every((q) => q.kind !== 'var' || present(vars[q.name]))) {
          for (const q of p.parts) out += q.kind === 'text' ? q.text : q.kind === 'var' ? formatValue(vars[q.name], q.format, language) : '';
        }
      }
      return out.replace(/\s{2,}/g, ' ').trim();
    },
  };
}
