import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfiguration, type Configuration } from '../../src/core/configuration/configuration.js';
import { MemoryTraceSink } from '../../src/core/telephony/call-recording.js';
import { MemoryCallStateStore, type CallStateStore, type Versioned } from '../../src/core/telephony/call-state-store.js';
import { ManualClock } from '../../src/core/time/clock.js';
import { ConfigVersions } from '../../src/core/telephony/config-versions.js';
import { LiveCallCoordinator } from '../../src/core/telephony/live-call-coordinator.js';
import { CallNotRecordedError, CallStateUnavailableError } from '../../src/core/telephony/live-call-errors.js';
import type { LiveCallState } from '../../src/core/telephony/live-call-state.js';
import { callSid } from '../helpers/twilio.js';

/** Lets both racers read before either writes: the interleaving that makes a compare-and-set lose. */
class RacingStore implements CallStateStore {
  private waiting: (() => void)[] = [];
  private arrived = 0;
  constructor(
    private readonly inner: MemoryCallStateStore,
    private readonly racers: number,
  ) {}
  async get(callSid: string): Promise<Versioned<LiveCallState> | null> {
    const v = await this.inner.get(callSid);
    // Only the first reads meet at the barrier; re-reads after a lost race go straight through.
    if (++this.arrived < this.racers) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else for (const go of this.waiting.splice(0)) go();
    return v;
  }
  compareAndSet(callSid: string, expected: number, state: LiveCallState, ttlSec: number): Promise<boolean> {
    return this.inner.compareAndSet(callSid, expected, state, ttlSec);
  }
}

class DownStore implements CallStateStore {
  async get(): Promise<never> {
    throw new CallStateUnavailableError('connection refused');
  }
  async compareAndSet(): Promise<never> {
    throw new CallStateUnavailableError('connection refused');
  }
}

describe('the coordinator over a shared state store', () => {
  let config: Configuration;
  beforeAll(() => {
    config = loadConfiguration();
  });
  const make = (store: CallStateStore, clock = new ManualClock(1_700_000_000_000)) =>
    new LiveCallCoordinator({ configs: new ConfigVersions(config, 3_600_000, clock.now()), store, clock, sink: new MemoryTraceSink(), assumedTalkSec: () => 240, ttlSec: 600 });

  it('lets one of two racing webhooks move the call; the loser re-reads and answers with the winner\'s turn', async () => {
    const memory = new MemoryCallStateStore();
    await make(memory).incoming({ callSid: callSid(1), caller: '+8613800000300' });
    const calls = make(new RacingStore(memory, 2));
    const [a, b] = await Promise.all([
      calls.input({ callSid: callSid(1), step: 1, input: { kind: 'key', key: '2' } }),
      calls.input({ callSid: callSid(1), step: 1, input: { kind: 'key', key: '0' } }),
    ]);
    expect([a.kind, b.kind].sort()).toEqual(['advanced', 'repeated']);
    expect(b.turn).toEqual(a.turn);
    const stored = (await memory.get(callSid(1)))!;
    expect(stored.version).toBe(2);
    expect(stored.value.keys).toHaveLength(1);
  });

  it('apologises and queues to the default queue when the store is unreachable', async () => {
    const reply = await make(new DownStore()).incoming({ callSid: callSid(2), caller: '+8613800000001' });
    expect(reply.kind).toBe('fault');
    expect(reply.fault).toBe('CALL_STATE_UNAVAILABLE');
    expect(reply.turn.prompts.map((p) => p.id)).toEqual(['live.apology']);
    expect(reply.turn.end?.handoff).toMatchObject({ queue: 'general', fault: 'CALL_STATE_UNAVAILABLE', customer: { phone: '+86138****0001' } });
  });

  it('apologises and queues a gather for a call it has no state for', async () => {
    const reply = await make(new MemoryCallStateStore()).input({ callSid: callSid(3), step: 3, input: { kind: 'noInput' } });
    expect(reply).toMatchObject({ kind: 'fault', fault: 'CALL_STATE_UNREADABLE' });
    expect(reply.turn.end?.handoff?.queue).toBe('general');
  });

  describe('finished calls', () => {
    const sid = 'CA' + 'f1'.repeat(16);
    const caller = '+8613800000300';

    it('records a call once when two status callbacks race, and hangs up on any later request for it', async () => {
      const store = new MemoryCallStateStore();
      const sink = new MemoryTraceSink();
      const calls = new LiveCallCoordinator({ configs: new ConfigVersions(config, 3_600_000, 0), store, clock: new ManualClock(1_700_000_000_000), sink, assumedTalkSec: () => 240, ttlSec: 600 });
      await calls.incoming({ callSid: sid, caller });
      const [a, b] = await Promise.all([calls.completed({ callSid: sid, callStatus: 'completed' }), calls.completed({ callSid: sid, callStatus: 'completed' })]);
      expect([a, b].filter((l) => l !== null)).toHaveLength(1);
      expect(sink.lines).toHaveLength(1);
      expect((await store.get(sid))!.value.recorded).toBe(true);

      for (const reply of [await calls.incoming({ callSid: sid, caller }), await calls.input({ callSid: sid, step: 1, input: { kind: 'key', key: '1' } })]) {
        expect(reply.kind).toBe('finished');
        expect(reply.turn).toMatchObject({ step: null, prompts: [], end: { outcome: 'hangup', handoff: null } });
      }
      // The state gone (expired), the sink's record still says the call is over.
      const fresh = new LiveCallCoordinator({ configs: new ConfigVersions(config, 3_600_000, 0), store: new MemoryCallStateStore(), clock: new ManualClock(), sink, assumedTalkSec: () => 240, ttlSec: 600 });
      expect((await fresh.incoming({ callSid: sid, caller })).kind).toBe('finished');
    });

    it('hands back the line with the error when the sink cannot take it, so it can be kept and recorded later', async () => {
      const store = new MemoryCallStateStore();
      const sink = new MemoryTraceSink();
      let down = true;
      const flaky = { append: (l: Parameters<MemoryTraceSink['append']>[0]) => (down ? Promise.reject(new Error('READONLY')) : sink.append(l)), isRecorded: (s: string) => sink.isRecorded(s) };
      const calls = new LiveCallCoordinator({ configs: new ConfigVersions(config, 3_600_000, 0), store, clock: new ManualClock(1_700_000_000_000), sink: flaky, assumedTalkSec: () => 240, ttlSec: 600 });
      await calls.incoming({ callSid: sid, caller });
      const err = await calls.completed({ callSid: sid, callStatus: 'completed', atMs: 1_700_000_004_000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CallNotRecordedError);
      const line = (err as CallNotRecordedError).line;
      expect(line).toMatchObject({ callId: sid, hangupInIvrSec: 4 });
      expect((await store.get(sid))!.value.recorded).toBe(false);

      down = false;
      expect(await calls.record(line)).toBe(true);
      expect(await calls.record(line)).toBe(false);
      expect(await calls.completed({ callSid: sid, callStatus: 'completed' })).toBeNull();
      expect(sink.lines).toEqual([line]);
    });
  });
});
