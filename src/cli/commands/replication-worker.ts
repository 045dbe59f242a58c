import { UnrecoverableError, Worker } from '../../infra/queue/commonjs-packages.js';
import type { Command } from 'commander';
import { DEFAULT_REDIS_KEY_PREFIX, DEFAULT_REDIS_URL } from '../../infra/env/redis-env.js';
import { redactUrl } from '../../infra/redis/redact-url.js';
import { BlockProcessor } from '../../infra/replications/block-processor.js';
import { connectRedis } from '../../infra/replications/redis-connection.js';
import { BLOCK_QUEUE, BLOCK_WORKER_OPTIONS, productVersion, replicationKeyPrefixes, RUN_QUEUE, VersionMismatchError, type BlockJobData } from '../../infra/replications/replication-queue.js';
import type { CliIO } from '../cli-io.js';
import { wholeNumber } from '../whole-number.js';

interface WorkerFlags {
  redisUrl?: string;
  prefix?: string;
  concurrency: string;
}

export function registerReplicationWorkerCommand(program: Command, io: CliIO): void {
  program
    .command('replication-worker')
    .description('take blocks of replications of replay/compare --redis-url runs from Redis and compute them, until stopped (SIGINT/SIGTERM)')
    .option('--redis-url <url>', `Redis the runs are queued in (default: $REDIS_URL, else ${DEFAULT_REDIS_URL})`)
    .option('--prefix <prefix>', `their key prefix (default: $REDIS_KEY_PREFIX, else ${DEFAULT_REDIS_KEY_PREFIX})`)
    .option('--concurrency <n>', 'blocks computed at once by this process (one core each)', '1')
    .action(async (flags: WorkerFlags) => {
      const concurrency = wholeNumber('--concurrency', flags.concurrency, 1);
      const url = flags.redisUrl ?? process.env['REDIS_URL'] ?? DEFAULT_REDIS_URL;
      const keyPrefix = flags.prefix ?? process.env['REDIS_KEY_PREFIX'] ?? DEFAULT_REDIS_KEY_PREFIX;
      const redis = await connectRedis(url, redactUrl(url));
      const keys = replicationKeyPrefixes(keyPrefix);
      const version = productVersion();
      const blocks = new BlockProcessor(redis, keys.bundle, version);
      // Workers block on their own connections; BullMQ leaves connections it was given open on close.
      const connections = [redis.duplicate(), redis.duplicate()];
      const blockWorker = new Worker<BlockJobData>(
        BLOCK_QUEUE,
        async (job) => {
          try {
            return await blocks.process(job.data, (done) => job.updateProgress(done));
          } catch (err) {
            // Another version's job fails at once, with both versions named; no retry would help.
            if (err instanceof VersionMismatchError) throw new UnrecoverableError(err.message);
            throw err;
          }
        },
        { connection: connections[0]!, prefix: keys.bull, concurrency, ...BLOCK_WORKER_OPTIONS },
      );
      // The parent of a run has nothing to compute: it completes once its blocks have.
      const runWorker = new Worker(RUN_QUEUE, async () => null, { connection: connections[1]!, prefix: keys.bull });
      blockWorker.on('failed', (job, err) => io.err(`replication block ${job?.id ?? '?'} failed: ${err.message}\n`));
      await Promise.all([blockWorker.waitUntilReady(), runWorker.waitUntilReady()]);
      io.err(`replication worker (ivr-sim ${version}) taking blocks from ${redactUrl(url)}, prefix "${keyPrefix}"\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await Promise.allSettled([blockWorker.close(), runWorker.close()]);
      for (const c of [...connections, redis]) c.disconnect();
    });
}
