import type { Configuration } from '../configuration/configuration.js';
import type { CallDecider } from '../decision/call-decider.js';
import type { LoadedFlow } from '../flows/flow-loader.js';
import type { CustomerProfile } from '../profile/customer-profile.js';
import { deriveProfileFacts, type Facts } from '../profile/facts.js';
import { guardAnswers } from './flow-exploration.js';

/** A customer of the customers file with the facts the decision derives for them. */
export interface SampleCaller {
  profile: CustomerProfile;
  facts: Facts;
  segment: string;
}

/** Every customer of the customers file, with their segment, in file order. */
export function sampleCallers(config: Configuration, decider: CallDecider): SampleCaller[] {
  return [...config.customers.all()].map((profile) => ({
    profile,
    facts: deriveProfileFacts(profile, true),
    segment: decider.segmentFor({ profile }).id,
  }));
}

/**
 * The first customer of the flow's segment for whom its guards answer as they do for `facts`,
 * so that the same keys take them the same way (a path found with `{areaOutage: true}` needs
 * a caller in an outage area; one found with `{}` needs a caller outside one).
 */
export function callerFor(callers: readonly SampleCaller[], flow: LoadedFlow, facts: Facts): SampleCaller | undefined {
  const want = guardAnswers(flow, facts);
  return callers.find((c) => c.segment === flow.segment && guardAnswers(flow, c.facts) === want);
}

/** `{areaOutage: true}` → "areaOutage=true". */
export function factsText(facts: Facts): string {
  return Object.entries(facts)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}
