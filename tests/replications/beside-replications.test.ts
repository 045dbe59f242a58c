import { describe, expect, it } from 'vitest';
import { besideReplications, type ReplicationsUnderWay } from '../../src/cli/replication-options.js';

/** Replications that record what was asked of them. */
function fakeReplications(log: string[]): ReplicationsUnderWay {
  return {
    result: async () => {
      log.push('result');
      throw new Error('not asked for in these tests');
    },
    cancel: async () => void log.push('cancel'),
  };
}

describe('the recorded day replays while the replications compute', () => {
  it('starts the replications before the recorded replay, and hands both back', async () => {
    const log: string[] = [];
    const r = await besideReplications(
      async () => (log.push('start'), fakeReplications(log)),
      async () => (log.push('recorded'), 42),
    );
    expect(r.recorded).toBe(42);
    expect(r.replications).toBeDefined();
    expect(log).toEqual(['start', 'recorded']);
  });

  it('a failed recorded replay stops the replications and is the error reported', async () => {
    const log: string[] = [];
    const run = besideReplications(
      async () => fakeReplications(log),
      async () => {
        throw new Error('line 51: not valid JSON');
      },
    );
    await expect(run).rejects.toThrow('line 51: not valid JSON');
    expect(log).toEqual(['cancel']);
  });

  it('replications that could not start: the recorded replay still runs first, its error wins, else theirs is reported', async () => {
    const failing = async (): Promise<ReplicationsUnderWay> => {
      throw new Error('replications: bad trace');
    };
    await expect(besideReplications(failing, async () => Promise.reject(new Error('recorded: bad trace')))).rejects.toThrow('recorded: bad trace');
    let replayed = false;
    await expect(besideReplications(failing, async () => void (replayed = true))).rejects.toThrow('replications: bad trace');
    expect(replayed).toBe(true);
  });

  it('without replications, just the recorded replay', async () => {
    expect(await besideReplications(undefined, async () => 'day')).toEqual({ recorded: 'day' });
  });
});
