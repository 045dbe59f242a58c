import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfiguration, PACKAGE_ROOT } from '../../src/core/configuration/configuration.js';
import { loadStaffingFile } from '../../src/core/staffing/staffing-file.js';
import { readRecordedDay } from '../../src/core/replications/recorded-day.js';
import { plainScenario } from '../../src/core/replications/replication.js';
import { LocalReplicationRunner, ReplicationsStoppedError } from '../../src/core/replications/replication-pool.js';
import { compiledBuild, run, type Build } from './compiled-build.js';

// Replications run on worker threads, which cannot load the TypeScript sources Vitest runs: these use a build.

let build: Build;
beforeAll(async () => {
  build = await compiledBuild();
}, 180_000);
afterAll(() => build?.remove());

const cli = (...args: string[]) => run(process.execPath, [build.cli, ...args]);

describe('replications give the same figures on any number of threads', () => {
  it('worker threads return, replication by replication, exactly what this thread computes', async () => {
    const day = await readRecordedDay(join(PACKAGE_ROOT, 'data/traces/sample.jsonl'), { onError: 'fail', sort: false });
    const { staffing } = await loadStaffingFile(join(PACKAGE_ROOT, 'data/staffing.json'));
    const job = { day, plan: { seed: 5, intervalSec: 1800, volumeCv: 0.05 }, scenarios: [plainScenario({ config: loadConfiguration(), staffing, staffingSource: 'test', seed: 5 })] };
    const here = new LocalReplicationRunner(job, 1);
    const threads = new LocalReplicationRunner(job, 2, build.workerUrl);
    try {
      const indices = [0, 1, 2, 3, 4];
      const [a, b] = await Promise.all([here.run(indices), threads.run(indices)]);
      expect(b).toEqual(a);
      expect(a[0]![0]!.overall.calls).not.toBe(a[1]![0]!.overall.calls);
    } finally {
      await Promise.all([here.close(), threads.close()]);
    }
  }, 60_000);

  it('closing the runner while its threads compute stops the run: it rejects instead of waiting forever', async () => {
    const day = await readRecordedDay(join(PACKAGE_ROOT, 'data/traces/sample.jsonl'), { onError: 'fail', sort: false });
    const { staffing } = await loadStaffingFile(join(PACKAGE_ROOT, 'data/staffing.json'));
    const job = { day, plan: { seed: 5, intervalSec: 1800, volumeCv: 0 }, scenarios: [plainScenario({ config: loadConfiguration(), staffing, staffingSource: 'test', seed: 5 })] };
    for (const runner of [new LocalReplicationRunner(job, 2, build.workerUrl), new LocalReplicationRunner(job, 1)]) {
      let done = 0;
      const run = runner.run(Array.from({ length: 200 }, (_, i) => i), (n) => (done = n));
      run.catch(() => {});
      while (done === 0) await new Promise((r) => setTimeout(r, 20));
      await runner.close();
      await expect(run).rejects.toThrow(ReplicationsStoppedError);
      expect(done).toBeLessThan(200);
    }
  }, 120_000);

  it('replay and compare print byte-identical output with 1, 2 and 3 threads', async () => {
    const replay = ['replay', 'data/traces/sample.jsonl', '--replications', '6', '--seed', '4'];
    const [one, two, three] = await Promise.all([cli(...replay, '--threads', '1'), cli(...replay, '--threads', '2'), cli(...replay, '--threads', '3')]);
    expect(one.code, one.err).toBe(0);
    expect(two.out).toBe(one.out);
    expect(three.out).toBe(one.out);
    const compare = ['compare', 'data/traces/sample.jsonl', '--baseline', '.', '--candidate', '.', '--json', '--replications', '4', '--volume-cv', '0.1'];
    const [c1, c2] = await Promise.all([cli(...compare, '--threads', '1'), cli(...compare, '--threads', '2')]);
    expect(c1.code, c1.err).toBe(0);
    expect(c2.out).toBe(c1.out);
    expect(JSON.parse(c1.out).replications.method).toContain('volume factor');
  }, 120_000);
});
