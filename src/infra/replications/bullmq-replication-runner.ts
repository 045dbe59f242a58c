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

/** How long removing a run's jobs may take before the command gives up on it (Redis gone, say). */
const REMOVAL_TIMEOUT_MS = 5_000;

/** `promise`, or a rejection ("no answer within 5 s") once `ms` went by without it settling. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    timer.unref();
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * Removes a run's flow: the parent and every block. A block a worker holds is locked and BullMQ
 * refuses to remove it, and with it the whole flow: then the blocks not taken yet are removed
 * (the parent completes once the taken ones have). Resolves to whether every job was removed.
 */
async function removeFlow(parent: InstanceType<typeof Job>): Promise<boolean> {
  try {
    await parent.remove({ removeChildren: true });
    return true;
  } catch {
    await parent.removeUnprocessedChildren();
    return false;
  }
}

/**
 * How many replication workers are connected to the block queue: BullMQ names a worker's
 * blocking connection after the queue and its key prefix, and CLIENT LIST shows the named
 * connections (a killed worker's goes with its process). Undefined when Redis cannot tell.
 */
export async function connectedWorkers(queue: Pick<InstanceType<typeof Queue>, 'getWorkers'>): Promise<number | undefined> {
  try {
    const workers = await queue.getWorkers();
    // Where CLIENT is an unknown command, BullMQ answers with a placeholder, without a connection's raw name.
    return workers.some((w) => !w['rawname']) ? undefined : workers.length;
  } catch {
    // CLIENT LIST refused (an ACL without it, a managed Redis that disables it), or Redis not answering.
    return undefined;
  }
}

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
  /**
   * Fail when no worker has taken a block within this many seconds; later, when none of the
   * run's jobs moved for as long and no worker is connected to the queue any more.
   */
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
  /** Stops the run under way, if any (close() while it waits for its blocks), once its jobs are removed. */
  private stopRun: (() => Promise<void>) | undefined;
  /** The parent job of the run under way, from when its flow is being queued (undefined: it could not be). */
  private flowParent: Promise<InstanceType<typeof Job> | undefined> | undefined;
  /** Replications done by the runs before the one under way. */
  private doneBefore = 0;
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
      const adding = flow.add({
        name: 'replications',
        queueName: RUN_QUEUE,
        data: { bundle, replications: indices.length },
        opts: { removeOnComplete: true, removeOnFail: { age: 86_400 } },
        children: [...recordedChild, ...blocks.map((b) => ({ name: 'block', queueName: BLOCK_QUEUE, data: { version, bundle, indices: b } satisfies BlockJobData, opts: blockOpts }))],
      });
      this.flowParent = adding.then(
        (t) => t.job,
        () => undefined,
      );
      const tree = await adding;
      const ids = new Set(tree.children!.map((c) => c.job.id!));
      const recordedId = recorded ? tree.children!.find((c) => c.job.name === 'recorded-day')!.job.id! : undefined;
      const progress = new Map<string, number>();
      const results = new Map<number, ReplicationRows[]>();
      let recordedDone = recordedId === undefined;
      const allIn = () => results.size === indices.length && recordedDone;
      let taken = false;
      await new Promise<void>((resolve, reject) => {
        let settled = false;
        let timer: NodeJS.Timeout | undefined;
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
        const timeoutMs = workerTimeoutSec * 1000;
        /** When one of the run's jobs last showed a sign of life (taken, progress, done). */
        let lastSign = Date.now();
        const alive = () => {
          taken = true;
          lastSign = Date.now();
        };
        const removeRunJobs = () => within(removeFlow(tree.job), REMOVAL_TIMEOUT_MS).catch(() => false);
        const noWorkerTook = async (): Promise<void> => {
          // This process may have been busy (replaying the recorded day) past the timeout with the
          // workers' events still unread: Redis, not the events seen so far, says whether a block was taken.
          const states = await Promise.all([...ids].map((id) => queue.getJobState(id)));
          if (settled) return;
          if (taken || states.some((state) => !WAITING_STATES.has(state))) {
            alive();
            // A block that failed, or finished, while the events went unread is read from its job.
            await catchUp();
            return watch();
          }
          // Workers are connected but none took a block: they are busy with other runs' blocks
          // (workers shared between testers), which come first. Wait for them, asking again after
          // another timeout; fail only when no worker is there to take the job.
          const workers = await connectedWorkers(queue);
          if (settled) return;
          if (workers !== undefined && workers > 0) return watch(timeoutMs);
          await removeRunJobs();
          finish(
            new ReplicationQueueError(
              `no replication worker took the job within ${workerTimeoutSec} s (Redis ${shownUrl}, prefix "${keyPrefix}"): start one with ivr-sim replication-worker --redis-url ${shownUrl} --prefix ${keyPrefix}`,
            ),
          );
        };
        const workersGone = async (): Promise<void> => {
          const workers = await connectedWorkers(queue);
          if (settled) return;
          // Workers still connected (busy with another run's blocks, or about to take over a killed
          // one's), or a Redis that cannot tell: keep waiting, and ask again after another timeout.
          if (workers !== 0) return watch(timeoutMs);
          // Blocks that finished while their events went unread are read from their jobs.
          await catchUp();
          if (settled) return;
          // No worker holds the locks of the blocks still active: a killed worker's would only
          // expire later (BLOCK_WORKER_OPTIONS.lockDuration), and BullMQ removes no locked job.
          await Promise.all([...ids].map((id) => redis.del(`${queue.toKey(id)}:lock`)));
          const removed = await removeRunJobs();
          const done = this.doneBefore + results.size;
          finish(
            new ReplicationQueueError(
              `the replication workers stopped mid-run: none is connected to Redis ${shownUrl} (prefix "${keyPrefix}") and none of the run's jobs moved for ${workerTimeoutSec} s; ${done} of ${this.doneBefore + indices.length} replications were done${removed ? ", and the run's jobs were removed" : ''}. Start a worker with ivr-sim replication-worker --redis-url ${shownUrl} --prefix ${keyPrefix} and run the command again`,
            ),
          );
        };
        /**
         * Checks on the run once its jobs were quiet for the timeout (`after`, or what is left of it):
         * before a block was taken, whether a worker took one; after, whether any worker is left.
         */
        const watch = (after = timeoutMs - (Date.now() - lastSign)): void => {
          if (settled) return;
          clearTimeout(timer);
          timer = setTimeout(() => {
            if (settled) return;
            if (taken && Date.now() - lastSign < timeoutMs) return watch();
            void (taken ? workersGone() : noWorkerTook()).catch((err: Error) => finish(err));
          }, Math.max(0, after));
        };
        watch(timeoutMs);
        this.stopRun = async () => {
          if (settled) return;
          await removeRunJobs();
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
          if (ids.has(jobId)) alive();
        });
        events.on('progress', ({ jobId, data }) => {
          if (!ids.has(jobId)) return;
          alive();
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
          alive();
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
      this.doneBefore += indices.length;
      return indices.map((i) => results.get(i)!);
    } finally {
      this.stopRun = undefined;
      this.flowParent = undefined;
      await Promise.allSettled([events.close(), queue.close(), flow.close()]);
      eventsConnection.disconnect();
    }
  }

  /**
   * Removes the jobs of the run under way from Redis (waiting for its flow if it is being queued),
   * leaving the run itself waiting: for a command that is about to end (interrupted). Resolves to
   * whether every job went; false when workers held blocks (those finish, the rest is removed).
   * Rejects when Redis does not answer within REMOVAL_TIMEOUT_MS.
   */
  async removeJobs(): Promise<boolean> {
    return within(
      this.flowParent?.then((parent) => (parent ? removeFlow(parent) : true)) ?? Promise.resolve(true),
      REMOVAL_TIMEOUT_MS,
    );
  }

  async close(): Promise<void> {
    await this.stopRun?.();
    this.settleRecorded({ err: new ReplicationsStoppedError() });
  }
}
