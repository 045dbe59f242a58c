import type { IvrResult } from '../flows/ivr-result.js';
import { PROFILE_FACT_NAMES, type Facts } from '../profile/facts.js';
import type { Language } from '../profile/customer-profile.js';
import type { LoadedRules, LoadedRuleSet, RouteParams, RuleKind, SegmentParams, SmsParams, TagParams } from '../rules/rule-files.js';
import type { PopupTag, RoutedTo, SkippedRule, SmsRequest } from './decision.js';

/** Which rules fired, as a per-index flag; both the compiled and the reference evaluator produce it. */
export type FiredFlags = ArrayLike<number | boolean>;

export interface RuleSetResult {
  /** Indices of fired rules, by precedence (priority descending, then file order). */
  fired: number[];
  skipped: SkippedRule[];
}

/**
 * Orders the fired rules by precedence and notes the rules that did not fire while reading
 * profile facts the caller lacks ("the decision says so").
 */
export function readRuleSet(set: LoadedRuleSet, flags: FiredFlags, facts: Facts): RuleSetResult {
  const fired: number[] = [];
  const skipped: SkippedRule[] = [];
  for (const i of set.precedence) {
    if (flags[i]) {
      fired.push(i);
      continue;
    }
    let missing: string[] | undefined;
    for (const f of set.factsByRule[i]!) {
      if (facts[f] === undefined && PROFILE_FACT_NAMES.has(f)) (missing ??= []).push(f);
    }
    if (missing) skipped.push({ ruleSet: set.kind, rule: set.doc.rules[i]!.name!, missingFacts: missing });
  }
  return { fired, skipped };
}

export function ruleName(set: LoadedRuleSet, i: number): string {
  return set.doc.rules[i]!.name!;
}

function params<T>(set: LoadedRuleSet, i: number): T {
  return (set.doc.rules[i]!.event as { params: T }).params;
}

export function segmentOf(rules: LoadedRules, r: RuleSetResult): { id: string; priority: number; rule: string | null } {
  const first = r.fired[0];
  if (first === undefined) return { id: rules.segmentDefault.segment, priority: rules.segmentDefault.priority, rule: null };
  const p = params<SegmentParams>(rules.segments, first);
  return { id: p.segment, priority: p.priority, rule: ruleName(rules.segments, first) };
}

/** The facts hand-off rules see: the profile plus what the caller did in the IVR. */
export function callFacts(profileFacts: Facts, segment: { id: string; priority: number }, ivr: IvrResult): Facts {
  // The profile facts are inherited rather than copied: a call's facts are built per call on
  // the replay's hot path. Both evaluators read inherited facts (json-rules-engine with for…in).
  const f = Object.create(profileFacts) as Facts;
  f['segment'] = segment.id;
  f['segmentPriority'] = segment.priority;
  f['outcome'] = ivr.outcome;
  f['intents'] = ivr.intents;
  f['diagnosisSteps'] = ivr.diagnosis?.steps ?? [];
  if (ivr.intent !== null) f['intent'] = ivr.intent;
  if (ivr.hotKey !== null) f['hotKey'] = ivr.hotKey;
  if (ivr.escalation !== null) f['escalation'] = ivr.escalation;
  if (ivr.diagnosis?.result !== undefined) f['diagnosisResult'] = ivr.diagnosis.result;
  if (ivr.diagnosis?.symptom !== undefined) f['diagnosisSymptom'] = ivr.diagnosis.symptom;
  return f;
}

export function routeOf(rules: LoadedRules, r: RuleSetResult, segmentPriority: number): RoutedTo {
  const first = r.fired[0];
  const p: RouteParams = first === undefined ? rules.routeDefault : params<RouteParams>(rules.routing, first);
  const priority = p.priority ?? segmentPriority;
  return {
    queue: p.queue,
    priority,
    overflow: (p.overflow ?? []).map((s) => ({ afterSec: s.afterSec, queue: s.queue, priority: s.priority ?? priority })),
    rule: first === undefined ? null : ruleName(rules.routing, first),
  };
}

/** Union of the fired tags, one per key (the highest-precedence rule's text wins). */
export function tagsOf(rules: LoadedRules, r: RuleSetResult, facts: Facts, language: Language): PopupTag[] {
  const out: PopupTag[] = [];
  const seen = new Set<string>();
  for (const i of r.fired) {
    const p = params<TagParams>(rules.popups, i);
    if (seen.has(p.key)) continue;
    seen.add(p.key);
    const texts = rules.tagTexts.get(i)!;
    const t = texts[language] ?? texts['zh-CN']!;
    out.push({ key: p.key, text: t.renderLenient(facts, language), severity: p.severity ?? 'info', rule: ruleName(rules.popups, i) });
  }
  return out;
}

/** The SMS wanted, de-duplicated by template (highest precedence first). */
export function smsOf(rules: LoadedRules, r: RuleSetResult, facts: Facts): SmsRequest[] {
  const out: SmsRequest[] = [];
  const seen = new Set<string>();
  for (const i of r.fired) {
    const { template } = params<SmsParams>(rules.sms, i);
    if (seen.has(template)) continue;
    seen.add(template);
    const t = rules.templates.get(template)!;
    const vars: Record<string, unknown> = {};
    for (const v of t.variables) if (facts[v] !== undefined) vars[v] = facts[v];
    out.push({ template, class: t.class, vars, rule: ruleName(rules.sms, i) });
  }
  return out;
}

export function firedNames(set: LoadedRuleSet, r: RuleSetResult): string[] {
  return r.fired.map((i) => ruleName(set, i));
}

export const EMPTY_RESULT: RuleSetResult = { fired: [], skipped: [] };

export type RuleResults = Record<RuleKind, RuleSetResult>;
