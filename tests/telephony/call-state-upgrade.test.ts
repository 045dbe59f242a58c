import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfiguration, type Configuration } from '../../src/core/configuration/configuration.js';
import { CallDecider } from '../../src/core/decision/call-decider.js';
import { MemoryTraceSink } from '../../src/core/telephony/call-recording.js';
import { MemoryCallStateStore } from '../../src/core/telephony/call-state-store.js';
import { ManualClock } from '../../src/core/time/clock.js';
import { ConfigVersions } from '../../src/core/telephony/config-versions.js';
import { LiveCallCoordinator } from '../../src/core/telephony/live-call-coordinator.js';
import { LIVE_CALL_STATE_FORMAT, upgradeCallState, type LiveCallState } from '../../src/core/telephony/live-call-state.js';

/**
 * A call in progress at a deploy: stored by the previous release (format 1, the IVR's wait and
 * XState snapshot at the top level), after a standard caller pressed 2 (bill) 2.5 s into the
 * welcome menu. The call now waits in "anything else?", whose prompts started at promptsStartMs.
 */
const V1 = JSON.parse(readFileSync(new URL('./fixtures/call-state-v1.json', import.meta.url), 'utf8')) as Record<string, any>;
const SID: string = V1['callSid'];
const CALLER: string = V1['caller'];

function setup(config: Configuration, stored: unknown) {
  const clock = new ManualClock(V1['wait'].promptsStartMs);
  const store = new MemoryCallStateStore();
  const sink = new MemoryTraceSink();
  const calls = new LiveCallCoordinator({ configs: new ConfigVersions(config, 3_600_000, clock.now()), store, clock, sink, assumedTalkSec: () => 240, ttlSec: 3600 });
  return { clock, store, sink, calls, stored: store.compareAndSet(SID, 0, stored as LiveCallState, 3600) };
}

describe('a call stored by the previous release (state format 1)', () => {
  let config: Configuration;
  beforeAll(() => {
    config = loadConfiguration();
  });

  it('is read in the current format: the wait and snapshot move into the paused IVR, nothing is lost', () => {
    const s = upgradeCallState(V1)!;
    expect(s.format).toBe(LIVE_CALL_STATE_FORMAT);
    expect(s.wait).toEqual({ turnStartMs: V1['wait'].turnStartMs, promptsStartMs: V1['wait'].promptsStartMs });
    expect(s.ivr).toMatchObject({
      state: 'anythingElse',
      snapshot: V1['snapshot'],
      turnStartSec: V1['wait'].turnStartSec,
      promptsStartSec: V1['wait'].promptsStartSec,
      promptSec: V1['wait'].promptSec,
      timeoutSec: V1['wait'].timeoutSec,
      bargeIn: true,
      keys: [{ key: '2', atSec: 2.5 }],
      noInputFloorSec: null,
    });
    expect(s.keys).toEqual(V1['keys']);
    expect(s).not.toHaveProperty('snapshot');
  });

  it('goes on after the deploy and is decided exactly as `ivr-sim call` decides its keys', async () => {
    const { clock, store, sink, calls, stored } = setup(config, V1);
    await stored;
    clock.set(V1['wait'].promptsStartMs + V1['wait'].promptSec * 1000);
    const reply = await calls.input({ callSid: SID, step: 2, input: { kind: 'key', key: '0' } });
    expect(reply.kind).toBe('advanced');
    expect(reply.turn.end?.handoff?.fault).toBeNull();
    const expected = new CallDecider(config).decide({ callId: SID, caller: CALLER, keys: [{ key: '2', afterSec: 2.5 }, { key: '0' }] });
    expect(reply.turn.end?.decision).toEqual(expected);
    expect((await store.get(SID))!.value.format).toBe(LIVE_CALL_STATE_FORMAT);
    await calls.completed({ callSid: SID, callStatus: 'completed' });
    expect(sink.lines[0]!.keys).toEqual([{ key: '2', afterSec: 2.5 }, { key: '0', afterSec: V1['wait'].promptSec }]);
  });

  it('that hangs up is recorded with the hang-up inside its wait, as before', async () => {
    const { clock, sink, calls, stored } = setup(config, V1);
    await stored;
    clock.set(V1['wait'].turnStartMs + 3_000);
    await calls.hangup({ callSid: SID, step: 2 });
    await calls.completed({ callSid: SID, callStatus: 'completed' });
    expect(sink.lines[0]!.hangupInIvrSec).toBe(V1['wait'].turnStartSec + 3);
    expect(sink.lines[0]!.observed).toMatchObject({ outcome: 'hangup', finalState: 'anythingElse' });
  });

  it('that cannot be resumed (its snapshot is missing) is queued to general, not dropped', async () => {
    const { snapshot: _snapshot, ...broken } = V1;
    const { calls, stored } = setup(config, broken);
    await stored;
    const reply = await calls.input({ callSid: SID, step: 2, input: { kind: 'key', key: '1' } });
    expect(reply.kind).toBe('fault');
    expect(reply.turn.end?.handoff).toMatchObject({ queue: 'general', fault: 'CALL_STATE_UNREADABLE' });
  });

  it('of a format this release does not know is queued to general', async () => {
    const { calls, stored } = setup(config, { ...V1, format: 99 });
    await stored;
    const reply = await calls.input({ callSid: SID, step: 2, input: { kind: 'key', key: '1' } });
    expect(reply.kind).toBe('fault');
    expect(reply.turn.end?.handoff).toMatchObject({ queue: 'general', fault: 'CALL_STATE_UNREADABLE' });
  });
});
