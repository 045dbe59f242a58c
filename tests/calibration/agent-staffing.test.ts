import { describe, expect, it } from 'vitest';
import type { AcdCall } from '../../src/core/calibration/acd-log.js';
import { agentGroups, agentsByInterval, groupPresence } from '../../src/core/calibration/agent-staffing.js';

const ORIGIN = Date.parse('2026-03-02T00:00:00Z');
let n = 0;
/** A call arriving `atSec` after the origin. */
function call(queue: string, atSec: number, waitSec: number, outcome: 'answered' | 'abandoned', talkSec = 0, agentId?: string): AcdCall {
  const c: AcdCall = { line: ++n, callId: `c${n}`, queue, epochMs: ORIGIN + atSec * 1000, offsetMin: 0, date: '2026-03-02', waitSec, outcome, talkSec };
  if (agentId) c.agentId = agentId;
  return c;
}

describe('agent groups from who answered what', () => {
  it('queues joined by a shared agent are one group with both skills; a queue nobody answered has a group of no agents', () => {
    const calls = [call('A', 0, 0, 'answered', 60, 'a1'), call('B', 10, 0, 'answered', 60, 'a2'), call('A', 20, 0, 'answered', 60, 'a2'), call('C', 30, 0, 'answered', 60, 'a3'), call('D', 40, 9, 'abandoned')];
    expect(agentGroups(calls, ['A', 'B', 'C', 'D']).map((g) => [g.id, g.queues, g.agents])).toEqual([
      ['A_B', ['A', 'B'], ['a1', 'a2']],
      ['C', ['C'], ['a3']],
      ['D', ['D'], []],
    ]);
  });
});

describe('presence between an agent\'s calls', () => {
  const group = { id: 'A', queues: ['A'], agents: ['a1'], answered: 0 };

  it('counts calls and short gaps; not a gap of 15 minutes or more', () => {
    const calls = [call('A', 0, 0, 'answered', 100, 'a1'), call('A', 400, 0, 'answered', 100, 'a1'), call('A', 1500, 0, 'answered', 100, 'a1')];
    // 0–100 call, 100–400 idle (present), 400–500 call, 500–1500 gap of 1000 s (away), 1500–1600 call.
    const spans = groupPresence(calls, group, { originMs: ORIGIN });
    expect(spans.reduce((s, [a, b]) => s + (b - a), 0)).toBe(600);
    expect(agentsByInterval(spans, 1800).get(0)).toBeCloseTo(600 / 1800, 10);
  });

  it('an agent idle while a caller waited was away from its call\'s end to the end of that wait, present after', () => {
    const calls = [
      call('A', 0, 0, 'answered', 100, 'a1'),
      // Waits 150 → 250 s while a1 sits idle; answered by another agent at 250 s.
      call('A', 150, 100, 'answered', 30, 'a2'),
      call('A', 400, 0, 'answered', 100, 'a1'),
    ];
    const spans = groupPresence(calls, { ...group, agents: ['a1', 'a2'] }, { originMs: ORIGIN }).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    // a1: 0–100 call, away 100–250, present 250–400, call 400–500; a2: call 250–280.
    expect(spans).toEqual([
      [0, 100],
      [250, 280],
      [250, 400],
      [400, 500],
    ]);
  });

  it('a gap that ends by taking a waiting caller is away throughout the wait', () => {
    const calls = [call('A', 0, 0, 'answered', 100, 'a1'), call('A', 200, 100, 'answered', 50, 'a1')];
    // The caller waits 200 → 300 and a1, idle since 100, takes it at 300: away 100–300.
    expect(groupPresence(calls, group, { originMs: ORIGIN }).sort((x, y) => x[0] - y[0])).toEqual([
      [0, 100],
      [300, 350],
    ]);
  });
});
