import { deleteKeysUnder } from '../helpers/redis-keys.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfiguration, PACKAGE_ROOT } from '../../src/core/configuration/configuration.js';
import { readRecordedDay } from '../../src/core/replications/recorded-day.js';
import { plainScenario } from '../../src/core/replications/replication.js';
import { replicatorFor } from '../../src/core/replications/replication-worker.js';
import { loadStaffingFile } from '../../src/core/staffing/staffing-file.js';
import { BlockProcessor } from '../../src/infra/replications/block-processor.js';
import { bundleJob, contentHash, unbundleJob } from '../../src/infra/replications/replication-bundle.js';
import { connectedWorkers } from '../../src/infra/replications/bullmq-replication-runner.js';
import { BLOCK_QUEUE, productVersion, replicationKeyPrefixes, RUN_QUEUE, VersionMismatchError } from '../../src/infra/replications/replication-queue.js';
import { compiledBuild, otherVersionBuild, run, type Build } from './compiled-build.js';

/**
 * Replications spread over `ivr-sim replication-worker` processes through BullMQ, against the
 * real Redis, each test under a key prefix of its own (removed after). Worker processes run the
 * build (they cannot load the TypeScript sources).
 */
const REDIS_URL = 'redis://127.0.0.1:6379';
let build: Build;
let redis: Redis;
const prefixes: string[] = [];
const workers: ChildProcess[] = [];

function newPrefix(): string {
  const p = `test:replications:${randomUUID().slice(0, 8)}:`;
  prefixes.push(p);
  return p;
}

/** Starts a worker process (of this build, or of `cliPath`) and resolves once it says it is taking blocks. */
function startWorker(prefix: string, cliPath = build.cli): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cliPath, 'replication-worker', '--redis-url', REDIS_URL, '--prefix', prefix], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  workers.push(child);
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('taking blocks')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}): ${err}`)));
  });
}

function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

beforeAll(async () => {
  build = await compiledBuild();
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
}, 180_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => stop(w, 'SIGKILL')));
  for (const prefix of prefixes) {
    await deleteKeysUnder(redis, prefix);
  }
  await redis?.quit();
  build?.remove();
});

const cli = (...args: string[]) => run(process.execPath, [build.cli, ...args]);

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** The command as a process of its own, for signals (killed after the tests, should one hang). */
function spawnCli(...args: string[]): { child: ChildProcess; ended: Promise<Ended> } {
  const child = spawn(process.execPath, [build.cli, ...args], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  workers.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return { child, ended: new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal, out, err }))) };
}

/** How the process ended, or `hung` when it had not within `ms`. */
function endedWithin(ended: Promise<Ended>, ms: number): Promise<Ended | 'hung'> {
  return Promise.race([ended, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), ms))]);
}

/** The jobs of the queues under `prefix`, in any state. */
async function jobsLeft(prefix: string): Promise<Record<string, number>> {
  const left: Record<string, number> = {};
  for (const name of [BLOCK_QUEUE, RUN_QUEUE]) {
    const queue = new Queue(name, { connection: redis.duplicate(), prefix: replicationKeyPrefixes(prefix).bull });
    try {
      for (const [state, n] of Object.entries(await queue.getJobCounts())) if (n > 0) left[`${name} ${state}`] = n;
    } finally {
      await queue.close();
    }
  }
  return left;
}

/** Resolves once the run's blocks wait in the queue (none is taken: no worker serves the prefix). */
async function blocksQueued(blocks: Queue): Promise<void> {
  for (let i = 0; i < 3000 && (await blocks.getWaitingCount()) === 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(await blocks.getWaitingCount()).toBeGreaterThan(0);
}
const REPLAY = ['replay', 'data/traces/sample.jsonl', '--replications', '6', '--seed', '4'];
/**
 * For the kill tests (queued with `--block-size 30`): one block of 30 replications, long enough (about a second) for the test to
 * see a worker holding it before that worker is killed, however fast a replication gets.
 */
const REPLAY_30 = ['replay', 'data/traces/sample.jsonl', '--replications', '30', '--seed', '4'];

/** The replications' block being worked on, if any (the flow's other job is the recorded day's replay). */
async function activeBlock(blocks: Queue): Promise<{ processedOn?: number } | undefined> {
  return (await blocks.getActive()).find((job) => (job.data as { recorded?: unknown }).recorded === undefined);
}

describe('replications over BullMQ workers', () => {
  it('two workers give byte-identical output to a local run with the same seed', async () => {
    const prefix = newPrefix();
    const [a, b] = await Promise.all([startWorker(prefix), startWorker(prefix)]);
    const compare = ['compare', 'data/traces/sample.jsonl', '--baseline', '.', '--candidate', '.', '--json', '--replications', '4', '--seed', '2'];
    const [queued, local, queuedCompare, localCompare] = await Promise.all([
      cli(...REPLAY, '--redis-url', REDIS_URL, '--prefix', prefix, '--block-size', '2'),
      cli(...REPLAY, '--threads', '1'),
      cli(...compare, '--redis-url', REDIS_URL, '--prefix', prefix, '--block-size', '3'),
      cli(...compare, '--threads', '1'),
    ]);
    expect(queued.code, queued.err).toBe(0);
    expect(queued.out).toBe(local.out);
    expect(queuedCompare.code, queuedCompare.err).toBe(0);
    expect(queuedCompare.out).toBe(localCompare.out);
    // The trace and scenarios are stored once, under their content hash.
    expect(await redis.keys(`${prefix}replications:bundle:*`)).toHaveLength(2);
    await Promise.all([stop(a), stop(b)]);
  }, 120_000);

  it('a worker replays the recorded day too, as the flow\'s first job: the same report, files and skipped lines as a local run', async () => {
    const prefix = newPrefix();
    const dir = mkdtempSync(join(tmpdir(), 'ivr-sim-recorded-'));
    try {
      const lines = readFileSync(join(PACKAGE_ROOT, 'data/traces/sample.jsonl'), 'utf8').split('\n');
      const trace = join(dir, 'with-bad-lines.jsonl');
      writeFileSync(trace, [...lines.slice(0, 100), '{"callId": "bad"', ...lines.slice(100, 200), 'not json', ...lines.slice(200)].join('\n'));
      const worker = await startWorker(prefix);
      const replay = ['replay', trace, '--on-error', 'skip', '--replications', '4', '--seed', '3'];
      const queued = await cli(...replay, '--redis-url', REDIS_URL, '--prefix', prefix, '--out', join(dir, 'queued'));
      const local = await cli(...replay, '--threads', '1', '--out', join(dir, 'local'));
      expect(queued.code, queued.err).toBe(0);
      expect(queued.out.replaceAll('queued', 'local')).toBe(local.out);
      expect(queued.err).toBe(local.err);
      expect(queued.err).toContain('skipped 2 lines of');
      for (const file of ['report.json', 'report.html']) expect(readFileSync(join(dir, 'queued', file), 'utf8')).toBe(readFileSync(join(dir, 'local', file), 'utf8'));
      const json = await cli(...replay, '--json', '--redis-url', REDIS_URL, '--prefix', prefix);
      expect(json.out).toBe((await cli(...replay, '--json', '--threads', '1')).out);
      // A worker computed it: the flows' first jobs asked for the recorded day, and nothing else did.
      const blocks = new Queue(BLOCK_QUEUE, { connection: redis.duplicate(), prefix: replicationKeyPrefixes(prefix).bull });
      try {
        const done = await blocks.getCompleted();
        expect(done.filter((j) => j.name === 'recorded-day')).toHaveLength(2);
        expect(done.filter((j) => j.data.recorded !== undefined).every((j) => j.name === 'recorded-day' && j.data.indices.length === 0)).toBe(true);
      } finally {
        await blocks.close();
      }
      await stop(worker);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('a worker killed in the middle of a block loses nothing: another takes the block over, same output', async () => {
    const prefix = newPrefix();
    const first = await startWorker(prefix);
    const queued = cli(...REPLAY_30, '--block-size', '30', '--redis-url', REDIS_URL, '--prefix', prefix);
    const blocks = new Queue(BLOCK_QUEUE, { connection: redis.duplicate(), prefix: replicationKeyPrefixes(prefix).bull });
    try {
      for (let i = 0; i < 2000 && (await activeBlock(blocks)) === undefined; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await activeBlock(blocks)).toBeDefined();
      await stop(first, 'SIGKILL');
      await startWorker(prefix);
      const [out, local] = await Promise.all([queued, cli(...REPLAY_30, '--threads', '1')]);
      expect(out.code, out.err).toBe(0);
      expect(out.out).toBe(local.out);
      expect(await blocks.getFailedCount()).toBe(0);
    } finally {
      await blocks.close();
    }
  }, 120_000);

  it('killed twice in the same block, the block is still not failed for stalling: a third worker finishes it', async () => {
    const prefix = newPrefix();
    const queued = cli(...REPLAY_30, '--block-size', '30', '--redis-url', REDIS_URL, '--prefix', prefix);
    const blocks = new Queue(BLOCK_QUEUE, { connection: redis.duplicate(), prefix: replicationKeyPrefixes(prefix).bull });
    /** Waits until a worker has (re)started the block after `since`. */
    const takenAfter = async (since: number) => {
      for (let i = 0; i < 6000; i++) {
        const job = await activeBlock(blocks);
        if (job?.processedOn !== undefined && job.processedOn > since) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error('the block was not taken');
    };
    try {
      let since = 0;
      for (let kill = 0; kill < 2; kill++) {
        const worker = await startWorker(prefix);
        await takenAfter(since);
        since = Date.now();
        await stop(worker, 'SIGKILL');
      }
      await startWorker(prefix);
      const [out, local] = await Promise.all([queued, cli(...REPLAY_30, '--threads', '1')]);
      expect(out.code, out.err).toBe(0);
      expect(out.out).toBe(local.out);
      expect(await blocks.getFailedCount()).toBe(0);
    } finally {
      await blocks.close();
    }
  }, 150_000);

  it('every worker killed mid-run: the run fails soon after --worker-timeout saying so, writes nothing and leaves no job in Redis', async () => {
    const prefix = newPrefix();
    const dir = mkdtempSync(join(tmpdir(), 'ivr-sim-workers-gone-'));
    const worker = await startWorker(prefix);
    const queued = spawnCli(...REPLAY_30, '--block-size', '30', '--redis-url', REDIS_URL, '--prefix', prefix, '--worker-timeout', '2', '--out', join(dir, 'report'));
    const blocks = new Queue(BLOCK_QUEUE, { connection: redis.duplicate(), prefix: replicationKeyPrefixes(prefix).bull });
    try {
      for (let i = 0; i < 2000 && (await activeBlock(blocks)) === undefined; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await activeBlock(blocks)).toBeDefined();
      await stop(worker, 'SIGKILL');
      const killed = Date.now();
      const r = await endedWithin(queued.ended, 30_000);
      if (r === 'hung') throw new Error('the command still waits 30 s after its only worker was killed');
      expect(r.code, r.err).toBe(1);
      // The 2 s asked for after the block's last progress, then a look at Redis; not the lock's expiry.
      expect(Date.now() - killed).toBeLessThan(12_000);
      expect(r.out).toBe('');
      expect(r.err).toContain('the replication workers stopped mid-run: none is connected to Redis');
      expect(r.err).toContain("0 of 30 replications were done, and the run's jobs were removed");
      expect(r.err).toContain(`ivr-sim replication-worker --redis-url ${REDIS_URL} --prefix ${prefix}`);
      expect(readdirSync(dir)).toEqual([]);
      expect(await jobsLeft(prefix)).toEqual({});
    } finally {
      queued.child.kill('SIGKILL');
      await blocks.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('a worker killed while another stays connected: a short --worker-timeout waits for the block to be taken over, same output', async () => {
    const prefix = newPrefix();
    const first = await startWorker(prefix);
    const queued = cli(...REPLAY_30, '--block-size', '30', '--redis-url', REDIS_URL, '--prefix', prefix, '--worker-timeout', '2');
    const blocks = new Queue(BLOCK_QUEUE, { connection: redis.duplicate(), prefix: replicationKeyPrefixes(prefix).bull });
    try {
      for (let i = 0; i < 2000 && (await activeBlock(blocks)) === undefined; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await activeBlock(blocks)).toBeDefined();
      // Idle but connected: it takes the block over only once the killed worker's lock expired,
      // several timeouts of silence later.
      await startWorker(prefix);
      await stop(first, 'SIGKILL');
      const [out, local] = await Promise.all([queued, cli(...REPLAY_30, '--threads', '1')]);
      expect(out.code, out.err).toBe(0);
      expect(out.out).toBe(local.out);
    } finally {
      await blocks.close();
    }
  }, 120_000);

  it('whether workers are connected: CLIENT LIST counted, and unknown when Redis cannot tell', async () => {
    expect(await connectedWorkers({ getWorkers: async () => [] })).toBe(0);
    expect(await connectedWorkers({ getWorkers: async () => [{ name: 'replication-blocks', rawname: 'p:bull:cmVwbGljYXRpb24tYmxvY2tz' }] })).toBe(1);
    // CLIENT refused by an ACL, say.
    expect(await connectedWorkers({ getWorkers: async () => Promise.reject(new Error("NOPERM this user has no permissions to run the 'client|list' command")) })).toBeUndefined();
    // CLIENT unknown: BullMQ answers with a placeholder instead of a connection.
    expect(await connectedWorkers({ getWorkers: async () => [{ name: 'GCP does not support client list' }] })).toBeUndefined();
    // And the real thing: a worker of the prefix is counted, and gone once killed.
    const prefix = newPrefix();
    const blocks = new Queue(BLOCK_QUEUE, { connection: redis.duplicate(), prefix: replicationKeyPrefixes(prefix).bull });
    try {
      expect(await connectedWorkers(blocks)).toBe(0);
      const worker = await startWorker(prefix);
      expect(await connectedWorkers(blocks)).toBe(1);
      await stop(worker, 'SIGKILL');
      for (let i = 0; i < 200 && (await connectedWorkers(blocks)) !== 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await connectedWorkers(blocks)).toBe(0);
    } finally {
      await blocks.close();
    }
  }, 60_000);

  it('Ctrl-C while the run is queued removes its jobs from Redis and exits with 130', async () => {
    const prefix = newPrefix();
    const dir = mkdtempSync(join(tmpdir(), 'ivr-sim-interrupted-'));
    const blocks = new Queue(BLOCK_QUEUE, { connection: redis.duplicate(), prefix: replicationKeyPrefixes(prefix).bull });
    try {
      for (const command of [
        [...REPLAY, '--out', join(dir, 'report')],
        ['compare', 'data/traces/sample.jsonl', '--baseline', '.', '--candidate', '.', '--replications', '4', '--out', join(dir, 'compare'), '--calls-out', join(dir, 'calls.jsonl')],
      ]) {
        const queued = spawnCli(...command, '--redis-url', REDIS_URL, '--prefix', prefix);
        try {
          await blocksQueued(blocks);
          queued.child.kill('SIGINT');
          const r = await endedWithin(queued.ended, 20_000);
          if (r === 'hung') throw new Error('the command did not end after Ctrl-C');
          expect(r.signal).toBeNull();
          expect(r.code, r.err).toBe(130);
          expect(r.out).toBe('');
          expect(r.err).toBe("ivr-sim: interrupted; the run's jobs were removed from Redis\n");
          expect(await blocks.getWaitingCount()).toBe(0);
          expect(await jobsLeft(prefix)).toEqual({});
          expect(readdirSync(dir)).toEqual([]);
        } finally {
          queued.child.kill('SIGKILL');
        }
      }
    } finally {
      await blocks.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('Ctrl-C with Redis no longer answering: the command says so within 5 s, and a second Ctrl-C ends it at once', async () => {
    const prefix = newPrefix();
    // A way to Redis that can go silent: it stops passing anything on, either way.
    let silent = false;
    const sockets: Socket[] = [];
    const proxy = createServer((client) => {
      const upstream = connect(6379, '127.0.0.1');
      sockets.push(client, upstream);
      client.on('data', (d: Buffer) => {
        if (!silent) upstream.write(d);
      });
      upstream.on('data', (d: Buffer) => {
        if (!silent) client.write(d);
      });
      client.on('error', () => {});
      upstream.on('error', () => {});
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const url = `redis://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const runs = new Queue(RUN_QUEUE, { connection: redis.duplicate(), prefix: replicationKeyPrefixes(prefix).bull });
    try {
      const once = spawnCli(...REPLAY, '--redis-url', url, '--prefix', prefix);
      const twice = spawnCli(...REPLAY, '--redis-url', url, '--prefix', prefix);
      // Both runs queued: their parents wait for their blocks.
      for (let i = 0; i < 3000 && (await runs.getWaitingChildrenCount()) < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await runs.getWaitingChildrenCount()).toBe(2);
      silent = true;
      once.child.kill('SIGINT');
      twice.child.kill('SIGINT');
      await new Promise((r) => setTimeout(r, 1_000));
      // Both still wait for Redis to remove their jobs.
      expect([once.child.exitCode, once.child.signalCode, twice.child.exitCode, twice.child.signalCode]).toEqual([null, null, null, null]);
      const sent = Date.now();
      twice.child.kill('SIGINT');
      const second = await endedWithin(twice.ended, 3_000);
      if (second === 'hung') throw new Error('a second Ctrl-C did not end the command');
      expect(second.signal).toBe('SIGINT');
      expect(Date.now() - sent).toBeLessThan(3_000);
      const first = await endedWithin(once.ended, 15_000);
      if (first === 'hung') throw new Error('the command did not give up on Redis');
      expect(first.code).toBe(130);
      expect(first.err).toBe("ivr-sim: interrupted; the run's jobs could not be removed from Redis (no answer within 5 s)\n");
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => proxy.close(resolve));
      await runs.close();
    }
  }, 90_000);

  it('workers busy with another run: a second run waits for them past --worker-timeout rather than fail, same output', async () => {
    const prefix = newPrefix();
    await startWorker(prefix);
    // Another tester's run: one block of 300 replications, seconds of work for the only worker.
    const first = cli('replay', 'data/traces/sample.jsonl', '--replications', '300', '--block-size', '300', '--redis-url', REDIS_URL, '--prefix', prefix);
    const blocks = new Queue(BLOCK_QUEUE, { connection: redis.duplicate(), prefix: replicationKeyPrefixes(prefix).bull });
    try {
      for (let i = 0; i < 2000 && (await activeBlock(blocks)) === undefined; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await activeBlock(blocks)).toBeDefined();
      const [second, local] = await Promise.all([cli(...REPLAY, '--redis-url', REDIS_URL, '--prefix', prefix, '--worker-timeout', '1'), cli(...REPLAY, '--threads', '1')]);
      expect(second.code, second.err).toBe(0);
      expect(second.out).toBe(local.out);
      expect((await first).code).toBe(0);
    } finally {
      await blocks.close();
    }
  }, 120_000);

  it('with no worker, the run fails after --worker-timeout with a message saying how to start one, and prints nothing', async () => {
    const prefix = newPrefix();
    const started = Date.now();
    const r = await cli(...REPLAY, '--redis-url', REDIS_URL, '--prefix', prefix, '--worker-timeout', '2');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('no replication worker took the job within 2 s');
    expect(r.err).toContain(`ivr-sim replication-worker --redis-url ${REDIS_URL} --prefix ${prefix}`);
    // Not the default 30 s: the 2 s asked for, plus the process's start-up (seconds on a busy machine).
    expect(Date.now() - started).toBeLessThan(28_000);
  }, 60_000);

  it('an unreachable Redis is a clear error within seconds, nothing printed, no file written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ivr-sim-unreachable-'));
    try {
      const started = Date.now();
      const r = await cli(...REPLAY, '--redis-url', 'redis://127.0.0.1:1', '--out', join(dir, 'report'));
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toContain('cannot reach Redis at redis://127.0.0.1:1 (--redis-url): connect ECONNREFUSED');
      expect(Date.now() - started).toBeLessThan(25_000); // a refused connection fails at once; the rest is the process's start-up
      const c = await cli('compare', 'data/traces/sample.jsonl', '--baseline', '.', '--candidate', '.', '--replications', '4', '--redis-url', 'redis://127.0.0.1:1', '--out', join(dir, 'compare'), '--calls-out', join(dir, 'calls.jsonl'));
      expect(c.code).toBe(1);
      expect(c.out).toBe('');
      expect(c.err).toContain('cannot reach Redis at redis://127.0.0.1:1 (--redis-url)');
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('a Redis that accepts the connection but never answers is a clear error within seconds too', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => void sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `redis://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const started = Date.now();
      const r = await cli(...REPLAY, '--redis-url', url);
      expect(r.code, r.err).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toContain(`cannot reach Redis at ${url} (--redis-url): no answer within 5 s`);
      expect(Date.now() - started).toBeLessThan(25_000); // the 5 s the message names, plus the process's start-up
      expect(sockets.length).toBeGreaterThan(0); // it did connect: the silence is what failed it
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 30_000);

  it('a run whose block a worker of another version takes fails at once with that worker\'s message, naming both versions, and writes nothing', async () => {
    const prefix = newPrefix();
    const other = otherVersionBuild(build, '9.9.9');
    const dir = mkdtempSync(join(tmpdir(), 'ivr-sim-version-'));
    try {
      await startWorker(prefix, other.cli);
      const r = await cli(...REPLAY, '--redis-url', REDIS_URL, '--prefix', prefix, '--out', join(dir, 'report'));
      expect(r.code, r.err).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toContain(`the replication job comes from ivr-sim ${productVersion()}, and this replication worker is ivr-sim 9.9.9: run workers of the same version`);
      expect(readdirSync(dir)).toEqual([]);
      // Refused once, not retried until the attempts run out: no retry would help.
      const blocks = new Queue(BLOCK_QUEUE, { connection: redis.duplicate(), prefix: replicationKeyPrefixes(prefix).bull });
      try {
        const failed = await blocks.getFailed();
        expect(failed.length).toBeGreaterThan(0);
        expect(failed.map((j) => j.attemptsMade)).toEqual(failed.map(() => 1));
      } finally {
        await blocks.close();
      }
    } finally {
      other.remove();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);

  it('the bundle carries the configuration files: rebuilt where the originals are gone, it gives the same figures', async () => {
    const original = mkdtempSync(join(tmpdir(), 'ivr-sim-bundle-src-'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'ivr-sim-bundle-dst-'));
    try {
      cpSync(join(PACKAGE_ROOT, 'flows'), join(original, 'flows'), { recursive: true });
      cpSync(join(PACKAGE_ROOT, 'rules'), join(original, 'rules'), { recursive: true });
      cpSync(join(PACKAGE_ROOT, 'data/customers.json'), join(original, 'customers.json'));
      const paths = { flowsDir: join(original, 'flows'), rulesDir: join(original, 'rules'), customersFile: join(original, 'customers.json') };
      const day = await readRecordedDay(`${PACKAGE_ROOT}/data/traces/golden.jsonl`, { onError: 'fail', sort: false });
      const { staffing } = await loadStaffingFile(`${PACKAGE_ROOT}/data/staffing.json`);
      const job = { day, plan: { seed: 3, intervalSec: 1800, volumeCv: 0 }, scenarios: [plainScenario({ config: loadConfiguration(paths), staffing, staffingSource: 't', seed: 3 })] };
      const here = replicatorFor(job);
      const expected = [here(0), here(1)];
      const text = JSON.stringify(bundleJob(job));
      rmSync(original, { recursive: true, force: true });
      const unpacked = unbundleJob(JSON.parse(text), elsewhere);
      expect(unpacked.scenarios[0]!.paths.flowsDir.startsWith(elsewhere)).toBe(true);
      const there = replicatorFor(unpacked);
      expect([there(0), there(1)]).toEqual(expected);
    } finally {
      rmSync(original, { recursive: true, force: true });
      rmSync(elsewhere, { recursive: true, force: true });
    }
  }, 60_000);

  it('a worker of another version refuses the block, naming both versions', async () => {
    const prefix = newPrefix();
    const day = await readRecordedDay(`${PACKAGE_ROOT}/data/traces/golden.jsonl`, { onError: 'fail', sort: false });
    const { staffing } = await loadStaffingFile(`${PACKAGE_ROOT}/data/staffing.json`);
    const text = JSON.stringify(bundleJob({ day, plan: { seed: 1, intervalSec: 1800, volumeCv: 0 }, scenarios: [plainScenario({ config: loadConfiguration(), staffing, staffingSource: 't', seed: 1 })] }));
    const hash = contentHash(text);
    const keys = replicationKeyPrefixes(prefix);
    await redis.set(keys.bundle(hash), text);
    const processor = new BlockProcessor(redis, keys.bundle, '0.1.0');
    const other = processor.process({ version: '9.9.9', bundle: hash, indices: [0] }, async () => {});
    await expect(other).rejects.toThrow(VersionMismatchError);
    await expect(other).rejects.toThrow('the replication job comes from ivr-sim 9.9.9, and this replication worker is ivr-sim 0.1.0');
    // The same block of its own version is computed from the bundle alone.
    const done: number[] = [];
    const result = await processor.process({ version: '0.1.0', bundle: hash, indices: [0, 1] }, async (n) => void done.push(n));
    expect(result.indices).toEqual([0, 1]);
    expect(done).toEqual([1, 2]);
    expect((result.rows[0] as { overall: { calls: number } }[])[0]!.overall.calls).toBeGreaterThan(0);
  }, 60_000);
});
