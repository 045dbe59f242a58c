import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfiguration, PACKAGE_ROOT } from '../../src/core/configuration/configuration.js';
import { readRecordedDay } from '../../src/core/replications/recorded-day.js';
import { plainScenario } from '../../src/core/replications/replication.js';
import { loadStaffingFile } from '../../src/core/staffing/staffing-file.js';
import { Job, QueueEvents, UnrecoverableError, Worker } from '../../src/infra/queue/commonjs-packages.js';
import { BullmqReplicationRunner } from '../../src/infra/replications/bullmq-replication-runner.js';
import { connectRedis } from '../../src/infra/replications/redis-connection.js';
import { BLOCK_QUEUE, replicationKeyPrefixes } from '../../src/infra/replications/replication-queue.js';
import { deleteKeysUnder } from '../helpers/redis-keys.js';

/**
 * The runner's first look at its blocks (those that finished or failed before its queue events
 * were listened to) against the real Redis: a block that fails between the moment its job is
 * read and the moment its state is asked must still fail the run with the worker's reason.
 */
const REDIS_URL = 'redis://127.0.0.1:6379';
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
const prefixes: string[] = [];

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  for (const prefix of prefixes) {
    await deleteKeysUnder(redis, prefix);
  }
  await redis.quit();
});

describe('a replication run over BullMQ whose block fails', () => {
  it('names the worker\'s reason even when the block fails just after the runner read its job', async () => {
    const prefix = `test:replications:${randomUUID().slice(0, 8)}:`;
    prefixes.push(prefix);
    const bull = replicationKeyPrefixes(prefix).bull;
    const day = await readRecordedDay(`${PACKAGE_ROOT}/data/traces/golden.jsonl`, { onError: 'fail', sort: false });
    const { staffing } = await loadStaffingFile(`${PACKAGE_ROOT}/data/staffing.json`);
    const job = { day, plan: { seed: 1, intervalSec: 1800, volumeCv: 0 }, scenarios: [plainScenario({ config: loadConfiguration(), staffing, staffingSource: 't', seed: 1 })] };
    const reason = 'the replication job comes from ivr-sim 0.1.0, and this replication worker is ivr-sim 9.9.9: run workers of the same version';

    // A worker that refuses the first block it is given, driven by hand so that it does so at a chosen moment.
    const worker = new Worker(BLOCK_QUEUE, null, { connection: { host: '127.0.0.1', port: 6379 }, prefix: bull, autorun: false });
    const token = randomUUID();
    let refused = false;
    const refuse = async () => {
      if (refused) return;
      refused = true;
      const taken = await worker.getNextJob(token, { block: false });
      if (!taken) throw new Error('no block to take');
      await taken.moveToFailed(new UnrecoverableError(reason), token);
    };
    // The runner reads its blocks' jobs; the block fails right after the first is read.
    const fromId = Job.fromId.bind(Job);
    vi.spyOn(Job, 'fromId').mockImplementation(async (queue, id) => {
      const read = await fromId(queue, id);
      await refuse();
      return read;
    });
    // Its 'failed' event is not heard: only the runner's own look at the jobs can see the failure.
    const on = Object.getOwnPropertyDescriptor(QueueEvents.prototype, 'on')!.value as (event: string, listener: unknown) => unknown;
    vi.spyOn(QueueEvents.prototype, 'on').mockImplementation(function (this: InstanceType<typeof QueueEvents>, event: string, listener: unknown) {
      return event === 'failed' ? this : (Reflect.apply(on, this, [event, listener]) as InstanceType<typeof QueueEvents>);
    } as never);

    const connection = await connectRedis(REDIS_URL, REDIS_URL);
    const runner = new BullmqReplicationRunner(job, { redis: connection, shownUrl: REDIS_URL, keyPrefix: prefix, blockSize: 5, workerTimeoutSec: 20 });
    try {
      await expect(runner.run([0, 1, 2])).rejects.toThrow(`a block of replications failed: ${reason}`);
    } finally {
      await runner.close();
      await worker.close();
      connection.disconnect();
    }
  }, 60_000);
});
