import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfiguration, type Configuration } from '../../src/core/configuration/configuration.js';
import { CallDecider, rotationOf, type CallInput } from '../../src/core/decision/call-decider.js';
import type { CompactDecision, Decision } from '../../src/core/decision/decision.js';
import { DTMF_KEYS } from '../../src/core/flows/flow-types.js';
import { parseKeys, type KeyPress } from '../../src/core/flows/key-presses.js';
import type { Language } from '../../src/core/profile/customer-profile.js';
import { compactDecision, decideTraceCall, type DecideInput } from '../../src/core/replay/compact-decision.js';
import { loadCallerBehaviour } from '../../src/core/trace/caller-behaviour.js';
import { CallerPopulation } from '../../src/core/trace/caller-population.js';
import { TraceGenerator } from '../../src/core/trace/trace-generator.js';
import { copyConfig } from '../helpers/config-copy.js';
import { mulberry32 } from '../helpers/seeded-random.js';
import { profileFor, SEGMENTS, shippedConfig } from '../helpers/shipped.js';

/**
 * The replay's compact path (`decideCompact`: tables of prompt durations, compact hand-offs
 * remembered per end node, one set of facts for unknown callers) against the reference path
 * (XState step by step, json-rules-engine), for the same call.
 */
async function expectSame(fast: CallDecider, reference: CallDecider, call: DecideInput, seed: number, what: string, seen?: Seen): Promise<void> {
  const rotation = rotationOf(`${seed}:${call.callId}`);
  const input: CallInput = { ...call, rotation };
  const d = await reference.decideReference(input);
  const expected: CompactDecision = compactDecision(d);
  if (d.sms.length > 0) {
    const { timeZone } = reference.profileOf(input).profile;
    expected.recipient = timeZone === undefined ? { phone: d.caller.phone } : { phone: d.caller.phone, timeZone };
  }
  expect(decideTraceCall(fast, seed, call, true), what).toStrictEqual(expected);
  seen?.add(d);
}

/** What the compared calls went through, so that a test can say it covered the edge cases. */
class Seen {
  readonly outcomes = new Set<string>();
  readonly escalations = new Set<string | null>();
  readonly languages = new Set<Language>();
  hotKeys = 0;
  diagnoses = 0;
  unknown = 0;
  count = 0;
  add(d: Decision): void {
    this.count++;
    this.outcomes.add(d.flow.outcome);
    this.escalations.add(d.flow.escalation);
    this.languages.add(d.caller.language);
    if (d.flow.hotKey !== null) this.hotKeys++;
    if (d.flow.diagnosis !== null) this.diagnoses++;
    if (!d.caller.known) this.unknown++;
  }
}

/** Random keys: mostly menu keys, some invalid ones, timings from barge-in to long after the timeout, sometimes none. */
function randomKeys(next: () => number): KeyPress[] {
  const n = Math.floor(next() * 8);
  const keys: KeyPress[] = [];
  for (let k = 0; k < n; k++) {
    const key = next() < 0.8 ? '01234569'[Math.floor(next() * 8)]! : DTMF_KEYS[Math.floor(next() * DTMF_KEYS.length)]!;
    keys.push(next() < 0.3 ? { key } : { key, afterSec: Math.round(next() * 400) / 10 });
  }
  return keys;
}

function randomCall(next: () => number, callId: string, who: Pick<DecideInput, 'caller' | 'profile'>): DecideInput {
  const call: DecideInput = { callId, keys: randomKeys(next), ...who };
  const r = next();
  if (r < 0.2) call.language = 'en-US';
  else if (r < 0.3) call.language = 'zh-CN';
  if (next() < 0.15) call.hangupInIvrSec = Math.round(next() * 400) / 10;
  return call;
}

describe('a replay decides each call exactly as the reference path does', () => {
  const config = shippedConfig();
  const customers = [...config.customers.all()];

  it('for every sample customer, with random keys, timings, languages and hang-ups in the IVR', async () => {
    const next = mulberry32(11);
    const fast = new CallDecider(config);
    const reference = new CallDecider(config);
    const seen = new Seen();
    for (let round = 0; round < 4; round++) {
      for (const [i, c] of customers.entries()) {
        const call = randomCall(next, `cmp-${round}-${i}`, { caller: c.phone });
        await expectSame(fast, reference, call, round, `customer ${c.phone}, ${JSON.stringify(call)}`, seen);
      }
    }
    expect(seen.count).toBe(customers.length * 4);
    expect([...seen.outcomes].sort()).toEqual(['handoff', 'hangup', 'selfServed']);
    expect(seen.escalations).toEqual(new Set([null, 'noInput', 'invalidInput']));
    expect(seen.languages).toEqual(new Set(['zh-CN', 'en-US']));
    expect(seen.hotKeys).toBeGreaterThan(10);
    expect(seen.diagnoses).toBeGreaterThan(10);
  });

  it('for callers missing from the customers file (numbers written several ways) and inline profiles of every segment', async () => {
    const next = mulberry32(12);
    const fast = new CallDecider(config);
    const reference = new CallDecider(config);
    const seen = new Seen();
    for (let i = 0; i < 400; i++) {
      const digits = String(Math.floor(next() * 1e8)).padStart(8, '0');
      const caller = ['+86139', '139', '0086139', '86 139 '][i % 4]! + digits;
      await expectSame(fast, reference, randomCall(next, `unknown-${i}`, { caller }), 1, `unknown caller ${caller}`, seen);
    }
    for (let i = 0; i < 200; i++) {
      const segment = SEGMENTS[i % SEGMENTS.length]!;
      const profile = profileFor(segment, next() < 0.5 ? { language: 'en-US', timeZone: 'Asia/Shanghai' } : { calls24h: 3 });
      await expectSame(fast, reference, randomCall(next, `inline-${i}`, { profile }), 2, `inline ${segment}`, seen);
    }
    expect(seen.unknown).toBe(400);
    expect([...seen.outcomes].sort()).toEqual(['handoff', 'hangup', 'selfServed']);
  });

  it('for the same caller and keys under every rolling promotion (the rotation changes what they hear, and for how long)', async () => {
    const fast = new CallDecider(config);
    const reference = new CallDecider(config);
    const ivrSecs = new Set<number>();
    const rotating = customers.filter((c) => ['vip-diamond', 'vip-gold', '4g'].includes(fast.segmentFor({ caller: c.phone }).id)).slice(0, 6);
    expect(rotating.length).toBeGreaterThan(0);
    for (const c of rotating) {
      for (const language of ['zh-CN', 'en-US'] as const) {
        for (let id = 0; id < 12; id++) {
          const call: DecideInput = { callId: `promo-${id}`, caller: c.phone, keys: parseKeys('0'), language };
          await expectSame(fast, reference, call, 3, `${c.phone} ${language} promo-${id}`);
          ivrSecs.add(decideTraceCall(fast, 3, call, false)!.ivrSec);
        }
      }
    }
    expect(ivrSecs.size).toBeGreaterThan(2);
  });

  it('for generated traces (the shipped caller behaviour: hot keys, self-diagnosis, timeouts, hang-ups mid-IVR, unknown callers)', async () => {
    const fast = new CallDecider(config);
    const reference = new CallDecider(config);
    const behaviour = loadCallerBehaviour(join(import.meta.dirname, '..', '..', 'data', 'caller-behaviour.json'));
    const generator = new TraceGenerator({ calls: 3000, seed: 5, rate: { ratePerHour: 1200 }, population: CallerPopulation.fromConfiguration(config), behaviour, unknownShare: 0.1 });
    const seen = new Seen();
    for (const line of generator) {
      const call: DecideInput = { callId: line.callId, caller: line.caller!, keys: typeof line.keys === 'string' ? parseKeys(line.keys) : (line.keys ?? []) };
      if (line.hangupInIvrSec !== undefined) call.hangupInIvrSec = line.hangupInIvrSec;
      await expectSame(fast, reference, call, 9, `${line.callId} ${line.caller} ${JSON.stringify(line.keys)}`, seen);
    }
    expect(seen.count).toBe(3000);
    expect(seen.unknown).toBeGreaterThan(100);
    expect([...seen.outcomes].sort()).toEqual(['handoff', 'hangup', 'selfServed']);
    expect(seen.hotKeys).toBeGreaterThan(0);
    expect(seen.diagnoses).toBeGreaterThan(0);
  });
});

describe('callers missing from the customers file share their facts only when nothing reads their number', () => {
  const copy = copyConfig();
  afterAll(() => copy.remove());

  it('a routing rule on the number keeps them apart, and each is routed as the reference routes them', async () => {
    copy.edit('rules/routing.json', (doc: { rules: unknown[] }) => {
      doc.rules.unshift({
        name: 'known-prankster',
        priority: 1000,
        conditions: { all: [{ fact: 'phone', operator: 'equal', value: '+8613900000042' }] },
        event: { type: 'route', params: { queue: 'tech' } },
      });
    });
    const config: Configuration = loadConfiguration(copy.paths);
    const fast = new CallDecider(config);
    const reference = new CallDecider(config);
    expect(fast.runtime.unknownCallerFacts).toBeUndefined();
    expect(new CallDecider(shippedConfig()).runtime.unknownCallerFacts).toBeDefined();
    const queues = new Set<string | undefined>();
    for (const caller of ['+8613900000041', '+8613900000042', '+8613900000043', '+8613900000042']) {
      const call: DecideInput = { callId: `p-${caller}`, caller, keys: parseKeys('0') };
      await expectSame(fast, reference, call, 1, caller);
      queues.add(decideTraceCall(fast, 1, call, false)!.route?.queue);
    }
    expect(queues.has('tech')).toBe(true);
    expect(queues.size).toBe(2);
  });
});
