import { describe, expect, it } from 'vitest';
import { ChangedCallCollector } from '../../src/core/replay/changed-calls.js';
import type { CompactDecision, ReplayCall } from '../../src/core/replay/compact-decision.js';
import type { CallOutcome } from '../../src/core/simulation/call-outcome.js';

const call = (callId: string, extra: Partial<ReplayCall> = {}): ReplayCall => ({ callId, arrivalSec: 0, talkSec: 100, ...extra });

const handedOff = (queue: string, extra: Partial<CompactDecision> = {}): CompactDecision => ({
  segment: 'standard',
  outcome: 'handoff',
  ivrSec: 10,
  hotKey: null,
  route: { queue, priority: 10, overflow: [] },
  sms: [],
  tags: [],
  ...extra,
});
const selfServed: CompactDecision = { ...handedOff('general'), outcome: 'selfServed', route: null };

function outcome(callId: string, fate: Partial<CallOutcome>): CallOutcome {
  return {
    seq: 0, callId, segment: 'standard', queue: 'general', entryQueue: 'general', answered: false, abandoned: false,
    waitSec: 0, arrivalSec: 0, queuedSec: 10, talkSec: 0, wrapSec: 0, overflowed: false, ...fate,
  };
}

describe('joining two scenarios call by call', () => {
  it('keeps only the calls that differ, and counts a call once however many fields changed', () => {
    const c = new ChangedCallCollector([20, 20]);
    c.addCall(call('same'), selfServed, selfServed);
    c.addCall(call('a'), handedOff('general'), handedOff('general'));
    c.addCall(call('b'), handedOff('general'), handedOff('general'));
    c.addOutcome(0, outcome('a', { answered: true, waitSec: 20, agentGroup: 'floor' }));
    c.addOutcome(1, outcome('a', { answered: true, waitSec: 12, agentGroup: 'floor' }));
    c.addOutcome(1, outcome('b', { answered: true, waitSec: 25, agentGroup: 'desk', overflowed: true, overflowQueue: 'vip' }));
    expect(c.inProgress).toBe(1);
    c.addOutcome(0, outcome('b', { abandoned: true, waitSec: 40 }));
    expect(c.inProgress).toBe(0);
    expect(c.summary()).toEqual({
      count: 1,
      transitions: [
        { field: 'overflow', from: 'none', to: 'vip', count: 1 },
        { field: 'answeredBy', from: 'none', to: 'desk', count: 1 },
        { field: 'outcome', from: 'abandoned', to: 'answeredLate', count: 1 },
      ],
    });
    expect([...c.changedCalls()]).toEqual([
      {
        callId: 'b',
        changed: ['overflow', 'answeredBy', 'outcome'],
        baseline: { segment: 'standard', flowOutcome: 'handoff', queue: 'general', priority: '10', overflow: 'none', answeredBy: 'none', outcome: 'abandoned', sms: 'none', tags: 'none', waitSec: 40 },
        candidate: { segment: 'standard', flowOutcome: 'handoff', queue: 'general', priority: '10', overflow: 'vip', answeredBy: 'desk', outcome: 'answeredLate', sms: 'none', tags: 'none', waitSec: 25 },
      },
    ]);
  });

  it('reads answered in time against each scenario’s own service-level threshold (at the threshold is in time)', () => {
    const c = new ChangedCallCollector([20, 30]);
    c.addCall(call('x'), handedOff('general'), handedOff('general'));
    c.addOutcome(0, outcome('x', { answered: true, waitSec: 25, agentGroup: 'floor' }));
    c.addOutcome(1, outcome('x', { answered: true, waitSec: 30, agentGroup: 'floor' }));
    expect(c.summary().transitions).toEqual([{ field: 'outcome', from: 'answeredLate', to: 'answeredInTime', count: 1 }]);
  });

  it('tells a call the candidate keeps in the IVR from one it queues, and sorts changed calls by arrival', () => {
    const c = new ChangedCallCollector([20, 20]);
    c.addCall(call('first'), handedOff('general', { sms: [{ template: 'b', class: 'service' }, { template: 'a', class: 'service' }] }), selfServed);
    c.addCall(call('second'), { ...selfServed, outcome: 'hangup' }, handedOff('vip', { segment: 'vip-gold', tags: ['vip'] }));
    c.addOutcome(1, outcome('second', { answered: true, waitSec: 3, agentGroup: 'vip-desk' }));
    c.addOutcome(0, outcome('first', { abandoned: true, waitSec: 50 }));
    const calls = [...c.changedCalls()];
    expect(calls.map((x) => x.callId)).toEqual(['first', 'second']);
    expect(calls[0]!.baseline).toMatchObject({ queue: 'general', sms: 'a,b', outcome: 'abandoned', waitSec: 50 });
    expect(calls[0]!.candidate).toMatchObject({ flowOutcome: 'selfServed', queue: 'none', priority: 'none', sms: 'none', outcome: 'selfServed', waitSec: null });
    expect(calls[0]!.changed).toEqual(['flowOutcome', 'queue', 'priority', 'outcome', 'sms']);
    expect(calls[1]!.changed).toEqual(['segment', 'flowOutcome', 'queue', 'priority', 'answeredBy', 'outcome', 'tags']);
    expect(calls[1]!.baseline.outcome).toBe('hungUpInIvr');
  });

  it('takes an ACD-level line (no IVR) from its trace queue and priority, and an outcome that comes before the call', () => {
    const c = new ChangedCallCollector([20, 20]);
    c.addOutcome(0, outcome('direct', { answered: true, waitSec: 5, agentGroup: 'floor' }));
    c.addCall(call('direct', { queue: 'general', priority: 40 }), null, null);
    expect(c.inProgress).toBe(1);
    c.addOutcome(1, outcome('direct', { waitSec: 900 }));
    const [only] = [...c.changedCalls()];
    expect(only).toMatchObject({
      changed: ['answeredBy', 'outcome'],
      baseline: { segment: 'direct', flowOutcome: 'none', queue: 'general', priority: '40', outcome: 'answeredInTime' },
      candidate: { outcome: 'unanswered', answeredBy: 'none', waitSec: 900 },
    });
  });

  it('refuses to report while a call still waits for an outcome', () => {
    const c = new ChangedCallCollector([20, 20]);
    c.addCall(call('open'), handedOff('general'), handedOff('general'));
    expect(() => c.summary()).toThrow('1 calls still without an outcome in both scenarios (first: open)');
  });
});
