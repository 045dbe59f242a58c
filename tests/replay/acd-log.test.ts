import { describe, expect, it } from 'vitest';
import { AcdLogRecorder } from '../../src/core/replay/acd-log.js';
import type { CallOutcome } from '../../src/core/simulation/call-outcome.js';
import type { OfferedCall } from '../../src/core/simulation/offered-call.js';

const HOUR = 3600;

function offered(seq: number, callId: string, queuedSec: number, priority = 10): OfferedCall {
  return { seq, callId, segment: 'direct', arrivalSec: queuedSec, queuedSec, route: { queue: 'general', priority, overflow: [] }, talkSec: 100 };
}

function answered(call: OfferedCall, waitSec: number, group = 'floor', wrapSec = 0): CallOutcome {
  return {
    seq: call.seq, callId: call.callId, segment: call.segment, queue: 'general', entryQueue: 'general', answered: true, abandoned: false, waitSec,
    arrivalSec: call.arrivalSec, queuedSec: call.queuedSec, answeredSec: call.queuedSec + waitSec, talkSec: call.talkSec, wrapSec, agentGroup: group, overflowed: false,
  };
}

function abandoned(call: OfferedCall, waitSec: number): CallOutcome {
  return {
    seq: call.seq, callId: call.callId, segment: call.segment, queue: 'general', entryQueue: 'general', answered: false, abandoned: true, waitSec,
    arrivalSec: call.arrivalSec, queuedSec: call.queuedSec, talkSec: 0, wrapSec: 0, overflowed: false,
  };
}

describe('the simulated day as an ACD log', () => {
  it('times in the trace offset from its midnight; rows in order of joining the queue, whatever order the outcomes came in', () => {
    const log = new AcdLogRecorder();
    const a = offered(0, 'a', 9 * HOUR);
    const b = offered(1, 'b', 9 * HOUR + 10.25, 40);
    log.add(abandoned(b, 4.5), b, 'b');
    log.add(answered(a, 30), a, 'a');
    const origin = { arrivalTime: '2025-03-03T09:00:00+08:00', secOfDay: 9 * HOUR };
    expect(log.csv(origin)).toBe(
      'callId,customerId,queue,priority,arrivalTime,waitSec,outcome,talkSec,agentId\n' +
        'a,a,general,10,2025-03-03T09:00:00.000+08:00,30,answered,100,floor-1\n' +
        'b,b,general,40,2025-03-03T09:00:10.250+08:00,4.5,abandoned,,\n',
    );
    expect(log.jsonl(undefined).split('\n')[1]).toBe('{"callId":"b","customerId":"b","queue":"general","priority":40,"arrivalTime":"1970-01-01T09:00:10.250+00:00","waitSec":4.5,"outcome":"abandoned"}');
  });

  it('tells agents apart as the simulator picks them: the longest idle, busy through talk and wrap', () => {
    const log = new AcdLogRecorder();
    const calls = [0, 10, 120, 125, 300].map((t, i) => offered(i, `c${i}`, t));
    // c0 and c1 overlap (two agents); c2 comes after c0's talk and wrap (100 + 10 s) end: agent 1, idle longest; c3 then agent 2.
    log.add(answered(calls[0]!, 0, 'floor', 10), calls[0]!, 'c0');
    log.add(answered(calls[1]!, 0, 'floor', 10), calls[1]!, 'c1');
    log.add(answered(calls[2]!, 0, 'floor', 10), calls[2]!, 'c2');
    log.add(answered(calls[3]!, 0, 'floor', 10), calls[3]!, 'c3');
    log.add(answered(calls[4]!, 0, 'vip'), calls[4]!, 'c4');
    expect(log.logRows(undefined).map((r) => r.agentId)).toEqual(['floor-1', 'floor-2', 'floor-1', 'floor-2', 'vip-1']);
  });

  it('quotes cells that need it', () => {
    const log = new AcdLogRecorder();
    const c = offered(0, 'x,"1"', 0);
    log.add(abandoned(c, 1), c, 'x,"1"');
    expect(log.csv(undefined).split('\n')[1]).toBe('"x,""1""","x,""1""",general,10,1970-01-01T00:00:00.000+00:00,1,abandoned,,');
  });
});
