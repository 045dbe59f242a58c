import { maskPhone } from '../customers/customer-directory.js';
import type { Decision } from '../decision/decision.js';
import { ivrOutlineOf } from '../flows/ivr-result.js';
import type { Handoff } from '../telephony/turn.js';
import type { CustomerProfile, Language } from '../profile/customer-profile.js';
import type { Facts } from '../profile/facts.js';

/** Bumped when the event's shape changes incompatibly; desktops can ignore formats they do not know. */
export const SCREEN_POP_FORMAT = 1;

/**
 * The caller as the agent sees them when the call rings: how to address them and what matters
 * for the conversation. The number is masked; fields the CRM does not have are null.
 */
export interface ProfileCard {
  phone: string;
  known: boolean;
  name: string | null;
  title: string | null;
  segment: string;
  vipLevel: string | null;
  plan: string | null;
  network: string | null;
  /** Data used this month as a whole percentage of the plan's data. */
  dataUsedPct: number | null;
  /** CNY. */
  balance: number | null;
  tenureMonths: number | null;
  calls24h: number | null;
  calls7d: number | null;
  complaints90d: number | null;
  areaOutage: boolean | null;
  region: string | null;
  language: Language;
}

/** What the caller did in the IVR before asking for (or being sent to) an agent. */
export interface IvrSummary {
  flowId: string;
  finalState: string;
  ivrSec: number;
  intent: string | null;
  intents: string[];
  hotKey: string | null;
  escalation: string | null;
  diagnosis: Decision['flow']['diagnosis'];
  keys: string[];
}

/** One call handed to a queue, as pushed to the desktops of the agents serving that queue. */
export interface ScreenPop {
  format: typeof SCREEN_POP_FORMAT;
  callSid: string;
  queue: string;
  priority: number;
  overflow: Handoff['overflow'];
  segment: string;
  tags: Handoff['tags'];
  customer: ProfileCard;
  /** Null when the call was queued after a fault, before its flow could decide. */
  ivr: IvrSummary | null;
  /** Set when the call was queued because something failed, not by the rules. */
  fault: string | null;
  configVersion: string | null;
  /** When the call was queued, ISO 8601 (UTC). */
  at: string;
}

export interface ScreenPopInput {
  callSid: string;
  handoff: Handoff;
  /** Null after a fault. */
  decision: Decision | null;
  configVersion: string | null;
  /** The caller's CRM profile and the facts derived from it (what the rules saw); phone '' when the caller is not known (a fault). */
  profile: CustomerProfile;
  known: boolean;
  facts: Facts;
  language: Language;
  nowMs: number;
}

/** Builds the event for one hand-off. Pure: the same hand-off gives the same event. */
export function screenPopOf(input: ScreenPopInput): ScreenPop {
  const { handoff, decision } = input;
  return {
    format: SCREEN_POP_FORMAT,
    callSid: input.callSid,
    queue: handoff.queue,
    priority: handoff.priority,
    overflow: handoff.overflow,
    segment: handoff.segment,
    tags: handoff.tags.map((t) => ({ key: t.key, text: t.text, severity: t.severity, rule: t.rule })),
    customer: input.profile.phone
      ? profileCardOf(input.profile, input.known, input.facts, handoff.segment, input.language)
      : { ...profileCardOf(input.profile, false, {}, handoff.segment, input.language), phone: handoff.customer.phone },
    ivr: decision ? ivrSummaryOf(decision) : null,
    fault: handoff.fault,
    configVersion: input.configVersion,
    at: new Date(input.nowMs).toISOString(),
  };
}

export function profileCardOf(profile: CustomerProfile, known: boolean, facts: Facts, segment: string, language: Language): ProfileCard {
  const pct = facts['dataUsedPct'];
  return {
    phone: maskPhone(profile.phone),
    known,
    name: profile.name ?? null,
    title: profile.title ?? null,
    segment,
    vipLevel: profile.vipLevel ?? null,
    plan: profile.plan ?? null,
    network: profile.network ?? null,
    dataUsedPct: typeof pct === 'number' ? pct : null,
    balance: profile.balance ?? null,
    tenureMonths: profile.tenureMonths ?? null,
    calls24h: profile.calls24h ?? null,
    calls7d: profile.calls7d ?? null,
    complaints90d: profile.complaints90d ?? null,
    areaOutage: profile.areaOutage ?? null,
    region: profile.region ?? null,
    language,
  };
}

function ivrSummaryOf(d: Decision): IvrSummary {
  const f = d.flow;
  return { flowId: f.id, ...ivrOutlineOf(f), keys: f.keys };
}
