import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../core/config/package-root.js';
import { NamedError } from '../../core/errors/named-error.js';
import type { ReplayReport } from '../../core/replay/replay-report.js';
import type { RecordedDayRequest } from '../../core/replications/replication.js';

/** Children: one job per block of replications. Parent: one job per run, done when its blocks are. */
export const BLOCK_QUEUE = 'replication-blocks';
export const RUN_QUEUE = 'replication-runs';

/** BullMQ's keys and the job bundles under a deployment's key prefix (e.g. `ivr-sim:`). */
export function replicationKeyPrefixes(keyPrefix: string): { bull: string; bundle: (hash: string) => string } {
  return { bull: `${keyPrefix}bull`, bundle: (hash) => `${keyPrefix}replications:bundle:${hash}` };
}

/** A bundle is kept a day after it was last stored: long enough for any run that uses it. */
export const BUNDLE_TTL_SEC = 86_400;

/**
 * What a block job carries: the bundle's content hash, not its bytes. A job with `recorded`
 * (and no indices) asks for the recorded day's report instead of replications.
 */
export interface BlockJobData {
  version: string;
  bundle: string;
  indices: number[];
  recorded?: RecordedDayRequest;
}

export interface BlockJobResult {
  indices: number[];
  rows: unknown[];
  /** The recorded day's report, for a job that asked for it. */
  report?: ReplayReport;
}

/** This product's version: a worker refuses blocks of another. */
export function productVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** A block came from a run of another product version. */
export class VersionMismatchError extends NamedError {
  readonly code = 'REPLICATION_VERSION_MISMATCH';
  constructor(
    readonly jobVersion: string,
    readonly workerVersion: string,
  ) {
    super(`the replication job comes from ivr-sim ${jobVersion}, and this replication worker is ivr-sim ${workerVersion}: run workers of the same version`);
    this.name = 'VersionMismatchError';
  }
}

/**
 * Worker settings for blocks: a worker killed mid-block leaves its lock to expire (lockDuration)
 * and another worker's stalled check puts the block back; the stalled limit is set high so that
 * repeated kills never fail a block for stalling.
 */
export const BLOCK_WORKER_OPTIONS = { lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 1_000 } as const;
