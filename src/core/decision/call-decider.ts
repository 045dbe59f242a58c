import type { Configuration } from '../configuration/configuration.js';
import type { IvrResult } from '../flows/ivr-result.js';
import type { KeyPress } from '../flows/key-presses.js';
import { DEFAULT_LANGUAGE, LANGUAGES, type CustomerProfile, type Language } from '../profile/customer-profile.js';
import type { Facts } from '../profile/facts.js';
import type { LoadedRuleSet, RuleKind } from '../rules/rule-files.js';
import {
  callFacts,
  EMPTY_RESULT,
  firedNames,
  readRuleSet,
  routeOf,
  segmentOf,
  smsOf,
  tagsOf,
  type FiredFlags,
  type RuleResults,
  type RuleSetResult,
} from './assemble.js';
import type { CompactDecision, Decision } from './decision.js';
import { FlowRuntime, handoffKey, type CallerMemo, type CompactParts, type HandoffParts } from './flow-runtime.js';

export interface CallInput {
  callId: string;
  /** Caller number, looked up in the customers file. */
  caller?: string;
  /** Inline profile; wins over the customers file. */
  profile?: CustomerProfile;
  keys: readonly KeyPress[];
  language?: Language;
  hangupInIvrSec?: number;
  /** Include the transcript with rendered prompts. */
  transcript?: boolean;
  /** Picks among rotating prompts (rolling promotions); default a hash of the call id. */
  rotation?: number;
}

/**
 * A stable, well-mixed hash of the call id (FNV-1a, then murmur3's finaliser so that even the
 * low bits depend on every character): rolling promotions rotate reproducibly and evenly.
 */
export function rotationOf(callId: string): number {
  return rotationAfter(FNV_OFFSET, callId);
}

const FNV_OFFSET = 0x811c9dc5;

/** The hash state after a prefix: `rotationAfter(rotationPrefix(p), id)` is `rotationOf(p + id)`, without building the string. */
export function rotationPrefix(prefix: string): number {
  return fnv(FNV_OFFSET, prefix);
}

function fnv(state: number, text: string): number {
  let h = state;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

export function rotationAfter(prefixState: number, callId: string): number {
  let h = fnv(prefixState, callId);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** What `decideCompact` reads of a call (a trace call carries exactly this). */
export type CompactInput = Pick<CallInput, 'callId' | 'caller' | 'profile' | 'keys' | 'language' | 'hangupInIvrSec'>;

const NO_TAGS: readonly string[] = [];
/** An outcome's index among a memo's slots (a comparison: a keyed look-up by the outcome's name costs more on this path). */
function outcomeIndex(outcome: IvrResult['outcome']): number {
  return outcome === 'handoff' ? 1 : outcome === 'hangup' ? 2 : 0;
}

/** A rule set the decision needs evaluated against some facts. */
interface EvaluationRequest {
  set: LoadedRuleSet;
  facts: Facts;
}

/**
 * Decides calls end to end: profile → segment → the segment's flow → hand-off rules.
 * `decide` is the fast path (memoised XState steps, compiled rules); `decideReference` runs
 * XState step by step and json-rules-engine itself. Both drive the same sequence of steps
 * (`decisionSteps`), so they can differ only in the evaluators, which tests hold equal.
 */
export class CallDecider {
  private readonly buffers = new Map<RuleKind, Uint8Array>();

  /** @param runtime what this configuration remembers between calls; its own unless shared (live calls and the designer share the service's). */
  constructor(
    readonly config: Configuration,
    readonly runtime: FlowRuntime = new FlowRuntime(config),
  ) {}

  decide(input: CallInput): Decision {
    return this.runSync(this.decisionSteps(input, false, undefined, true));
  }

  async decideReference(input: CallInput): Promise<Decision> {
    const steps = this.decisionSteps(input, true);
    let r = steps.next();
    while (!r.done) {
      const { set, facts } = r.value;
      r = steps.next((await set.reference.evaluate(facts)).map((o) => o.fired));
    }
    return r.value;
  }

  /**
   * The segment of a caller (fast path). Live calls use it to pick the flow before the IVR runs;
   * the decision at hand-off re-derives it the same way.
   */
  segmentFor(input: Pick<CallInput, 'caller' | 'profile'>): { id: string; priority: number; rule: string | null } {
    const { facts } = this.profileOf({ ...input, callId: '', keys: [] });
    const set = this.config.rules.segments;
    return segmentOf(this.config.rules, readRuleSet(set, set.compiled.evaluate(facts).map((o) => o.fired), facts));
  }

  /**
   * The decision for a call whose IVR part already happened elsewhere (a live call walked
   * through webhooks): the same rules, given the recorded IVR result.
   */
  decideWithIvr(input: CallInput, ivr: IvrResult): Decision {
    return this.runSync(this.decisionSteps(input, false, ivr));
  }

  /**
   * A call decided as a replay keeps it: exactly `compactDecision(decide(input))` (and whom the
   * SMS go to, with `recipients`), built without the full Decision. The IVR is played from the
   * memoised steps with each edge's prompt durations read from tables (no key log), and a
   * directory caller's compact hand-off is remembered per node they left the IVR at, outcome and
   * language: a repeated call costs the walk and one object. Held to the reference path by
   * tests/decision/compact-equivalence.test.ts.
   */
  decideCompact(input: CompactInput, rotation: number, recipients: boolean): CompactDecision {
    const rules = this.config.rules;
    // The look-up of profileOf, written out: through a shared helper returning { profile, known }
    // this path measured about a tenth slower (decide-bench, 200,000 calls, warm rounds).
    let profile: CustomerProfile;
    let known: boolean;
    if (input.profile) {
      profile = input.profile;
      known = true;
    } else {
      ({ profile, known } = this.config.customers.lookup(input.caller ?? ''));
    }
    let facts: Facts;
    let pm: CallerMemo | undefined;
    if (known) {
      pm = this.runtime.memoOf(profile);
      facts = pm.facts;
    } else {
      facts = this.runtime.unknownFactsOf(profile);
      if (facts === this.runtime.unknownCallerFacts) pm = this.runtime.callerMemo(facts);
    }
    const language = input.language ?? profile.language ?? DEFAULT_LANGUAGE;
    let segResult = pm?.segResult;
    if (segResult === undefined) {
      segResult = readRuleSet(rules.segments, this.fired(rules.segments, facts), facts);
      if (pm) pm.segResult = segResult;
    }
    let segment = pm?.segment;
    if (segment === undefined) {
      segment = segmentOf(rules, segResult);
      if (pm) pm.segment = segment;
    }
    const player = this.runtime.player(segment.id);
    if (!player) throw new Error(`no flow for segment "${segment.id}"`);
    const call = player.playCall(facts, input.keys, { language, rotation, hangupAtSec: input.hangupInIvrSec, outline: true });
    const ivr = call.result!;
    const languageIndex = LANGUAGES.indexOf(language);
    const slot = pm && languageIndex >= 0 ? outcomeIndex(ivr.outcome) * LANGUAGES.length + languageIndex : -1;
    let parts: CompactParts | undefined = slot >= 0 ? pm!.compact.get(call.endNode)?.[slot] : undefined;
    if (parts === undefined) {
      const key = pm ? handoffKey(ivr, language) : '';
      parts = pm?.compactByKey.get(key);
      if (parts === undefined) {
        const h = this.runSync(this.handoffSteps(known, facts, language, segment, segResult, ivr));
        parts = { route: h.route, sms: h.sms, tags: h.tags.length === 0 ? NO_TAGS : h.tags.map((t) => t.key) };
        if (pm) this.runtime.rememberCompactByKey(pm, key, parts);
      }
      if (slot >= 0) this.runtime.rememberCompact(pm!, call.endNode, slot, parts);
    }
    const c: CompactDecision = { segment: segment.id, outcome: ivr.outcome, ivrSec: ivr.ivrSec, hotKey: ivr.hotKey, route: parts.route, sms: parts.sms, tags: parts.tags };
    if (recipients && parts.sms.length > 0) {
      const { phone, timeZone } = profile;
      c.recipient = timeZone === undefined ? { phone } : { phone, timeZone };
    }
    return c;
  }

  private fired(set: LoadedRuleSet, facts: Facts): FiredFlags {
    let buf = this.buffers.get(set.kind);
    if (!buf) this.buffers.set(set.kind, (buf = new Uint8Array(set.compiled.size)));
    return set.compiled.evaluateFired(facts, buf);
  }

  private runSync<T>(steps: Generator<EvaluationRequest, T, FiredFlags>): T {
    let r = steps.next();
    while (!r.done) r = steps.next(this.fired(r.value.set, r.value.facts));
    return r.value;
  }

  /**
   * @param memo remember, per caller, the segment and the hand-off decision for each distinct
   * IVR result: a caller's rule outcomes depend only on their profile and on what they did in
   * the IVR, so replays of the same caller doing the same thing reuse them (fast path only).
   */
  private *decisionSteps(
    input: CallInput,
    reference: boolean,
    recordedIvr?: IvrResult,
    memo = false,
  ): Generator<EvaluationRequest, Decision, FiredFlags> {
    const rules = this.config.rules;
    const { profile, known, facts, language } = this.profileOf(input);
    const pm = memo && known ? this.runtime.callerMemo(facts) : undefined;
    const segResult = pm?.segResult ?? readRuleSet(rules.segments, yield { set: rules.segments, facts }, facts);
    if (pm) pm.segResult = segResult;
    const segment = segmentOf(rules, segResult);
    const ivr = recordedIvr ?? this.play(reference, segment.id, facts, input, language);
    const key = pm ? handoffKey(ivr, language) : '';
    const remembered = pm?.handoff.get(key);
    if (remembered) return this.decisionOf(input, profile, known, language, segment, ivr, remembered);
    const parts = yield* this.handoffSteps(known, facts, language, segment, segResult, ivr);
    if (pm) this.runtime.rememberHandoff(pm, key, parts);
    return this.decisionOf(input, profile, known, language, segment, ivr, parts);
  }

  /** The hand-off rules for a call out of the IVR: route, tags, SMS and their explanation. */
  private *handoffSteps(
    known: boolean,
    facts: Facts,
    language: Language,
    segment: { id: string; priority: number; rule: string | null },
    segResult: RuleSetResult,
    ivr: IvrResult,
  ): Generator<EvaluationRequest, HandoffParts, FiredFlags> {
    const rules = this.config.rules;
    const cf = callFacts(facts, segment, ivr);
    const handoff = ivr.outcome === 'handoff';
    const results: RuleResults = {
      segments: segResult,
      routing: handoff ? readRuleSet(rules.routing, yield { set: rules.routing, facts: cf }, cf) : EMPTY_RESULT,
      popups: handoff ? readRuleSet(rules.popups, yield { set: rules.popups, facts: cf }, cf) : EMPTY_RESULT,
      sms: readRuleSet(rules.sms, yield { set: rules.sms, facts: cf }, cf),
    };
    return this.handoffParts(known, language, segment, ivr, cf, results);
  }

  profileOf(input: CallInput): { profile: CustomerProfile; known: boolean; facts: Facts; language: Language } {
    let profile: CustomerProfile;
    let known: boolean;
    if (input.profile) {
      profile = input.profile;
      known = true;
    } else {
      ({ profile, known } = this.config.customers.lookup(input.caller ?? ''));
    }
    const facts = this.runtime.factsOf(profile, known);
    return { profile, known, facts, language: input.language ?? profile.language ?? DEFAULT_LANGUAGE };
  }

  private play(reference: boolean, segment: string, facts: Facts, input: CallInput, language: Language): IvrResult {
    const player = reference ? this.runtime.referencePlayer(segment) : this.runtime.player(segment);
    if (!player) throw new Error(`no flow for segment "${segment}"`);
    return player.play(facts, input.keys, {
      language,
      rotation: input.rotation ?? rotationOf(input.callId),
      hangupAtSec: input.hangupInIvrSec,
      transcript: input.transcript ?? false,
    });
  }

  /** The parts of a decision that follow from the rules (shared between calls when memoised). */
  private handoffParts(
    known: boolean,
    language: Language,
    segment: { id: string; priority: number; rule: string | null },
    ivr: IvrResult,
    cf: Facts,
    results: RuleResults,
  ): HandoffParts {
    const rules = this.config.rules;
    const handoff = ivr.outcome === 'handoff';
    const notes: string[] = [];
    if (!known) notes.push('caller not in the customers file: standard treatment');
    if (segment.rule === null) notes.push(`no segmentation rule fired: default segment "${segment.id}"`);
    if (handoff && results.routing.fired.length === 0) notes.push(`no routing rule fired: default queue "${rules.routeDefault.queue}"`);
    return {
      route: handoff ? routeOf(rules, results.routing, segment.priority) : null,
      tags: handoff ? tagsOf(rules, results.popups, cf, language) : [],
      sms: smsOf(rules, results.sms, cf),
      explanation: {
        fired: {
          segments: firedNames(rules.segments, results.segments),
          routing: firedNames(rules.routing, results.routing),
          popups: firedNames(rules.popups, results.popups),
          sms: firedNames(rules.sms, results.sms),
        },
        skipped: [...results.segments.skipped, ...results.routing.skipped, ...results.popups.skipped, ...results.sms.skipped],
        notes,
      },
    };
  }

  private decisionOf(
    input: CallInput,
    profile: CustomerProfile,
    known: boolean,
    language: Language,
    segment: { id: string; priority: number; rule: string | null },
    ivr: IvrResult,
    parts: HandoffParts,
  ): Decision {
    const decision: Decision = {
      callId: input.callId,
      configVersion: this.config.version,
      caller: { phone: profile.phone, known, language },
      segment,
      flow: {
        id: this.config.flows.bySegment.get(segment.id)!.id,
        outcome: ivr.outcome,
        // The fields of ivrOutlineOf, written out: this runs for every replayed call, and a spread costs a few per cent there.
        finalState: ivr.finalState,
        ivrSec: ivr.ivrSec,
        intent: ivr.intent,
        intents: ivr.intents,
        hotKey: ivr.hotKey,
        escalation: ivr.escalation,
        diagnosis: ivr.diagnosis,
        keys: ivr.keys.map((k) => k.key),
      },
      ...parts,
    };
    if (ivr.transcript) decision.transcript = ivr.transcript;
    return decision;
  }

}
