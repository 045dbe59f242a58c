import type { CustomerProfile } from './customer-profile.js';

export type FactType = 'string' | 'number' | 'boolean' | 'string[]';

export interface FactDefinition {
  name: string;
  type: FactType;
  description: string;
  /** Where the fact comes from: the CRM profile, derived from it, or the call itself. */
  source: 'profile' | 'derived' | 'call';
}

const profileFacts: FactDefinition[] = [
  { name: 'phone', type: 'string', source: 'profile', description: 'caller number, E.164' },
  { name: 'name', type: 'string', source: 'profile', description: 'customer name' },
  { name: 'title', type: 'string', source: 'profile', description: 'how the caller is addressed' },
  { name: 'language', type: 'string', source: 'profile', description: 'zh-CN or en-US' },
  { name: 'vipLevel', type: 'string', source: 'profile', description: 'diamond, gold, silver, card or none' },
  { name: 'arpu', type: 'number', source: 'profile', description: 'monthly revenue, CNY' },
  { name: 'dou', type: 'number', source: 'profile', description: 'monthly data use, MB' },
  { name: 'mou', type: 'number', source: 'profile', description: 'monthly minutes' },
  { name: 'plan', type: 'string', source: 'profile', description: 'plan name' },
  { name: 'planDataMb', type: 'number', source: 'profile', description: 'data included in the plan, MB' },
  { name: 'dataUsedMb', type: 'number', source: 'profile', description: 'data used this month, MB' },
  { name: 'network', type: 'string', source: 'profile', description: '5G, 4G, 3G or 2G' },
  { name: 'tenureMonths', type: 'number', source: 'profile', description: 'months as a customer' },
  { name: 'campus', type: 'boolean', source: 'profile', description: 'on a campus (校园网) plan' },
  { name: 'balance', type: 'number', source: 'profile', description: 'account balance, CNY' },
  { name: 'calls24h', type: 'number', source: 'profile', description: 'earlier hotline calls in the last 24 h' },
  { name: 'calls7d', type: 'number', source: 'profile', description: 'earlier hotline calls in the last 7 days' },
  { name: 'complaints90d', type: 'number', source: 'profile', description: 'complaints in the last 90 days' },
  { name: 'areaOutage', type: 'boolean', source: 'profile', description: "an outage is reported in the caller's area" },
  { name: 'region', type: 'string', source: 'profile', description: 'home region' },
  { name: 'timeZone', type: 'string', source: 'profile', description: 'IANA time zone' },
];

const derivedFacts: FactDefinition[] = [
  { name: 'dataUsedPct', type: 'number', source: 'derived', description: 'data used as a whole percentage of plan data' },
  { name: 'dataRemainingGb', type: 'number', source: 'derived', description: 'plan data left this month, GB, one decimal' },
  { name: 'callNumber24h', type: 'number', source: 'derived', description: 'this call is the Nth in 24 h (calls24h + 1)' },
  { name: 'known', type: 'boolean', source: 'derived', description: 'the caller was found in the customers file' },
];

/** Facts about the call, known at hand-off: what the caller did in the IVR. */
const callFacts: FactDefinition[] = [
  { name: 'segment', type: 'string', source: 'call', description: 'segment decided by rules/segments.json' },
  { name: 'segmentPriority', type: 'number', source: 'call', description: 'queue priority of the segment' },
  { name: 'outcome', type: 'string', source: 'call', description: 'selfServed or handoff' },
  { name: 'intent', type: 'string', source: 'call', description: 'last task the caller chose (e.g. data-balance, bill, diagnosis, agent)' },
  { name: 'intents', type: 'string[]', source: 'call', description: 'every task the caller chose, in order' },
  { name: 'hotKey', type: 'string', source: 'call', description: 'hot key used, if any' },
  { name: 'escalation', type: 'string', source: 'call', description: 'noInput or invalidInput when retries ran out' },
  { name: 'diagnosisResult', type: 'string', source: 'call', description: 'fixed, notFixed, outage or agent' },
  { name: 'diagnosisSymptom', type: 'string', source: 'call', description: 'noSignal, slowData or cannotCall' },
  { name: 'diagnosisSteps', type: 'string[]', source: 'call', description: 'guided steps tried' },
];

export const FACTS: readonly FactDefinition[] = [...profileFacts, ...derivedFacts, ...callFacts];
export const FACT_NAMES: ReadonlySet<string> = new Set(FACTS.map((f) => f.name));
/** Facts available before the IVR runs (segmentation and flow guards may only use these). */
export const PROFILE_FACT_NAMES: ReadonlySet<string> = new Set(
  FACTS.filter((f) => f.source !== 'call').map((f) => f.name),
);

export type Facts = Record<string, unknown>;

/**
 * The profile plus the facts derived from it. Missing profile fields stay absent (not null)
 * so rules can tell "unknown" from a value.
 */
export function deriveProfileFacts(profile: CustomerProfile, known: boolean): Facts {
  const facts: Facts = {};
  for (const [k, v] of Object.entries(profile)) if (v !== undefined && v !== null) facts[k] = v;
  if (typeof profile.dataUsedMb === 'number' && typeof profile.planDataMb === 'number' && profile.planDataMb > 0) {
    facts['dataUsedPct'] = Math.round((profile.dataUsedMb / profile.planDataMb) * 100);
    facts['dataRemainingGb'] = Math.max(0, Math.round((profile.planDataMb - profile.dataUsedMb) / 102.4) / 10);
  }
  if (typeof profile.calls24h === 'number') facts['callNumber24h'] = profile.calls24h + 1;
  facts['known'] = known;
  return facts;
}
