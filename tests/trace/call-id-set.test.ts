import { describe, expect, it } from 'vitest';
import { CallIdSet } from '../../src/core/trace/call-id-set.js';
import { mulberry32 } from '../helpers/seeded-random.js';

describe('the set of call ids a trace has used', () => {
  it('finds the first line of every id, as a Map of every id would, in or out of order', () => {
    const random = mulberry32(5);
    for (const style of ['ordered', 'unpadded', 'mixed', 'random']) {
      const set = new CallIdSet();
      const map = new Map<string, number>();
      for (let line = 1; line <= 20_000; line++) {
        let id: string;
        if (style === 'ordered') id = `c${String(line).padStart(7, '0')}`;
        else if (style === 'unpadded') id = `c${line}`;
        else if (style === 'mixed') id = random() < 0.8 ? `c${String(line).padStart(7, '0')}` : `c${String(Math.floor(random() * line)).padStart(7, '0')}`;
        else id = `x${Math.floor(random() * 30_000)}`;
        if (random() < 0.02) id = [...map.keys()][Math.floor(random() * map.size)] ?? id; // a duplicate
        const first = set.lineOf(id);
        expect(first, `${style} line ${line} ${id}`).toBe(map.get(id));
        if (first === undefined) {
          set.add(id, line);
          map.set(id, line);
        }
      }
    }
  });
});
