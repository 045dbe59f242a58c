import { describe, expect, it } from 'vitest';
import { replicationBlocks } from '../../src/infra/replications/bullmq-replication-runner.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('the blocks a queued run is split into', () => {
  it('cover every replication once, in order, none bigger than the block size', () => {
    for (const [n, size] of [[100, 5], [7, 5], [1, 5], [400, 25], [30, 1], [10, 50]] as const) {
      const blocks = replicationBlocks(range(n), size);
      expect(blocks.flat(), `${n} in blocks of ${size}`).toEqual(range(n));
      expect(blocks.every((b) => b.length >= 1 && b.length <= size)).toBe(true);
    }
  });

  it('end with smaller blocks, so that workers sharing the run finish within one replication of each other', () => {
    const sizes = replicationBlocks(range(100), 5).map((b) => b.length);
    expect(sizes).toEqual([...Array(17).fill(5), 4, 3, 2, 2, 1, 1, 1, 1]);
    // Sizes never grow again towards the end.
    expect(sizes.every((s, i) => i === 0 || s <= sizes[i - 1]!)).toBe(true);
  });
});
