import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfiguration, type Configuration } from '../../src/core/configuration/configuration.js';
import { CustomerDirectory } from '../../src/core/customers/customer-directory.js';
import { CallDecider, rotationOf } from '../../src/core/decision/call-decider.js';
import { loadFlowTests, type FlowTestScenario } from '../../src/core/designer/flow-test-file.js';
import { MemoryTraceSink } from '../../src/core/telephony/call-recording.js';
import { MemoryCallStateStore } from '../../src/core/telephony/call-state-store.js';
import { ManualClock } from '../../src/core/time/clock.js';
import { ConfigVersions } from '../../src/core/telephony/config-versions.js';
import { LiveCallCoordinator } from '../../src/core/telephony/live-call-coordinator.js';
import type { CustomerProfile } from '../../src/core/profile/customer-profile.js';
import { callSid as makeCallSid } from '../helpers/twilio.js';
import { playCaller } from './live-driver.js';

/** A number for scenario i's inline profile, so that a live call (which only has a caller number) finds it. */
const phoneOf = (i: number) => `+86139${String(77_000_000 + i)}`;

/**
 * Every scenario of flows/tests/*.json, played twice: as webhook turns through the live
 * coordinator (memory state store, a manual clock), and as `ivr-sim call --caller … --keys …`
 * decides it. Both play the IVR with the same player, so the IvrResult and the decision agree.
 */
describe('a live call and `ivr-sim call` with the same keys', () => {
  let config: Configuration;
  let scenarios: FlowTestScenario[];
  beforeAll(() => {
    const base = loadConfiguration();
    scenarios = loadFlowTests(join(process.cwd(), 'flows', 'tests'), base);
    const profiles: CustomerProfile[] = scenarios.map((s, i) => {
      if (!s.input.profile) throw new Error(`${s.file}${s.pointer}: this specification expects inline profiles`);
      return { ...s.input.profile, phone: phoneOf(i), ...(s.input.language ? { language: s.input.language } : {}) };
    });
    config = { ...base, customers: new CustomerDirectory(profiles) };
  });

  it('give the same IvrResult and the same decision in every flow-test scenario', async () => {
    expect(scenarios.length).toBeGreaterThan(200);
    expect(new Set(scenarios.map((s) => s.file)).size).toBe(8);
    const clock = new ManualClock(Date.UTC(2025, 0, 6, 9, 0, 0));
    const store = new MemoryCallStateStore();
    const calls = new LiveCallCoordinator({ configs: new ConfigVersions(config, 3_600_000, clock.now()), store, clock, sink: new MemoryTraceSink(), assumedTalkSec: () => 240, ttlSec: 3600 });
    const cli = new CallDecider(config);
    for (const [i, s] of scenarios.entries()) {
      expect(s.input.hangupInIvrSec, `${s.name}: hang-ups are not part of this comparison`).toBeUndefined();
      const callSid = makeCallSid(10_000 + i);
      const caller = phoneOf(i);
      const { state } = await playCaller(calls, store, clock, { callSid, caller, keys: s.input.keys });
      const where = `${s.file}${s.pointer} ${s.name} (keys ${s.keysText})`;
      expect(state.ended, where).not.toBeNull();

      const decision = cli.decide({ callId: callSid, caller, keys: s.input.keys });
      expect(state.turn.end?.decision, where).toEqual(decision);

      const { facts, language } = cli.profileOf({ callId: callSid, caller, keys: [] });
      const ivr = cli.runtime.player(decision.segment.id)!.play(facts, s.input.keys, { language, rotation: rotationOf(callSid) });
      // A live caller presses only the keys the flow takes: none is left over.
      expect(state.ended!.ivr, where).toEqual({ ...ivr, unusedKeys: 0 });

      // The same scenario as `ivr-sim test-flows` runs it (inline profile): the same IVR part.
      const inline = cli.decide({ ...s.input, callId: callSid });
      expect(state.turn.end?.decision?.flow, where).toEqual(inline.flow);
    }
  });
});
