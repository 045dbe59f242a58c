import { describe, expect, it } from 'vitest';
import type { KeyPress } from '../../src/core/flows/key-presses.js';
import { DTMF_KEYS } from '../../src/core/flows/flow-types.js';
import { CallDecider } from '../../src/core/decision/call-decider.js';
import { mulberry32 } from '../helpers/seeded-random.js';
import { shippedConfig } from '../helpers/shipped.js';

describe('the fast path decides exactly as the reference', () => {
  const config = shippedConfig();
  const customers = [...config.customers.all()];

  it('for every sample customer and random key sequences (memoised XState + compiled rules vs XState + json-rules-engine)', async () => {
    const next = mulberry32(7);
    const fast = new CallDecider(config);
    const reference = new CallDecider(config);
    let compared = 0;
    for (let round = 0; round < 3; round++) {
      for (const [i, c] of customers.entries()) {
        const n = Math.floor(next() * 7);
        const keys: KeyPress[] = [];
        for (let k = 0; k < n; k++) {
          // Mostly menu keys, some invalid ones; timings from barge-in to after the timeout.
          const key = next() < 0.8 ? '0123459'[Math.floor(next() * 7)]! : DTMF_KEYS[Math.floor(next() * DTMF_KEYS.length)]!;
          keys.push(next() < 0.3 ? { key } : { key, afterSec: Math.round(next() * 400) / 10 });
        }
        const input = { callId: `eq-${round}-${i}`, caller: c.phone, keys, ...(next() < 0.05 ? { hangupInIvrSec: next() * 30 } : {}) };
        const a = fast.decide(input);
        const b = await reference.decideReference(input);
        expect(a, `customer ${c.phone}, keys ${JSON.stringify(keys)}`).toEqual(b);
        compared++;
      }
    }
    expect(compared).toBe(customers.length * 3);
  });
});
