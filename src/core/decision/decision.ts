import type { IvrResult, TranscriptEntry } from '../flows/ivr-result.js';
import type { Language } from '../profile/customer-profile.js';
import type { OverflowStep, RuleKind } from '../rules/rule-files.js';

/** A rule that did not fire because the profile lacks facts it reads. */
export interface SkippedRule {
  ruleSet: RuleKind;
  rule: string;
  missingFacts: string[];
}

export interface RoutedTo {
  queue: string;
  priority: number;
  overflow: Required<OverflowStep>[];
  /** Rule that chose the route; null when the routing default applied. */
  rule: string | null;
}

export interface PopupTag {
  key: string;
  text: string;
  severity: 'info' | 'warning' | 'critical';
  rule: string;
}

export interface SmsRequest {
  template: string;
  class: 'service' | 'marketing';
  /** Values of the template's variables, as known at decision time. */
  vars: Record<string, unknown>;
  rule: string;
}

/** Everything decided about one call, and why. */
export interface Decision {
  callId: string;
  /** Content hash of the flows and rules that made the decision. */
  configVersion: string;
  caller: { phone: string; known: boolean; language: Language };
  segment: { id: string; priority: number; rule: string | null };
  /** What the caller did in the flow (the IVR result without key timings). */
  flow: Pick<IvrResult, 'outcome' | 'finalState' | 'ivrSec' | 'intent' | 'intents' | 'hotKey' | 'escalation' | 'diagnosis'> & {
    id: string;
    keys: string[];
  };
  /** Where a handed-off call queues; null when the caller self-served or hung up. */
  route: RoutedTo | null;
  /** Pop-up tags for the agent's screen (hand-offs only). */
  tags: PopupTag[];
  sms: SmsRequest[];
  explanation: {
    /** Rules that fired, per rule set, by precedence. */
    fired: Record<RuleKind, string[]>;
    skipped: SkippedRule[];
    notes: string[];
  };
  transcript?: TranscriptEntry[];
}

/**
 * What a replay keeps of a decision: exactly what the contact centre, the KPIs, the contact
 * policy, compare's differ and staff's forecaster read. Plain data, the same whether the call
 * was decided in the replay's thread or in a worker (see decided-batch-wire.ts).
 */
export interface CompactDecision {
  segment: string;
  outcome: IvrResult['outcome'];
  ivrSec: number;
  hotKey: string | null;
  /** Where a handed-off call queues; null when the caller self-served or hung up. */
  route: Pick<RoutedTo, 'queue' | 'priority' | 'overflow'> | null;
  sms: readonly Pick<SmsRequest, 'template' | 'class'>[];
  /** Keys of the pop-up tags. */
  tags: readonly string[];
  /** Whom the SMS would go to, for a scenario's contact policy: only then, and only when the call asks for SMS. */
  recipient?: { phone: string; timeZone?: string };
}
