import type { Configuration } from '../config/configuration.js';
import { walkCall, type IvrResult, type KeyPress } from '../flows/call-walker.js';
import { FlowStepper } from '../flows/flow-stepper.js';
import { DEFAULT_LANGUAGE, type CustomerProfile, type Language } from '../profile/customer-profile.js';
import { deriveProfileFacts, type Facts } from '../profile/facts.js';
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
} from './assemble.js';
import type { Decision } from './decision.js';

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

/** FNV-1a: a stable, fast hash of the call id, so rolling promotions rotate reproducibly. */
export function rotationOf(callId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < callId.length; i++) {
    h ^= callId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
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
  private readonly steppers = new Map<string, FlowStepper>();
  private readonly referenceSteppers = new Map<string, FlowStepper>();
  private readonly buffers = new Map<RuleKind, Uint8Array>();

  constructor(readonly config: Configuration) {
    for (const f of config.flows.flows.values()) {
      this.steppers.set(f.segment, new FlowStepper(f, { memo: true }));
      this.referenceSteppers.set(f.segment, new FlowStepper(f, { memo: false }));
    }
  }

  decide(input: CallInput): Decision {
    return this.runSync(this.decisionSteps(input, this.steppers));
  }

  async decideReference(input: CallInput): Promise<Decision> {
    const steps = this.decisionSteps(input, this.referenceSteppers);
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
    return this.runSync(this.decisionSteps(input, this.steppers, ivr));
  }

  private runSync(steps: Generator<EvaluationRequest, Decision, FiredFlags>): Decision {
    let r = steps.next();
    while (!r.done) {
      const { set, facts } = r.value;
      let buf = this.buffers.get(set.kind);
      if (!buf) this.buffers.set(set.kind, (buf = new Uint8Array(set.compiled.size)));
      r = steps.next(set.compiled.evaluateFired(facts, buf));
    }
    return r.value;
  }

  private *decisionSteps(
    input: CallInput,
    steppers: Map<string, FlowStepper>,
    recordedIvr?: IvrResult,
  ): Generator<EvaluationRequest, Decision, FiredFlags> {
    const rules = this.config.rules;
    const { profile, known, facts, language } = this.profileOf(input);
    const segResult = readRuleSet(rules.segments, yield { set: rules.segments, facts }, facts);
    const segment = segmentOf(rules, segResult);
    const ivr = recordedIvr ?? this.walk(steppers, segment.id, facts, input, language);
    const cf = callFacts(facts, segment, ivr);
    const handoff = ivr.outcome === 'handoff';
    const results: RuleResults = {
      segments: segResult,
      routing: handoff ? readRuleSet(rules.routing, yield { set: rules.routing, facts: cf }, cf) : EMPTY_RESULT,
      popups: handoff ? readRuleSet(rules.popups, yield { set: rules.popups, facts: cf }, cf) : EMPTY_RESULT,
      sms: readRuleSet(rules.sms, yield { set: rules.sms, facts: cf }, cf),
    };
    return this.assemble(input, profile, known, language, segment, ivr, cf, results);
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
    const facts = deriveProfileFacts(profile, known);
    return { profile, known, facts, language: input.language ?? profile.language ?? DEFAULT_LANGUAGE };
  }

  walk(steppers: Map<string, FlowStepper>, segment: string, facts: Facts, input: CallInput, language: Language): IvrResult {
    const stepper = steppers.get(segment);
    if (!stepper) throw new Error(`no flow for segment "${segment}"`);
    return walkCall(stepper, this.config.flows.prompts, {
      facts,
      keys: input.keys,
      language,
      rotation: input.rotation ?? rotationOf(input.callId),
      hangupInIvrSec: input.hangupInIvrSec,
      transcript: input.transcript ?? false,
    });
  }

  assemble(
    input: CallInput,
    profile: CustomerProfile,
    known: boolean,
    language: Language,
    segment: { id: string; priority: number; rule: string | null },
    ivr: IvrResult,
    cf: Facts,
    results: RuleResults,
  ): Decision {
    const rules = this.config.rules;
    const handoff = ivr.outcome === 'handoff';
    const notes: string[] = [];
    if (!known) notes.push('caller not in the customers file: standard treatment');
    if (segment.rule === null) notes.push(`no segmentation rule fired: default segment "${segment.id}"`);
    if (handoff && results.routing.fired.length === 0) notes.push(`no routing rule fired: default queue "${rules.routeDefault.queue}"`);
    const decision: Decision = {
      callId: input.callId,
      configVersion: this.config.version,
      caller: { phone: profile.phone, known, language },
      segment,
      flow: {
        id: this.config.flows.bySegment.get(segment.id)!.id,
        outcome: ivr.outcome,
        finalState: ivr.finalState,
        ivrSec: ivr.ivrSec,
        intent: ivr.intent,
        intents: ivr.intents,
        hotKey: ivr.hotKey,
        escalation: ivr.escalation,
        diagnosis: ivr.diagnosis,
        keys: ivr.keys.map((k) => k.key),
      },
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
    if (ivr.transcript) decision.transcript = ivr.transcript;
    return decision;
  }
}
