import { compileTemplate, TemplateSyntaxError, type CompiledTemplate } from '../text/template.js';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from '../profile/customer-profile.js';

/** How a prompt file describes one prompt. */
export interface PromptSpec {
  /** Text per language, a template (see text/template.ts). zh-CN is required. */
  text: Partial<Record<Language, string>>;
  /** Spoken duration in seconds; when absent it is estimated from the rendered text. */
  durationSec?: number;
  /** Recorded audio to play instead of text-to-speech, per language. */
  audioUrl?: Partial<Record<Language, string>>;
  description?: string;
}

export interface PromptsFile {
  /** Speaking rate used to estimate durations: characters per second, per language. */
  charsPerSecond?: Partial<Record<Language, number>>;
  prompts: Record<string, PromptSpec>;
}

/** A prompt as the caller hears it. */
export interface RenderedPrompt {
  id: string;
  language: Language;
  text: string;
  durationSec: number;
  audioUrl?: string;
}

const DEFAULT_RATE: Record<Language, number> = { 'zh-CN': 4.5, 'en-US': 14 };
/** Pause a text-to-speech engine leaves around a prompt. */
const LEAD_SEC = 0.3;

export class PromptCatalog {
  private readonly templates = new Map<string, Partial<Record<Language, CompiledTemplate>>>();
  private readonly rates: Record<Language, number>;
  /** Each prompt's place in the tables of durations below (file order). */
  private readonly indexById = new Map<string, number>();
  private readonly idByIndex: string[] = [];
  /** Durations of prompts that read no fact, per prompt and language (`index * LANGUAGES.length + language`); NaN until first asked. */
  private readonly fixedSec: Float64Array;
  /** The same table per facts object, for prompts that read facts. */
  private readonly secByFacts = new WeakMap<object, Float64Array>();
  /** Per prompt: its duration is the same for every caller (stated in the file, or a text that reads no fact). */
  private readonly fixed: readonly boolean[];

  /** @param onError receives template syntax errors; without it they throw. */
  constructor(readonly file: PromptsFile, onError?: (id: string, language: Language, message: string) => void) {
    this.rates = { ...DEFAULT_RATE, ...file.charsPerSecond };
    for (const [id, spec] of Object.entries(file.prompts)) {
      const byLang: Partial<Record<Language, CompiledTemplate>> = {};
      for (const lang of LANGUAGES) {
        const t = spec.text[lang];
        if (t === undefined) continue;
        try {
          byLang[lang] = compileTemplate(t);
        } catch (err) {
          if (!(err instanceof TemplateSyntaxError) || !onError) throw err;
          onError(id, lang, `prompt text does not parse: ${err.message}`);
        }
      }
      this.templates.set(id, byLang);
      this.indexById.set(id, this.idByIndex.length);
      this.idByIndex.push(id);
    }
    this.fixedSec = new Float64Array(this.idByIndex.length * LANGUAGES.length).fill(NaN);
    this.fixed = this.idByIndex.map((id) => this.file.prompts[id]?.durationSec !== undefined || this.variables(id).length === 0);
  }

  /** A prompt's index in the duration tables (`durationAt`), -1 when the catalogue has no such prompt. */
  indexOf(id: string): number {
    return this.indexById.get(id) ?? -1;
  }

  /** Whether a prompt's duration is the same for every caller (it reads no fact). */
  isFixed(index: number): boolean {
    return this.fixed[index] === true;
  }

  /** The table of a facts object's prompt durations, by prompt and language index (NaN: not known yet; see `durationIn`). */
  durationsOf(vars: Readonly<Record<string, unknown>>): Float64Array {
    let table = this.secByFacts.get(vars);
    if (!table) this.secByFacts.set(vars, (table = new Float64Array(this.fixedSec.length).fill(NaN)));
    return table;
  }

  /**
   * `durationSec` by the prompt's index and the language's index in LANGUAGES, read from the
   * facts' table (`durationsOf`): computed once per prompt and language for prompts that read no
   * fact, once per facts object for the others. The replay hears prompts by the million.
   */
  durationIn(table: Float64Array, index: number, vars: Readonly<Record<string, unknown>>, language: Language, languageIndex: number): number {
    const slot = index * LANGUAGES.length + languageIndex;
    let d = table[slot]!;
    if (d === d) return d;
    d = this.fixedSec[slot]!;
    if (d !== d) {
      d = this.durationSec(this.idByIndex[index]!, vars, language);
      if (this.fixed[index]) this.fixedSec[slot] = d;
    }
    table[slot] = d;
    return d;
  }

  has(id: string): boolean {
    return this.templates.has(id);
  }

  ids(): string[] {
    return [...this.templates.keys()];
  }

  private readonly variableCache = new Map<string, string[]>();

  /** Every variable a prompt reads, in any language. */
  variables(id: string): string[] {
    let vars = this.variableCache.get(id);
    if (!vars) {
      const t = this.templates.get(id);
      vars = t ? [...new Set(Object.values(t).flatMap((c) => c!.variables))] : [];
      this.variableCache.set(id, vars);
    }
    return vars;
  }

  private readonly durationCache = new Map<string, number>();
  private readonly durationsByVars = new WeakMap<object, Map<string, number>>();

  /**
   * Spoken duration of a prompt for these facts, without building the text when the prompt
   * states its duration; cached on the values of the variables it reads (the replay hot path).
   */
  durationSec(id: string, vars: Readonly<Record<string, unknown>>, language: Language = DEFAULT_LANGUAGE): number {
    const given = this.file.prompts[id]?.durationSec;
    if (given !== undefined) return given;
    // A caller's facts object is reused call after call (derived once per profile), so the
    // durations computed for it are remembered with it.
    let mine = this.durationsByVars.get(vars);
    if (!mine) this.durationsByVars.set(vars, (mine = new Map()));
    const slot = language === DEFAULT_LANGUAGE ? id : id + '\u0001' + language;
    let d = mine.get(slot);
    if (d === undefined) {
      const names = this.variables(id);
      let key = slot;
      // oxlint-disable-next-line typescript/no-base-to-string -- unknown (narrowed to {}): String() is meant
      for (let i = 0; i < names.length; i++) key += '\u0000' + String(vars[names[i]!] ?? '');
      d = this.durationCache.get(key);
      if (d === undefined) {
        d = this.render(id, vars, language).durationSec;
        if (this.durationCache.size > 100_000) this.durationCache.clear();
        this.durationCache.set(key, d);
      }
      mine.set(slot, d);
    }
    return d;
  }

  /** Estimated speaking time of a text. */
  estimateSec(text: string, language: Language): number {
    return Math.round((text.length / this.rates[language] + LEAD_SEC) * 10) / 10;
  }

  /**
   * Renders a prompt for a caller. Falls back to zh-CN when the caller's language has no text.
   * A required variable without a value renders as empty text rather than failing the call:
   * a caller must always hear something. (Designers put profile details inside `[ ]` so the
   * sentence disappears cleanly; `ivr-sim validate` warns when they do not.)
   */
  render(id: string, vars: Readonly<Record<string, unknown>>, language: Language = DEFAULT_LANGUAGE): RenderedPrompt {
    const spec = this.file.prompts[id];
    const byLang = this.templates.get(id);
    if (!spec || !byLang) throw new Error(`unknown prompt "${id}"`);
    const lang: Language = byLang[language] ? language : DEFAULT_LANGUAGE;
    const template = byLang[lang]!;
    const text = template.renderLenient(vars, lang);
    const durationSec = spec.durationSec ?? this.estimateSec(text, lang);
    const audio = spec.audioUrl?.[lang];
    return audio ? { id, language: lang, text, durationSec, audioUrl: audio } : { id, language: lang, text, durationSec };
  }
}
