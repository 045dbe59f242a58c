import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfiguration, type Configuration } from '../../src/core/configuration/configuration.js';
import { CallDecider } from '../../src/core/decision/call-decider.js';
import type { KeyPress } from '../../src/core/flows/key-presses.js';
import { MemoryCallStateStore } from '../../src/core/telephony/call-state-store.js';
import { MemoryTraceSink } from '../../src/core/telephony/call-recording.js';
import { ManualClock } from '../../src/core/time/clock.js';
import { ConfigVersions } from '../../src/core/telephony/config-versions.js';
import { LiveCallCoordinator } from '../../src/core/telephony/live-call-coordinator.js';
import type { TraceLine } from '../../src/core/trace/trace-line.js';
import { playCaller, waitOf } from './live-driver.js';
import { callSid as makeCallSid } from '../helpers/twilio.js';

const KEYS = ['0', '1', '2', '3', '4', '5', '9', '*', '#'];

/** xorshift32: a small fixed-seed generator, so the sampled calls are the same on every run. */
function generator(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

function setup(config: Configuration) {
  const clock = new ManualClock(Date.UTC(2025, 0, 6, 9, 0, 0));
  const store = new MemoryCallStateStore();
  const sink = new MemoryTraceSink();
  const lines: TraceLine[] = sink.lines;
  const calls = new LiveCallCoordinator({ configs: new ConfigVersions(config, 3_600_000, clock.now()), store, clock, sink, assumedTalkSec: () => 240, ttlSec: 3600 });
  return { clock, store, lines, calls };
}

describe('a live call, webhook by webhook', () => {
  let config: Configuration;
  let decider: CallDecider;
  beforeAll(() => {
    config = loadConfiguration();
    decider = new CallDecider(config);
  });

  it('decides every sampled caller and key sequence exactly as the simulator does, timings included', async () => {
    const rnd = generator(20250106);
    const customers = [...config.customers.all()];
    const { clock, store, calls } = setup(config);
    for (let i = 0; i < 400; i++) {
      const caller = i % 10 === 0 ? `+86139${String(i).padStart(8, '0')}` : customers[Math.floor(rnd() * customers.length)]!.phone;
      const keys: KeyPress[] = [];
      const n = Math.floor(rnd() * 7);
      for (let j = 0; j < n; j++) {
        const key = KEYS[Math.floor(rnd() * KEYS.length)]!;
        keys.push(rnd() < 0.5 ? { key } : { key, afterSec: Math.round(rnd() * 250) / 10 });
      }
      const callSid = makeCallSid(100 + i);
      const { state } = await playCaller(calls, store, clock, { callSid, caller, keys });
      const expected = decider.decide({ callId: callSid, caller, keys });
      expect(state.turn.end?.decision, `${caller} keys ${JSON.stringify(keys)}`).toEqual(expected);
    }
  });

  it('plays announcement states in the same turn as the wait that follows them', async () => {
    const { clock, store, calls } = setup(config);
    // Standard caller, bill balance: the balance is an announcement, "anything else?" the wait.
    const { replies } = await playCaller(calls, store, clock, { callSid: makeCallSid(4), caller: '+8613800000300', keys: [{ key: '2' }] });
    const second = replies[1]!.turn;
    expect(second.prompts.map((p) => p.id)).toEqual(['info.balance', 'menu.anything-else']);
    expect(second.input).toMatchObject({ from: 1, numDigits: 1, bargeIn: true });
    expect(second.state).toBe('anythingElse');
  });

  it('records a key pressed during the prompts as barge-in, seconds after those prompts started', async () => {
    const { clock, store, calls } = setup(config);
    await calls.incoming({ callSid: makeCallSid(1), caller: '+8613800000300' });
    const wait = (await store.get(makeCallSid(1)))!.value.wait!;
    clock.set(wait.promptsStartMs + 2_500);
    await calls.input({ callSid: makeCallSid(1), step: 1, input: { kind: 'key', key: '0' } });
    const s = (await store.get(makeCallSid(1)))!.value;
    expect(s.keys).toEqual([{ key: '0', afterSec: 2.5, atSec: 2.5 }]);
    expect(s.turn.end?.decision?.flow.keys).toEqual(['0']);
  });

  it('places a key after a silent wait so that a replay lets that wait run out too', async () => {
    const { clock, store, calls, lines } = setup(config);
    const callSid = makeCallSid(2);
    const caller = '+8613800000300';
    // Self-diagnosis: the symptom menu runs out once, then the caller presses 2 one second into
    // the repeated menu (earlier than the first window had lasted).
    await calls.incoming({ callSid, caller });
    await pressAtPromptEnd(1, '3');
    let wait = waitOf((await store.get(callSid))!.value);
    const firstWindowSec = wait.promptSec + wait.timeoutSec;
    clock.set(wait.promptsStartMs + firstWindowSec * 1000);
    await calls.input({ callSid, step: 2, input: { kind: 'noInput' } });
    wait = waitOf((await store.get(callSid))!.value);
    clock.set(wait.promptsStartMs + 1000);
    await calls.input({ callSid, step: 3, input: { kind: 'key', key: '2' } });
    await pressAtPromptEnd(4, '1');
    await calls.completed({ callSid, callStatus: 'completed' });

    const keys = lines[0]!.keys as KeyPress[];
    expect(keys[1]!.afterSec).toBeGreaterThan(firstWindowSec);
    const live = (await store.get(callSid))!.value.turn.end!.decision!;
    expect(live.flow.diagnosis).toMatchObject({ symptom: 'slowData', result: 'fixed' });
    const replayed = decider.decide({ callId: callSid, caller, keys });
    expect(replayed.flow).toEqual(live.flow);
    expect(lines[0]!.observed?.['keysExact']).toBeUndefined();

    async function pressAtPromptEnd(step: number, key: string) {
      const w = waitOf((await store.get(callSid))!.value);
      clock.set(w.promptsStartMs + w.promptSec * 1000);
      await calls.input({ callSid, step, input: { kind: 'key', key } });
    }
  });

  it('says so in the trace when a key after a silent wait cannot be placed for an exact replay', async () => {
    const { clock, store, calls, lines } = setup(config);
    const callSid = makeCallSid(5);
    // The repeated main menu is shorter than the first one: a key early in it has no place.
    await calls.incoming({ callSid, caller: '+8613800000300' });
    let wait = waitOf((await store.get(callSid))!.value);
    clock.set(wait.promptsStartMs + (wait.promptSec + wait.timeoutSec) * 1000);
    await calls.input({ callSid, step: 1, input: { kind: 'noInput' } });
    wait = waitOf((await store.get(callSid))!.value);
    clock.set(wait.promptsStartMs + 1000);
    await calls.input({ callSid, step: 2, input: { kind: 'key', key: '0' } });
    await calls.completed({ callSid, callStatus: 'completed' });
    expect(lines[0]!.keys).toEqual([{ key: '0', afterSec: 1 }]);
    expect(lines[0]!.observed?.['keysExact']).toBe(false);
  });

  it('records a hang-up in the IVR where a replay hangs up too', async () => {
    const { clock, store, calls, lines } = setup(config);
    const callSid = makeCallSid(6);
    const caller = '+8613800000001';
    await calls.incoming({ callSid, caller });
    const wait = waitOf((await store.get(callSid))!.value);
    clock.set(wait.promptsStartMs + 4000);
    const line = await calls.completed({ callSid, callStatus: 'completed', callDurationSec: 4 });
    expect(line).toMatchObject({ callId: callSid, caller, keys: [], hangupInIvrSec: 4, observed: { outcome: 'hangup', segment: 'vip-diamond' } });
    expect(lines).toHaveLength(1);
    const replayed = decider.decide({ callId: callSid, caller, keys: [], hangupInIvrSec: 4 });
    expect(replayed.flow.outcome).toBe('hangup');
    expect(replayed.flow.finalState).toBe('menu.welcome');
  });

  it('records a call once however often Twilio reports its end', async () => {
    const { clock, store, calls, lines } = setup(config);
    await playCaller(calls, store, clock, { callSid: makeCallSid(3), caller: '+8613800000300', keys: [{ key: '0' }] });
    await calls.completed({ callSid: makeCallSid(3), callStatus: 'completed' });
    expect(await calls.completed({ callSid: makeCallSid(3), callStatus: 'completed' })).toBeNull();
    expect(lines).toHaveLength(1);
  });
});
