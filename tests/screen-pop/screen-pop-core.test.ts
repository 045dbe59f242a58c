import { describe, expect, it } from 'vitest';
import { AgentQueuesError, parseQueueList, queuesOfAgent } from '../../src/core/screen-pop/agent-queues.js';
import { screenPopOf } from '../../src/core/screen-pop/screen-pop.js';
import { compareStreamIds, decodeCursor, encodeCursor, inStreamOrder } from '../../src/core/screen-pop/stream-cursor.js';
import { faultTurn } from '../../src/core/telephony/call-turns.js';
import { deriveProfileFacts } from '../../src/core/profile/facts.js';
import type { Staffing } from '../../src/core/staffing/staffing.js';
import { callSid } from '../helpers/twilio.js';

describe('stream cursors: where a desktop is in the streams of its queues', () => {
  it('is the stream id itself for a desktop on one queue', () => {
    const cursor = encodeCursor(['vip'], new Map([['vip', '1700000000000-3']]));
    expect(cursor).toBe('1700000000000-3');
    expect(decodeCursor(cursor, ['vip'])).toEqual(new Map([['vip', '1700000000000-3']]));
  });

  it('names each queue for a desktop on several, since ids of different streams can tie', () => {
    const positions = new Map([
      ['vip', '1700000000000-0'],
      ['general', '1700000000000-0'],
    ]);
    const cursor = encodeCursor(['vip', 'general'], positions);
    expect(cursor).toBe('vip=1700000000000-0,general=1700000000000-0');
    expect(decodeCursor(cursor, ['vip', 'general'])).toEqual(positions);
  });

  it('starts a queue the agent took on since at the earliest position the cursor holds', () => {
    expect(decodeCursor('vip=1700000000005-0,general=1700000000002-1', ['vip', 'general', 'tech'])).toEqual(
      new Map([
        ['vip', '1700000000005-0'],
        ['general', '1700000000002-1'],
        ['tech', '1700000000002-1'],
      ]),
    );
  });

  it('treats anything that is not a cursor as "from now"', () => {
    for (const bad of [undefined, '', '  ', 'abc', 'vip=abc', 'vip=1-0=2', '1-0,2-0', 'bad queue=1-0']) expect(decodeCursor(bad, ['vip'])).toBeNull();
  });

  it('orders entries of several streams as Redis added them, numerically', () => {
    expect(compareStreamIds('999-0', '1000-0')).toBe(-1);
    expect(compareStreamIds('1000-10', '1000-9')).toBe(1);
    expect(compareStreamIds('5-5', '5-5')).toBe(0);
    const ordered = inStreamOrder([
      { queue: 'vip', id: '1000-1' },
      { queue: 'general', id: '999-7' },
      { queue: 'general', id: '1000-1' },
    ]);
    expect(ordered.map((e) => `${e.queue}@${e.id}`)).toEqual(['general@999-7', 'general@1000-1', 'vip@1000-1']);
  });
});

describe("an agent's queues", () => {
  const staffing: Pick<Staffing, 'groups'> = {
    groups: [
      { id: 'vip-desk', skills: { vip: 1, 'vip-diamond': 2, general: 3 } },
      { id: 'vip', skills: { general: 1 } },
      { id: 'general-desk', skills: { general: 1, tech: 1 } },
    ],
  };

  it('are the ones the desktop asks for, once each, in its order', () => {
    expect(parseQueueList(' vip, general ,vip,,')).toEqual(['vip', 'general']);
  });

  it('must be queue ids', () => {
    expect(() => parseQueueList('vip,gen eral')).toThrow(AgentQueuesError);
    expect(() => parseQueueList(' , ')).toThrow(/queues is empty/);
  });

  it("otherwise come from the staffing group the agent id starts with, primary skills first", () => {
    expect(queuesOfAgent('vip-desk-07', staffing)).toEqual({ group: 'vip-desk', queues: ['vip', 'vip-diamond', 'general'] });
    expect(queuesOfAgent('vip-desk.li', staffing)?.group).toBe('vip-desk');
    expect(queuesOfAgent('general-desk', staffing)).toEqual({ group: 'general-desk', queues: ['general', 'tech'] });
  });

  it('take the longest matching group id, and none when no group matches', () => {
    expect(queuesOfAgent('vip-3', staffing)?.group).toBe('vip');
    expect(queuesOfAgent('vipdesk-1', staffing)).toBeNull();
    expect(queuesOfAgent('tech-1', staffing)).toBeNull();
  });
});

describe('a screen pop after a fault', () => {
  it('shows the masked number the queue knows and no IVR summary', () => {
    const turn = faultTurn(undefined, { callSid: callSid(1), language: 'zh-CN', code: 'CALL_STATE_UNAVAILABLE', caller: '+8613800000001' });
    const handoff = turn.end!.handoff!;
    const pop = screenPopOf({ callSid: callSid(1), handoff, decision: null, configVersion: null, profile: { phone: '' }, known: false, facts: deriveProfileFacts({ phone: '' }, false), language: 'zh-CN', nowMs: 0 });
    expect(pop).toMatchObject({ queue: 'general', fault: 'CALL_STATE_UNAVAILABLE', ivr: null, at: '1970-01-01T00:00:00.000Z' });
    expect(pop.customer).toMatchObject({ phone: '+86138****0001', known: false, name: null, dataUsedPct: null });
  });
});
