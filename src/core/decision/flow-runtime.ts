import type { Configuration } from '../configuration/configuration.js';
import { FlowStepper } from '../flows/flow-stepper.js';
import { IvrPlayer } from '../flows/ivr-player.js';
import type { IvrResult } from '../flows/ivr-result.js';
import type { CustomerProfile, Language } from '../profile/customer-profile.js';
import { deriveProfileFacts, type Facts } from '../profile/facts.js';
import type { RuleSetResult } from './assemble.js';
import type { StepNode } from '../flows/flow-stepper.js';
import type { CompactDecision, Decision } from './decision.js';

/** The parts of a decision that follow from the hand-off rules (shared between calls when memoised). */
export type HandoffParts = Pick<Decision, 'route' | 'tags' | 'sms' | 'explanation'>;

/** The same parts as a compact decision carries them. */
export type CompactParts = Pick<CompactDecision, 'route' | 'sms' | 'tags'>;

/** What the fast path remembers about one known caller: their segment, and the hand-off per distinct IVR result. */
export interface CallerMemo {
  /** The facts the caller is decided on. */
  readonly facts: Facts;
  segResult?: RuleSetResult;
  segment?: { id: string; priority: number; rule: string | null };
  handoff: Map<string, HandoffParts>;
  /**
   * The compact hand-off per node the caller left the IVR at (the node's context is everything of
   * the IVR the rules read), indexed by outcome and language (`compactSlot`).
   */
  compact: Map<StepNode, (CompactParts | undefined)[]>;
  /** The same by the IVR result's hand-off key (`handoffKey`): end nodes that differ only in what the rules do not read share it. */
  compactByKey: Map<string, CompactParts>;
}

export interface FlowRuntimeOptions {
  /** Memory bound of each flow's memoised steps (see FlowStepper). */
  maxNodes?: number;
}

/**
 * Everything a configuration version remembers while it decides calls, in one object: the
 * memoised IVR steps of each flow (and the lookup of stored live calls among them), the facts
 * derived from each directory profile, and the per-caller memo of rule outcomes. Built once per
 * configuration in each thread that decides calls (the CLI, each replay thread, the service for
 * each installed version); a reload builds a new one, so nothing cached outlives its
 * configuration. The reference players (XState step by step, no memo) live here too, so that
 * both paths play the same flows.
 */
export class FlowRuntime {
  private readonly players = new Map<string, IvrPlayer>();
  private readonly referencePlayers = new Map<string, IvrPlayer>();
  private readonly factsByProfile = new WeakMap<CustomerProfile, Facts>();
  private readonly callers = new WeakMap<Facts, CallerMemo>();
  private readonly memoByProfile = new WeakMap<CustomerProfile, CallerMemo>();
  /**
   * The facts of every caller the customers file lacks, as one object, when nothing in the
   * configuration reads what tells them apart (their number): their steps, prompt durations and
   * hand-offs are then remembered like a directory caller's. Undefined when something reads it.
   */
  readonly unknownCallerFacts: Facts | undefined;

  constructor(
    readonly config: Configuration,
    opts: FlowRuntimeOptions = {},
  ) {
    const stepperOpts = opts.maxNodes === undefined ? {} : { maxNodes: opts.maxNodes };
    for (const f of config.flows.flows.values()) {
      this.players.set(f.segment, new IvrPlayer(new FlowStepper(f, { memo: true, ...stepperOpts }), config.flows.prompts));
      this.referencePlayers.set(f.segment, new IvrPlayer(new FlowStepper(f, { memo: false }), config.flows.prompts));
    }
    this.unknownCallerFacts = factsRead(config).has('phone') ? undefined : deriveProfileFacts({} as CustomerProfile, false);
  }

  /**
   * The facts a caller missing from the customers file is decided on: `unknownCallerFacts` for
   * the bare profile a lookup gives them (the number only), when there is such an object.
   */
  unknownFactsOf(profile: CustomerProfile): Facts {
    const shared = this.unknownCallerFacts;
    if (shared !== undefined && isBare(profile)) return shared;
    return deriveProfileFacts(profile, false);
  }

  /** The memoised player of a segment's flow (the fast path, and live calls). */
  player(segment: string): IvrPlayer | undefined {
    return this.players.get(segment);
  }

  /** The segment's flow played by XState step by step (the reference path). */
  referencePlayer(segment: string): IvrPlayer | undefined {
    return this.referencePlayers.get(segment);
  }

  /** A profile's derived facts. Directory profiles are the same objects call after call: derived once. */
  factsOf(profile: CustomerProfile, known: boolean): Facts {
    let facts = this.factsByProfile.get(profile);
    if (!facts) {
      facts = deriveProfileFacts(profile, known);
      if (known) this.factsByProfile.set(profile, facts);
    }
    return facts;
  }

  /**
   * The memo of a known caller (by their facts object, so it goes with the profile). A caller's
   * rule outcomes depend only on their profile and on what they did in the IVR.
   */
  callerMemo(facts: Facts): CallerMemo {
    let memo = this.callers.get(facts);
    if (!memo) this.callers.set(facts, (memo = { facts, handoff: new Map(), compact: new Map(), compactByKey: new Map() }));
    return memo;
  }

  /** The memo of a directory (or inline) profile, found by the profile in one look-up: the replay's hot path. */
  memoOf(profile: CustomerProfile): CallerMemo {
    let memo = this.memoByProfile.get(profile);
    if (!memo) this.memoByProfile.set(profile, (memo = this.callerMemo(this.factsOf(profile, true))));
    return memo;
  }

  /** Remembers a caller's compact hand-off for the node they left the IVR at (a bounded number per caller). */
  rememberCompactByKey(memo: CallerMemo, key: string, parts: CompactParts): void {
    if (memo.compactByKey.size > 1000) memo.compactByKey.clear();
    memo.compactByKey.set(key, parts);
  }

  rememberCompact(memo: CallerMemo, node: StepNode, slot: number, parts: CompactParts): void {
    let bySlot = memo.compact.get(node);
    if (!bySlot) {
      if (memo.compact.size > 1000) memo.compact.clear();
      memo.compact.set(node, (bySlot = []));
    }
    bySlot[slot] = parts;
  }

  /** Remembers a caller's hand-off for an IVR result (a bounded number per caller). */
  rememberHandoff(memo: CallerMemo, key: string, parts: HandoffParts): void {
    if (memo.handoff.size > 1000) memo.handoff.clear();
    memo.handoff.set(key, parts);
  }
}

/** Everything of an IVR result that hand-off rules can read, as the key of a caller's memo. */
export function handoffKey(ivr: IvrResult, language: Language): string {
  const d = ivr.diagnosis;
  return [ivr.outcome, ivr.intents.join(','), ivr.intent, ivr.hotKey, ivr.escalation, language, d ? `${d.result}|${d.symptom}|${d.outage}|${d.steps.join(',')}` : ''].join('\u0000');
}

/** A profile with nothing but the number (what a lookup gives a caller missing from the customers file). */
function isBare(profile: CustomerProfile): boolean {
  for (const k in profile) if (k !== 'phone') return false;
  return true;
}

/** Every fact something in the configuration reads: rule conditions, flow guards, prompt, tag and SMS texts. */
export function factsRead(config: Configuration): ReadonlySet<string> {
  const out = new Set<string>();
  const rules = config.rules;
  for (const set of [rules.segments, rules.routing, rules.popups, rules.sms]) for (const facts of set.factsByRule) for (const f of facts) out.add(f);
  for (const t of rules.templates.values()) for (const v of t.variables) out.add(v);
  for (const texts of rules.tagTexts.values()) for (const t of Object.values(texts)) for (const v of t!.variables) out.add(v);
  for (const f of config.flows.flows.values()) for (const g of f.guardFacts) out.add(g);
  const prompts = config.flows.prompts;
  for (const id of prompts.ids()) for (const v of prompts.variables(id)) out.add(v);
  return out;
}
