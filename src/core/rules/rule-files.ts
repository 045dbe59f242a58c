import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { IssueCollector, pointer } from '../config/config-error.js';
import { DISK_SOURCE, type ConfigSource } from '../config/config-source.js';
import { loadDocument } from '../config/document.js';
import { FACT_NAMES, PROFILE_FACT_NAMES } from '../profile/facts.js';
import { LANGUAGES, type Language } from '../profile/customer-profile.js';
import { compileTemplate, TemplateSyntaxError, type CompiledTemplate } from '../text/template.js';
import { compileRuleSet, referencedFacts, type CompiledRuleSet } from './compiled-rule-set.js';
import { RuleCompileError } from './errors.js';
import { createReferenceRuleSet, type ReferenceRuleSet } from './reference-rule-set.js';
import type { RuleProperties } from './rule-types.js';

export const RULE_KINDS = ['segments', 'routing', 'popups', 'sms'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

const EVENT_TYPE: Record<RuleKind, string> = { segments: 'segment', routing: 'route', popups: 'tag', sms: 'sms' };

export interface OverflowStep {
  afterSec: number;
  queue: string;
  priority?: number;
}
export interface RouteParams {
  queue: string;
  priority?: number;
  overflow?: OverflowStep[];
}
export interface SegmentParams {
  segment: string;
  priority: number;
}
export interface TagParams {
  key: string;
  text: Partial<Record<Language, string>>;
  severity?: 'info' | 'warning' | 'critical';
}
export interface SmsParams {
  template: string;
}

export interface RuleFile {
  kind: RuleKind;
  description?: string;
  default?: Record<string, unknown>;
  rules: RuleProperties[];
}

/** One rule set, compiled for the fast path and wrapped for the json-rules-engine reference. */
export interface LoadedRuleSet {
  kind: RuleKind;
  file: string;
  doc: RuleFile;
  compiled: CompiledRuleSet;
  reference: ReferenceRuleSet;
  /** Facts each rule reads, by rule index. */
  factsByRule: string[][];
  /** Rule indices by precedence: priority descending, then file order. */
  precedence: number[];
}

export interface SmsTemplate {
  id: string;
  class: 'service' | 'marketing';
  text: Partial<Record<Language, CompiledTemplate>>;
  /** Facts the template reads in any language. */
  variables: string[];
}

export interface LoadedRules {
  dir: string;
  segments: LoadedRuleSet;
  routing: LoadedRuleSet;
  popups: LoadedRuleSet;
  sms: LoadedRuleSet;
  templates: Map<string, SmsTemplate>;
  /** Compiled tag texts by popup rule index. */
  tagTexts: Map<number, Partial<Record<Language, CompiledTemplate>>>;
  segmentDefault: SegmentParams;
  routeDefault: RouteParams;
  hash: string;
}

/** `conditions.all[1].any[0]` → `/conditions/all/1/any/0`. */
function conditionPointer(path: string): string {
  if (!path) return '';
  return '/' + path.replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean).join('/');
}

function compileTexts(
  texts: unknown,
  file: string,
  ptr: string,
  issues: IssueCollector,
  allowed: ReadonlySet<string>,
): Partial<Record<Language, CompiledTemplate>> {
  const out: Partial<Record<Language, CompiledTemplate>> = {};
  if (typeof texts !== 'object' || texts === null || typeof (texts as Record<string, unknown>)['zh-CN'] !== 'string') {
    issues.error(file, ptr, 'text must be an object with a zh-CN string (and optionally en-US)');
    return out;
  }
  for (const lang of LANGUAGES) {
    const t = (texts as Record<string, unknown>)[lang];
    if (t === undefined) continue;
    if (typeof t !== 'string') {
      issues.error(file, ptr + pointer(lang), 'must be a string');
      continue;
    }
    try {
      const c = compileTemplate(t);
      for (const v of c.variables) {
        if (!allowed.has(v)) issues.error(file, ptr + pointer(lang), `unknown variable {${v}}; known facts: ${[...allowed].join(', ')}`);
      }
      out[lang] = c;
    } catch (err) {
      if (!(err instanceof TemplateSyntaxError)) throw err;
      issues.error(file, ptr + pointer(lang), `text does not parse: ${err.message}`);
    }
  }
  return out;
}

function loadTemplates(dir: string, issues: IssueCollector, hash: ReturnType<typeof createHash>, source: ConfigSource): Map<string, SmsTemplate> {
  const file = join(dir, 'sms-templates.json');
  const doc = loadDocument<{ templates: Record<string, { class: 'service' | 'marketing'; text: unknown }> }>('sms-templates', file, issues, { source });
  hash.update(JSON.stringify(doc ?? null));
  const out = new Map<string, SmsTemplate>();
  if (doc === undefined) return out;
  const templates = doc.templates;
  for (const [id, t] of Object.entries(templates)) {
    const text = compileTexts(t.text, file, pointer('templates', id, 'text'), issues, FACT_NAMES);
    const variables = [...new Set(Object.values(text).flatMap((c) => c!.variables))];
    out.set(id, { id, class: t.class, text, variables });
  }
  return out;
}

function checkEvent(
  kind: RuleKind,
  rule: RuleProperties,
  i: number,
  file: string,
  issues: IssueCollector,
  templates: Map<string, SmsTemplate>,
  tagTexts: Map<number, Partial<Record<Language, CompiledTemplate>>>,
): void {
  const ptr = pointer('rules', i, 'event');
  const ev = rule.event as { type: string; params?: Record<string, unknown> };
  if (ev.type !== EVENT_TYPE[kind]) issues.error(file, ptr + pointer('type'), `a ${kind} rule's event type must be "${EVENT_TYPE[kind]}", not "${ev.type}"`);
  const p = ev.params ?? {};
  const pp = ptr + pointer('params');
  const needString = (k: string) => {
    if (typeof p[k] !== 'string' || !p[k]) issues.error(file, pp + pointer(k), `params.${k} must be a non-empty string`);
  };
  switch (kind) {
    case 'segments':
      needString('segment');
      if (!(Number.isInteger(p['priority']) && (p['priority'] as number) >= 0)) issues.error(file, pp + pointer('priority'), 'params.priority (the queue priority of the segment) must be a whole number >= 0');
      break;
    case 'routing':
      checkRoute(p, file, pp, issues);
      break;
    case 'popups':
      needString('key');
      if (p['severity'] !== undefined && !['info', 'warning', 'critical'].includes(p['severity'] as string)) {
        issues.error(file, pp + pointer('severity'), 'severity must be info, warning or critical');
      }
      tagTexts.set(i, compileTexts(p['text'], file, pp + pointer('text'), issues, FACT_NAMES));
      break;
    case 'sms':
      needString('template');
      if (typeof p['template'] === 'string' && !templates.has(p['template'])) {
        issues.error(file, pp + pointer('template'), `unknown SMS template "${p['template']}"; templates: ${[...templates.keys()].join(', ')}`);
      }
      break;
  }
}

function checkRoute(p: Record<string, unknown>, file: string, ptr: string, issues: IssueCollector): void {
  if (typeof p['queue'] !== 'string' || !p['queue']) issues.error(file, ptr + pointer('queue'), 'queue must be a non-empty string (a skill group id from the staffing file)');
  if (p['priority'] !== undefined && !(Number.isInteger(p['priority']) && (p['priority'] as number) >= 0)) {
    issues.error(file, ptr + pointer('priority'), 'priority must be a whole number >= 0 (higher is answered first); omit it to use the segment priority');
  }
  if (p['overflow'] !== undefined) {
    if (!Array.isArray(p['overflow'])) {
      issues.error(file, ptr + pointer('overflow'), 'overflow must be a list of {afterSec, queue}');
      return;
    }
    let last = 0;
    p['overflow'].forEach((s: unknown, j: number) => {
      const sp = ptr + pointer('overflow', j);
      const step = s as Record<string, unknown>;
      if (typeof step !== 'object' || step === null) return issues.error(file, sp, 'must be {afterSec, queue}');
      if (typeof step['afterSec'] !== 'number' || step['afterSec'] <= 0) issues.error(file, sp + pointer('afterSec'), 'afterSec must be a number of seconds > 0');
      else if (step['afterSec'] <= last) issues.error(file, sp + pointer('afterSec'), `overflow steps must come in increasing afterSec (previous step: ${last})`);
      else last = step['afterSec'];
      if (typeof step['queue'] !== 'string' || !step['queue']) issues.error(file, sp + pointer('queue'), 'queue must be a non-empty string');
      const unknown = Object.keys(step).filter((k) => !['afterSec', 'queue', 'priority'].includes(k));
      if (unknown.length) issues.error(file, sp, `unknown property "${unknown[0]}"; expected afterSec, queue, priority`);
    });
  }
}

function loadRuleSet(
  dir: string,
  kind: RuleKind,
  issues: IssueCollector,
  hash: ReturnType<typeof createHash>,
  templates: Map<string, SmsTemplate>,
  tagTexts: Map<number, Partial<Record<Language, CompiledTemplate>>>,
  source: ConfigSource,
): LoadedRuleSet | undefined {
  const file = join(dir, `${kind}.json`);
  const rf = loadDocument<RuleFile>('rules', file, issues, { source });
  hash.update(kind + JSON.stringify(rf ?? null));
  if (rf === undefined) return undefined;
  const before = issues.issues.length;
  if (rf.kind !== kind) issues.error(file, pointer('kind'), `kind "${rf.kind}" does not match the file name; expected "${kind}"`);
  const names = new Map<string, number>();
  const allowedFacts = kind === 'segments' ? PROFILE_FACT_NAMES : FACT_NAMES;
  const factsByRule: string[][] = [];
  rf.rules.forEach((rule, i) => {
    const prev = names.get(rule.name!);
    if (prev !== undefined) issues.error(file, pointer('rules', i, 'name'), `rule name "${rule.name}" is already used by rule ${prev}`);
    else names.set(rule.name!, i);
    const facts = [...referencedFacts(rule)];
    factsByRule.push(facts);
    for (const f of facts) {
      if (allowedFacts.has(f)) continue;
      issues.error(
        file,
        pointer('rules', i, 'conditions'),
        FACT_NAMES.has(f)
          ? `fact "${f}" is only known at hand-off; segmentation runs before the IVR and may use: ${[...PROFILE_FACT_NAMES].join(', ')}`
          : `unknown fact "${f}"; known facts: ${[...allowedFacts].join(', ')}`,
      );
    }
    checkEvent(kind, rule, i, file, issues, templates, tagTexts);
  });
  if (kind === 'segments') {
    const d = rf.default ?? {};
    if (typeof d['segment'] !== 'string' || !Number.isInteger(d['priority'])) {
      issues.error(file, pointer('default'), 'segments need a default {"segment": "standard", "priority": <number>} for callers no rule matches');
    }
  }
  if (kind === 'routing') {
    if (!rf.default) issues.error(file, pointer('default'), 'routing needs a default route {"queue": ...} for hand-offs no rule matches');
    else checkRoute(rf.default, file, pointer('default'), issues);
  }
  // Compile each rule on its own so every bad rule is reported, not just the first.
  rf.rules.forEach((rule, i) => {
    try {
      compileRuleSet([rule]);
    } catch (err) {
      if (!(err instanceof RuleCompileError)) throw err;
      const at = pointer('rules', i) + conditionPointer(err.conditionPath);
      issues.error(file, at, err.message.replace(/^rule #0( "[^"]*")?(, at [^:]*)?: /, ''));
    }
  });
  if (issues.issues.slice(before).some((x) => x.severity === 'error')) return undefined;
  const precedence = rf.rules.map((_, i) => i).sort((a, b) => (rf.rules[b]!.priority ?? 1) - (rf.rules[a]!.priority ?? 1) || a - b);
  return {
    kind,
    file,
    doc: rf,
    compiled: compileRuleSet(rf.rules),
    reference: createReferenceRuleSet(rf.rules),
    factsByRule,
    precedence,
  };
}

/** Loads and checks the four rule sets and the SMS templates; throws ConfigError listing every problem. */
export function loadRules(dir: string, issues = new IssueCollector(), source: ConfigSource = DISK_SOURCE): LoadedRules {
  const hash = createHash('sha256');
  const templates = loadTemplates(dir, issues, hash, source);
  const tagTexts = new Map<number, Partial<Record<Language, CompiledTemplate>>>();
  const sets: Partial<Record<RuleKind, LoadedRuleSet>> = {};
  for (const kind of RULE_KINDS) {
    const s = loadRuleSet(dir, kind, issues, hash, templates, kind === 'popups' ? tagTexts : new Map(), source);
    if (s) sets[kind] = s;
  }
  issues.throwIfErrors();
  return {
    dir,
    segments: sets.segments!,
    routing: sets.routing!,
    popups: sets.popups!,
    sms: sets.sms!,
    templates,
    tagTexts,
    segmentDefault: sets.segments!.doc.default as unknown as SegmentParams,
    routeDefault: sets.routing!.doc.default as unknown as RouteParams,
    hash: hash.digest('hex').slice(0, 12),
  };
}
