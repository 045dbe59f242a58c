import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfiguration, PACKAGE_ROOT } from '../../src/core/configuration/configuration.js';
import { loadStaffingFile } from '../../src/core/staffing/staffing-file.js';
import { readRecordedDay, replayRecordedDay } from '../../src/core/replications/recorded-day.js';
import { CallDecider } from '../../src/core/decision/call-decider.js';
import type { Scenario } from '../../src/core/replay/replay-run.js';
import { plainScenario, Replicator, type ReplicationRows } from '../../src/core/replications/replication.js';
import { resampleDay } from '../../src/core/replications/trace-resampler.js';
import { LocalReplicationRunner, MIN_CALLS_FOR_THREADS, ReplicationsStoppedError } from '../../src/core/replications/replication-pool.js';
import { replicatorFor, type FromReplicationWorker, type ReplicationJob, type ToReplicationWorker } from '../../src/core/replications/replication-worker.js';
import { compiledBuild, run, type Build } from './compiled-build.js';

// Replications run on worker threads, which cannot load the TypeScript sources Vitest runs: these use a build.

let build: Build;
beforeAll(async () => {
  build = await compiledBuild();
}, 180_000);
afterAll(() => build?.remove());

const cli = (...args: string[]) => run(process.execPath, [build.cli, ...args]);

async function sampleJob(volumeCv: number): Promise<ReplicationJob> {
  const day = await readRecordedDay(join(PACKAGE_ROOT, 'data/traces/sample.jsonl'), { onError: 'fail', sort: false });
  const { staffing } = await loadStaffingFile(join(PACKAGE_ROOT, 'data/staffing.json'));
  return { day, plan: { seed: 5, intervalSec: 1800, volumeCv }, scenarios: [plainScenario({ config: loadConfiguration(), staffing, staffingSource: 'test', seed: 5 })] };
}

/** What a replication worker thread posts back for each index, asked one at a time. */
async function fromWorkerThread(url: URL, job: ReplicationJob, indices: number[]): Promise<ReplicationRows[][]> {
  const w = new Worker(url, { workerData: job });
  try {
    const next = () => new Promise<FromReplicationWorker>((resolve, reject) => (w.once('message', resolve), w.once('error', reject)));
    expect((await next()).type).toBe('ready');
    const out: ReplicationRows[][] = [];
    for (const index of indices) {
      w.postMessage({ type: 'run', index } satisfies ToReplicationWorker);
      const m = await next();
      if (m.type !== 'result') throw new Error(`expected a result, got ${JSON.stringify(m)}`);
      expect(m.index).toBe(index);
      out.push(m.rows);
    }
    return out;
  } finally {
    await w.terminate();
  }
}

describe('replications give the same figures on any number of threads', () => {
  it('a worker thread returns, replication by replication, exactly what this thread computes', async () => {
    const job = await sampleJob(0.05);
    const indices = [0, 1, 2, 3, 4];
    const here = replicatorFor(job);
    const expected = indices.map((i) => here(i));
    expect(await fromWorkerThread(build.workerUrl, job, indices)).toEqual(expected);
    expect(expected[0]![0]!.overall.calls).not.toBe(expected[1]![0]!.overall.calls);
  }, 60_000);

  it("this thread's replications, decided by the recorded replay's deciders, are those of fresh deciders", async () => {
    const job = await sampleJob(0.05);
    const { staffing } = await loadStaffingFile(join(PACKAGE_ROOT, 'data/staffing.json'));
    const scenario: Scenario = { config: loadConfiguration(), staffing, staffingSource: 'test', seed: 5 };
    const decider = new CallDecider(scenario.config);
    replayRecordedDay(job.day, scenario, { decider });
    const shared = new Replicator([scenario], [decider]);
    const fresh = replicatorFor(job);
    for (const index of [0, 1, 2]) expect(shared.replay(resampleDay(job.day, job.plan, index))).toEqual(fresh(index));
  }, 60_000);

  it('with 2 threads, this one and a worker thread share the replications and the figures are put back in index order', async () => {
    const job = await sampleJob(0.05);
    const indices = [3, 0, 7, 1, 2, 9, 4, 5];
    const one = new LocalReplicationRunner(job, 1);
    // Patient: this thread waits for the worker thread's figures rather than compute them too.
    const two = new LocalReplicationRunner(job, 2, { workerUrl: build.workerUrl, patience: Infinity });
    try {
      await two.start();
      const [a, b] = await Promise.all([one.run(indices), two.run(indices)]);
      expect(b).toEqual(a);
      expect(one.split).toEqual({ here: 8, threads: 0 });
      // The worker thread, ready when the run began, took the first replication at once.
      expect(two.split.threads).toBeGreaterThanOrEqual(1);
      expect(two.split.here + two.split.threads).toBe(8);
      // A second run (more replications asked for) finds the worker thread warm.
      const more = [10, 11, 12];
      expect(await two.run(more)).toEqual(await one.run(more));
      expect(two.split.here + two.split.threads).toBe(11);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  }, 60_000);

  it('a worker thread that holds a replication too long does not hold the run: this thread computes it too', async () => {
    const job = await sampleJob(0);
    // Ready at once, then never answers: the run would wait forever for it.
    const stalling = new URL('data:text/javascript,' + encodeURIComponent("import { parentPort } from 'node:worker_threads'; parentPort.postMessage({ type: 'ready' }); parentPort.on('message', () => {});"));
    const runner = new LocalReplicationRunner(job, 2, { workerUrl: stalling });
    const alone = new LocalReplicationRunner(job, 1);
    try {
      await runner.start();
      const indices = [0, 1, 2, 3];
      expect(await runner.run(indices)).toEqual(await alone.run(indices));
      expect(runner.split).toEqual({ here: 4, threads: 0 });
    } finally {
      await Promise.all([runner.close(), alone.close()]);
    }
  }, 30_000);

  it('left to their default, threads are started only for runs long enough to gain from them', async () => {
    const job = await sampleJob(0);
    expect(availableParallelism()).toBeGreaterThan(1);
    // A worker thread that fails as it starts: a run that starts one fails with its error.
    const failing = new URL('data:text/javascript,' + encodeURIComponent("throw new Error('a worker thread was started');"));
    const perRun = Math.ceil(MIN_CALLS_FOR_THREADS / job.day.calls.length);
    const short = new LocalReplicationRunner(job, 'auto', { workerUrl: failing });
    try {
      expect(await short.run([0, 1, 2])).toHaveLength(3);
      expect(short.split).toEqual({ here: 3, threads: 0 });
    } finally {
      await short.close();
    }
    const long = new LocalReplicationRunner(job, 'auto', { workerUrl: failing });
    try {
      await expect(long.run(Array.from({ length: perRun }, (_, i) => i))).rejects.toThrow('a worker thread was started');
    } finally {
      await long.close();
    }
    // Asked for explicitly, threads are started whatever the run's length.
    const asked = new LocalReplicationRunner(job, 2, { workerUrl: failing });
    try {
      await expect(asked.run([0, 1, 2])).rejects.toThrow('a worker thread was started');
    } finally {
      await asked.close();
    }
  }, 60_000);

  it('closing the runner while its threads compute stops the run: it rejects instead of waiting forever', async () => {
    const job = await sampleJob(0);
    for (const runner of [new LocalReplicationRunner(job, 2, { workerUrl: build.workerUrl }), new LocalReplicationRunner(job, 1)]) {
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
