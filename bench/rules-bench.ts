/**
 * Evaluations per second of a realistic routing rule set: json-rules-engine
 * (the reference) against the compiled rule set, measured in the same process
 * on the same caller profiles. Prints the median of five timed rounds each.
 *
 * Build and run (see the report printed at the end for the figures):
 *   npx tsc -p tsconfig.json --outDir /tmp/rb; echo '{"type":"module"}' > /tmp/rb/package.json
 *   ln -sfn "$PWD/node_modules" /tmp/rb/node_modules && node /tmp/rb/bench/rules-bench.js
 */

import { compileRuleSet } from '../src/core/rules/compiled-rule-set.js';
import { createReferenceRuleSet } from '../src/core/rules/reference-rule-set.js';
import type { Facts, RuleProperties } from '../src/core/rules/rule-types.js';
import { mulberry32 } from '../tests/helpers/random.js';

const ROUNDS = 5;
const REFERENCE_ROUND_MS = 1500;
const COMPILED_ROUND_MS = 1000;
const PROFILES = 4096;

const c = (fact: string, operator: string, value: unknown, extra: Record<string, unknown> = {}) => ({
  fact,
  operator,
  value,
  ...extra,
});

/** Twenty rules of the kinds the replayer runs: segmentation, routing, pop-up tags, SMS triggers. */
const RULES = [
  { name: 'segment-diamond', priority: 10, conditions: { any: [c('tier', 'equal', 'diamond'), c('monthlySpend', 'greaterThanInclusive', 150)] }, event: { type: 'segment', params: { segment: 'diamond' } } },
  { name: 'segment-business', priority: 9, conditions: { all: [c('segment', 'equal', 'business'), c('tier', 'in', ['gold', 'platinum', 'diamond'])] }, event: { type: 'segment', params: { segment: 'business-premium' } } },
  { name: 'segment-campus', priority: 9, conditions: { all: [c('segment', 'equal', 'campus'), c('tenureMonths', 'lessThan', 48)] }, event: { type: 'segment', params: { segment: 'campus' } } },
  { name: 'route-vip-hotkey', priority: 8, conditions: { all: [c('tier', 'in', ['platinum', 'diamond']), c('ivrPath', 'contains', '0')] }, event: { type: 'route', params: { queue: 'vip' } } },
  { name: 'route-roaming', priority: 8, conditions: { all: [c('isRoaming', 'equal', true), { any: [c('ivrPath', 'contains', '3'), c('tags', 'contains', 'roaming-issue')] }] }, event: { type: 'route', params: { queue: 'roaming' } } },
  { name: 'route-language', priority: 7, conditions: { all: [c('language', 'notIn', ['fr', 'en'])] }, event: { type: 'route', params: { queue: 'multilingual' } } },
  { name: 'route-retention', priority: 7, conditions: { all: [c('churnScore', 'greaterThan', 0.7), c('plan', 'lessThan', 60, { path: '$.contractEndDays' }), { not: c('segment', 'equal', 'business') }] }, event: { type: 'route', params: { queue: 'retention' } } },
  { name: 'route-repeat-caller', priority: 6, conditions: { all: [c('daysSinceLastContact', 'lessThanInclusive', 2), c('openTickets', 'greaterThan', 0)] }, event: { type: 'route', params: { queue: 'escalation' } } },
  { name: 'route-after-hours', priority: 6, conditions: { any: [c('hourOfDay', 'lessThan', 8), c('hourOfDay', 'greaterThanInclusive', 20)] }, event: { type: 'route', params: { queue: 'night' } } },
  { name: 'route-business-line', priority: 5, conditions: { all: [c('dialledNumber', 'in', ['3900', '3901', '3902', '3903', '3904', '3905', '3906', '3907', '3908', '3909'])] }, event: { type: 'route', params: { queue: 'business' } } },
  { name: 'tag-over-allowance', conditions: { all: [c('dataUsageGb', 'greaterThan', { fact: 'plan', path: '$.allowanceGb' })] }, event: { type: 'popup-tag', params: { tag: 'over-allowance' } } },
  { name: 'tag-new-customer', conditions: { all: [c('tenureMonths', 'lessThan', 3)] }, event: { type: 'popup-tag', params: { tag: 'new' } } },
  { name: 'tag-high-value', conditions: { all: [c('monthlySpend', 'greaterThan', 80), { not: c('tier', 'equal', 'standard') }] }, event: { type: 'popup-tag', params: { tag: 'high-value' } } },
  { name: 'tag-complaint-history', conditions: { any: [c('tags', 'someFact:in', ['complaint', 'ombudsman', 'legal'])] }, event: { type: 'popup-tag', params: { tag: 'complaints' } } },
  { name: 'tag-contract-ending', conditions: { all: [c('plan', 'lessThanInclusive', 30, { path: '$.contractEndDays' }), c('plan', 'notEqual', 'prepaid', { path: '$.name' })] }, event: { type: 'popup-tag', params: { tag: 'renewal' } } },
  { name: 'sms-roaming-bundle', conditions: { all: [c('isRoaming', 'equal', true), { not: c('tags', 'contains', 'roaming-bundle') }, c('region', 'notIn', ['EU', 'UK'])] }, event: { type: 'sms', params: { template: 'roaming-bundle-offer' } } },
  { name: 'sms-ticket-followup', conditions: { all: [c('openTickets', 'greaterThanInclusive', 2)] }, event: { type: 'sms', params: { template: 'ticket-followup' } } },
  { name: 'sms-upgrade-offer', conditions: { all: [c('dataUsageGb', 'greaterThan', 40), c('tier', 'in', ['standard', 'gold']), c('churnScore', 'lessThan', 0.5)] }, event: { type: 'sms', params: { template: 'upgrade' } } },
  { name: 'sms-survey', conditions: { all: [c('daysSinceLastContact', 'greaterThan', 90), c('language', 'in', ['fr', 'en'])] }, event: { type: 'sms', params: { template: 'survey' } } },
  { name: 'sms-missing-profile', conditions: { any: [c('tier', 'equal', undefined), c('plan', 'equal', undefined)] }, event: { type: 'sms', params: { template: 'complete-profile' } } },
] as unknown as RuleProperties[];

/** Sixteen facts per caller, some missing as in real CRM extracts. */
function profiles(count: number): Facts[] {
  const r = mulberry32(42);
  const maybe = <T>(value: T): T | undefined => (r.chance(0.05) ? undefined : value);
  return Array.from({ length: count }, () => {
    const facts: Record<string, unknown> = {
      tier: maybe(r.pick(['standard', 'standard', 'gold', 'platinum', 'diamond'])),
      segment: r.pick(['consumer', 'consumer', 'business', 'campus']),
      tenureMonths: r.int(0, 180),
      monthlySpend: Math.round(r.next() * 20000) / 100,
      dataUsageGb: Math.round(r.next() * 8000) / 100,
      openTickets: r.int(0, 3),
      daysSinceLastContact: r.int(0, 365),
      isRoaming: r.chance(0.1),
      language: r.pick(['fr', 'fr', 'en', 'de', 'ar']),
      region: r.pick(['EU', 'UK', 'US', 'MENA', 'APAC']),
      plan: maybe({ name: r.pick(['prepaid', 'smart', 'max']), contractEndDays: r.int(0, 720), allowanceGb: r.pick([10, 50, 100]) }),
      tags: Array.from({ length: r.int(0, 3) }, () => r.pick(['complaint', 'roaming-bundle', 'roaming-issue', 'family', 'legal', 'vip-event'])),
      churnScore: Math.round(r.next() * 100) / 100,
      dialledNumber: r.pick(['3900', '3905', '3000', '3100', '1414']),
      hourOfDay: r.int(0, 23),
      ivrPath: Array.from({ length: r.int(1, 4) }, () => String(r.int(0, 9))),
    };
    return facts;
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const callers = profiles(PROFILES);
  const reference = createReferenceRuleSet(RULES);
  const compiled = compileRuleSet(RULES);

  // The figures mean nothing unless both decide the same on this workload.
  for (const facts of callers) {
    const expected = (await reference.evaluate(facts)).map((o) => o.fired);
    const actual = compiled.evaluate(facts).map((o) => o.fired);
    if (expected.join() !== actual.join()) throw new Error(`evaluators disagree on ${JSON.stringify(facts)}`);
  }

  const referenceRounds: number[] = [];
  const compiledRounds: number[] = [];
  const firedRounds: number[] = [];
  let sink = 0;
  const buffer = new Uint8Array(compiled.size);

  for (let round = 0; round < ROUNDS; round++) {
    let n = 0;
    let start = performance.now();
    while (performance.now() - start < REFERENCE_ROUND_MS) {
      const outcomes = await reference.evaluate(callers[n++ % PROFILES]!);
      sink += outcomes.length;
    }
    referenceRounds.push((n * 1000) / (performance.now() - start));

    n = 0;
    start = performance.now();
    while (performance.now() - start < COMPILED_ROUND_MS) {
      for (let k = 0; k < 1000; k++) sink += compiled.evaluate(callers[n++ % PROFILES]!).length;
    }
    compiledRounds.push((n * 1000) / (performance.now() - start));

    n = 0;
    start = performance.now();
    while (performance.now() - start < COMPILED_ROUND_MS) {
      for (let k = 0; k < 1000; k++) sink += compiled.evaluateFired(callers[n++ % PROFILES]!, buffer)[0]!;
    }
    firedRounds.push((n * 1000) / (performance.now() - start));
  }

  const fmt = (x: number): string => Math.round(x).toLocaleString('en-GB');
  const ref = median(referenceRounds);
  const comp = median(compiledRounds);
  const fired = median(firedRounds);
  console.log(`rule set: ${RULES.length} rules, 16 facts, ${PROFILES} caller profiles, node ${process.version}`);
  console.log(`json-rules-engine          ${fmt(ref).padStart(12)} evaluations/s   rounds: ${referenceRounds.map(fmt).join(', ')}`);
  console.log(`compiled evaluate()        ${fmt(comp).padStart(12)} evaluations/s   rounds: ${compiledRounds.map(fmt).join(', ')}   x${(comp / ref).toFixed(0)}`);
  console.log(`compiled evaluateFired()   ${fmt(fired).padStart(12)} evaluations/s   rounds: ${firedRounds.map(fmt).join(', ')}   x${(fired / ref).toFixed(0)}`);
  if (sink === -1) console.log(sink);
}

await main();
