import { FlowProducer, Job, Queue, QueueEvents } from '../queue/commonjs-packages.js';
import type { Redis } from '../queue/commonjs-packages.js';
import type { ReplayReport } from '../../core/replay/replay-report.js';
import type { RecordedDayRequest, ReplicationRows } from '../../core/replications/replication.js';
import { ReplicationsStoppedError, type ReplicationRunner } from '../../core/replications/replication-pool.js';
import type { ReplicationJob } from '../../core/replications/replication-worker.js';
import { bundleJob, contentHash } from './replication-bundle.js';
import { BLOCK_QUEUE, BUNDLE_TTL_SEC, productVersion, replicationKeyPrefixes, RUN_QUEUE, type BlockJobData, type BlockJobResult } from './replication-queue.js';
import { NamedError } from '../../core/errors/named-error.js';

/** States of a block no worker has taken yet. */
const WAITING_STATES = new Set(['waiting', 'prioritized', 'waiting-children', 'unknown']);

/** The run could not be completed by the replication workers. */
export class ReplicationQueueError extends NamedError {
  readonly code = 'REPLICATION_QUEUE_FAILED';
  override readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'ReplicationQueueError';
  }
}

/**
 * The blocks a run is queued as, in the order workers take them: `blockSize` replications each,
 * then smaller ones towards the end (about a quarter of what is left, down to 1), so that the
 * workers sharing a run finish close together: the last block any of them takes is short.
 */
export function replicationBlocks(indices: readonly number[], blockSize: number): number[][] {
  const blocks: number[][] = [];
  for (let i = 0; i < indices.length; ) {
    const size = Math.max(1, Math.min(blockSize, Math.ceil((indices.length - i) / 4)));
    blocks.push(indices.slice(i, i + size));
    i += size;
  }
  return blocks;
}

export interface QueueRunnerOptions {
  redis: Redis;
  /** The URL as shown in messages (password redacted). */
  shownUrl: string;
  keyPrefix: string;
  /** Replications per child job (the last ones smaller). */
  blockSize: number;
  /** Fail when no worker has taken a block within this many seconds. */
  workerTimeoutSec: number;
  /**
   * Also have a worker replay the recorded day itself (first job of the first run; see
   * `recordedReport`): warm, a worker holds the trace and the deciders already.
   */
  recorded?: RecordedDayRequest;
}

/**
 * Replications spread over `ivr-sim replication-worker` processes through BullMQ: the trace and
 * scenarios are stored once in Redis under their content hash; each run is a flow, a parent job
 * with one child per block of replications. A replication's figures depend only on its index, so
 * the output is that of a local run with the same seed, whoever computes which block. Asked
 * for, the first run's flow also holds a job for the recorded day's report, taken first.
 */
export class BullmqReplicationRunner implements ReplicationRunner {
  private bundle: string | undefined;
  /** Stops the run under way, if any (close() while it waits for its blocks). */
  private stopRun: (() => void) | undefined;
  private readonly keys: ReturnType<typeof replicationKeyPrefixes>;
  /** The recorded day's report, while it is still to be queued or computed. */
  private recorded: { request: RecordedDayRequest; queued: boolean; resolve: (r: ReplayReport) => void; reject: (err: Error) => void } | undefined;
  private readonly recordedPromise: Promise<ReplayReport> | undefined;

  constructor(
    private readonly job: ReplicationJob,
    private readonly opts: QueueRunnerOptions,
  ) {
    this.keys = replicationKeyPrefixes(opts.keyPrefix);
    const request = opts.recorded;
    if (request) {
      this.recordedPromise = new Promise<ReplayReport>((resolve, reject) => {
        this.recorded = { request, queued: false, resolve, reject };
      });
      // Awaited through recordedReport(); a run that fails says why from there too.
      this.recordedPromise.catch(() => {});
    }
  }

  /** The recorded day's report (options.recorded), computed by a worker in the first run's flow; fails as that run does. */
  recordedReport(): Promise<ReplayReport> {
    if (!this.recordedPromise) throw new RangeError('the runner was not asked for the recorded day');
    return this.recordedPromise;
  }

  private settleRecorded(outcome: { report: ReplayReport } | { err: Error }): void {
    const recorded = this.recorded;
    if (!recorded) return;
    this.recorded = undefined;
    if ('err' in outcome) recorded.reject(outcome.err);
    else recorded.resolve(outcome.report);
  }

  private async storeBundle(): Promise<string> {
    if (this.bundle) return this.bundle;
    const text = JSON.stringify(bundleJob(this.job));
    const hash = contentHash(text);
    await this.opts.redis.set(this.keys.bundle(hash), text, 'EX', BUNDLE_TTL_SEC);
    return (this.bundle = hash);
  }

  async run(indices: readonly number[], onDone?: (done: number) => void): Promise<ReplicationRows[][]> {
    const { redis, blockSize, workerTimeoutSec, shownUrl, keyPrefix } = this.opts;
    const bundle = await this.storeBundle();
    const connection = redis;
    const prefix = this.keys.bull;
    const eventsConnection = redis.duplicate();
    const events = new QueueEvents(BLOCK_QUEUE, { connection: eventsConnection, prefix });
    const queue = new Queue(BLOCK_QUEUE, { connection, prefix });
    const flow = new FlowProducer({ connection, prefix });
    try {
      await events.waitUntilReady();
      const blocks = replicationBlocks(indices, blockSize);
      const version = productVersion();
      const blockOpts = { attempts: 3, backoff: { type: 'fixed', delay: 1_000 }, failParentOnFailure: true, removeOnComplete: { age: 3_600 }, removeOnFail: { age: 86_400 } } as const;
      // The recorded day goes first: workers take a run's jobs in the order they are listed.
      const recorded = this.recorded && !this.recorded.queued ? this.recorded : undefined;
      if (recorded) recorded.queued = true;
      const recordedChild = recorded ? [{ name: 'recorded-day', queueName: BLOCK_QUEUE, data: { version, bundle, indices: [], recorded: recorded.request } satisfies BlockJobData, opts: blockOpts }] : [];
      const tree = await flow.add({
        name: 'replications',
        queueName: RUN_QUEUE,
        data: { bundle, replications: indices.length },
        opts: { removeOnComplete: true, removeOnFail: { age: 86_400 } },
        children: [...recordedChild, ...blocks.map((b) => ({ name: 'block', queueName: BLOCK_QUEUE, data: { version, bundle, indices: b } satisfies BlockJobData, opts: blockOpts }))],
      });
      const ids = new Set(tree.children!.map((c) => c.job.id!));
      const recordedId = recorded ? tree.children!.find((c) => c.job.name === 'recorded-day')!.job.id! : undefined;
      const progress = new Map<string, number>();
      const results = new Map<number, ReplicationRows[]>();
      let recordedDone = recordedId === undefined;
      const allIn = () => results.size === indices.length && recordedDone;
      let taken = false;
      await new Promise<void>((resolve, reject) => {
        let settled = false;
        const finish = (err?: Error) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (err) {
            this.settleRecorded({ err });
            reject(err);
          } else resolve();
        };
        const catchUp = async (): Promise<void> => {
          try {
            const jobs = await Promise.all([...ids].map((id) => Job.fromId<BlockJobData, BlockJobResult>(queue, id)));
            for (const job of jobs) {
              if (!job?.returnvalue) continue;
              if (recordedId !== undefined && job.id === recordedId) recordedIn(recordedId, job.returnvalue);
              else job.returnvalue.indices.forEach((index, i) => results.set(index, job.returnvalue.rows[i] as ReplicationRows[]));
            }
            const failed = (await Promise.all(jobs.map(async (job) => (job && (await job.isFailed()) ? job : undefined)))).find((job) => job !== undefined);
            if (failed) {
              // Read before it failed, the job does not hold the worker's reason: read it again.
              const reason = failed.failedReason || (await Job.fromId<BlockJobData, BlockJobResult>(queue, failed.id!))?.failedReason;
              finish(new ReplicationQueueError(`a block of replications failed: ${reason || 'no reason given'}`));
            }
            else if (allIn()) finish();
          } catch (err) {
            finish(err as Error);
          }
        };
        const timer = setTimeout(() => {
          if (taken) return;
          // This process may have been busy (replaying the recorded day) past the timeout with the
          // workers' events still unread: Redis, not the events seen so far, says whether a block was taken.
          void Promise.all([...ids].map((id) => queue.getJobState(id))).then(
            (states) => {
              if (taken || states.some((state) => !WAITING_STATES.has(state))) {
                taken = true;
                // A block that failed, or finished, while the events went unread is read from its job.
                return catchUp();
              }
              void tree.job.remove({ removeChildren: true }).catch(() => {});
              finish(
                new ReplicationQueueError(
                  `no replication worker took the job within ${workerTimeoutSec} s (Redis ${shownUrl}, prefix "${keyPrefix}"): start one with ivr-sim replication-worker --redis-url ${shownUrl} --prefix ${keyPrefix}`,
                ),
              );
            },
            (err: Error) => finish(err),
          );
        }, workerTimeoutSec * 1000);
        this.stopRun = () => {
          void tree.job.remove({ removeChildren: true }).catch(() => {});
          finish(new ReplicationsStoppedError());
        };
        const report = () => onDone?.([...progress.values()].reduce((a, b) => a + b, 0));
        const recordedIn = (jobId: string, value: BlockJobResult) => {
          if (recordedDone) return;
          if (!value.report) return finish(new ReplicationQueueError(`job ${jobId} completed without the recorded day's report`));
          recordedDone = true;
          this.settleRecorded({ report: value.report });
        };
        events.on('active', ({ jobId }) => {
          if (ids.has(jobId)) taken = true;
        });
        events.on('progress', ({ jobId, data }) => {
          if (!ids.has(jobId)) return;
          taken = true;
          progress.set(jobId, Number(data));
          report();
        });
        events.on('failed', ({ jobId, failedReason }) => {
          if (ids.has(jobId)) finish(new ReplicationQueueError(`a block of replications failed: ${failedReason}`));
        });
        const completed = (jobId: string, value: BlockJobResult | null | undefined) => {
          if (!value) return finish(new ReplicationQueueError(`block ${jobId} completed without its figures`));
          if (jobId === recordedId) recordedIn(jobId, value);
          else {
            value.indices.forEach((index, i) => results.set(index, value.rows[i] as ReplicationRows[]));
            progress.set(jobId, value.indices.length);
            report();
          }
          if (allIn()) finish();
        };
        events.on('completed', ({ jobId, returnvalue }) => {
          if (!ids.has(jobId)) return;
          taken = true;
          // The event carries the block's figures: no second read of the job from Redis.
          const value = returnvalue as unknown as BlockJobResult | undefined;
          if (value && typeof value === 'object') return completed(jobId, value);
          void Job.fromId<BlockJobData, BlockJobResult>(queue, jobId).then(
            (job) => completed(jobId, job?.returnvalue),
            (err: Error) => finish(err),
          );
        });
        // Blocks that finished or failed before the listeners were attached are read from their jobs.
        void catchUp();
      });
      return indices.map((i) => results.get(i)!);
    } finally {
      this.stopRun = undefined;
      await Promise.allSettled([events.close(), queue.close(), flow.close()]);
      eventsConnection.disconnect();
    }
  }

  async close(): Promise<void> {
    this.stopRun?.();
    this.settleRecorded({ err: new ReplicationsStoppedError() });
  }
}
