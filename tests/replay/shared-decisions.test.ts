import { describe, expect, it } from 'vitest';
import type { CompactDecision, DecideInput } from '../../src/core/replay/compact-decision.js';
import { decisionsKey, shareDecisions } from '../../src/core/replay/decided-batches.js';
import { ReplayRun } from '../../src/core/replay/replay-run.js';
import { shippedConfig } from '../helpers/shipped.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStaffing } from '../../src/core/staffing/staffing-file.js';

const call = (callId: string): DecideInput => ({ callId, keys: [] });
const decision = (segment: string): CompactDecision => ({ segment, outcome: 'selfServed', ivrSec: 1, hotKey: null, route: null, sms: [], tags: [] });

describe('scenarios that decide alike share one decision per call', () => {
  it('a later scenario with the same key hands out the earlier one’s decision for the same call; others decide for themselves', () => {
    const asked = [0, 0, 0];
    const deciders = ['a', 'b', 'a'].map((seg, k) => (c: DecideInput) => {
      asked[k]!++;
      return decision(`${seg}:${c.callId}`);
    });
    const shared = shareDecisions(deciders, ['x', 'y', 'x']);
    for (const id of ['1', '2', '3']) {
      const c = call(id);
      const [first, second, third] = shared.map((decide) => decide(c));
      expect(third).toBe(first);
      expect(second).toEqual(decision(`b:${id}`));
    }
    expect(asked).toEqual([3, 3, 0]);
    // A call the earlier scenario did not just decide is decided afresh.
    expect(shared[2]!(call('4'))).toEqual(decision('a:4'));
    expect(asked[2]).toBe(1);
  });

  it('the key tells configurations, customers files, seeds and contact policies apart', () => {
    const base = { version: 'v1', customersFile: '/c.json', seed: 1, recipients: false };
    const keys = [base, { ...base, version: 'v2' }, { ...base, customersFile: '/d.json' }, { ...base, seed: 2 }, { ...base, recipients: true }].map(decisionsKey);
    expect(new Set(keys).size).toBe(5);
    expect(decisionsKey({ ...base })).toBe(keys[0]);
  });

  it('two runs of one configuration with different staffing have the same key', () => {
    const config = shippedConfig();
    const file = join(import.meta.dirname, '..', '..', 'data', 'staffing.json');
    const { staffing } = parseStaffing(readFileSync(file, 'utf8'), file);
    const a = new ReplayRun({ config, staffing, staffingSource: 'a', seed: 1 });
    const b = new ReplayRun({ config, staffing: { ...staffing, defaultWrapSec: 99 }, staffingSource: 'b', seed: 1 });
    const c = new ReplayRun({ config, staffing, staffingSource: 'c', seed: 2 });
    expect(a.decisionsKey()).toBe(b.decisionsKey());
    expect(a.decisionsKey()).not.toBe(c.decisionsKey());
  });
});
