import type { Redis } from 'ioredis';
import type { ReplicationRows } from '../../core/replications/replication.js';
import { jobReplicator, type JobReplicator } from '../../core/replications/replication-worker.js';
import { unbundleJob, type ReplicationBundle } from './replication-bundle.js';
import { VersionMismatchError, type BlockJobData, type BlockJobResult } from './replication-queue.js';
import { NamedError } from '../../core/errors/named-error.js';

/** A bundle could not be read from Redis (expired or removed). */
export class BundleMissingError extends NamedError {
  readonly code = 'REPLICATION_BUNDLE_MISSING';
  constructor(readonly key: string) {
    super(`the replication job's trace and scenarios are no longer in Redis (${key}): run it again`);
    this.name = 'BundleMissingError';
  }
}

/**
 * Runs blocks of replications: checks the version, fetches the bundle once per content hash,
 * keeps one replicator per bundle, and reports progress after each replication. The recorded
 * day's report, when a job asks for it, comes from the same replicator (its deciders warm).
 */
export class BlockProcessor {
  private readonly replicators = new Map<string, JobReplicator>();

  constructor(
    private readonly redis: Redis,
    private readonly bundleKey: (hash: string) => string,
    private readonly version: string,
  ) {}

  async process(data: BlockJobData, progress: (done: number) => Promise<void>): Promise<BlockJobResult> {
    if (data.version !== this.version) throw new VersionMismatchError(data.version, this.version);
    let replicate = this.replicators.get(data.bundle);
    if (!replicate) {
      const key = this.bundleKey(data.bundle);
      const text = await this.redis.get(key);
      if (text === null) throw new BundleMissingError(key);
      replicate = jobReplicator(unbundleJob(JSON.parse(text) as ReplicationBundle));
      this.replicators.clear(); // one run at a time is the common case: keep memory to one bundle
      this.replicators.set(data.bundle, replicate);
    }
    if (data.recorded) return { indices: [], rows: [], report: replicate.recordedDay(data.recorded) };
    const rows: ReplicationRows[][] = [];
    for (const index of data.indices) {
      rows.push(replicate.replicate(index));
      await progress(rows.length);
    }
    return { indices: data.indices, rows };
  }
}
