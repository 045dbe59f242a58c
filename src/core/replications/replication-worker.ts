// A worker thread of a replicated run: rebuilds the scenarios from their paths, then replays
// the replications it is handed, one at a time, and posts each one's KPI rows back.
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { loadConfiguration } from '../configuration/configuration.js';
import { serializeError, type SerializedError } from '../replay/worker-error.js';
import type { ReplayReport } from '../replay/replay-report.js';
import { Replicator, scenarioOf, type PlainScenario, type RecordedDayRequest, type ReplicationRows } from './replication.js';
import { resampleDay, type RecordedDay, type ResamplingPlan } from './trace-resampler.js';

/** Everything a replication needs, as plain data. */
export interface ReplicationJob {
  day: RecordedDay;
  plan: ResamplingPlan;
  scenarios: PlainScenario[];
}

export type ToReplicationWorker = { type: 'run'; index: number } | { type: 'stop' };
export type FromReplicationWorker =
  | { type: 'ready' }
  | { type: 'result'; index: number; rows: ReplicationRows[] }
  | { type: 'error'; error: SerializedError };

/** A job's replications, and its recorded day, computed with one set of deciders. */
export interface JobReplicator {
  replicate: (index: number) => ReplicationRows[];
  /** The recorded day's report against the job's first scenario, as `replay` gives it for the trace file. */
  recordedDay: (request: RecordedDayRequest) => ReplayReport;
}

/** Builds the replicator of a job (in a worker thread, a queue worker or this thread alike). */
export function jobReplicator(job: ReplicationJob): JobReplicator {
  const replicator = new Replicator(job.scenarios.map((s) => scenarioOf(s, loadConfiguration(s.paths))));
  return {
    replicate: (index) => replicator.replay(resampleDay(job.day, job.plan, index)),
    recordedDay: (request) => replicator.recordedDay(job.day, request),
  };
}

/** The replications of a job, by index. */
export function replicatorFor(job: ReplicationJob): (index: number) => ReplicationRows[] {
  return jobReplicator(job).replicate;
}

export function serveReplications(port: MessagePort, job: ReplicationJob): void {
  let replicate: (index: number) => ReplicationRows[];
  try {
    replicate = replicatorFor(job);
  } catch (err) {
    port.postMessage({ type: 'error', error: serializeError(err) } satisfies FromReplicationWorker);
    return;
  }
  port.on('message', (m: ToReplicationWorker) => {
    if (m.type === 'stop') {
      port.close();
      return;
    }
    try {
      port.postMessage({ type: 'result', index: m.index, rows: replicate(m.index) } satisfies FromReplicationWorker);
    } catch (err) {
      port.postMessage({ type: 'error', error: serializeError(err) } satisfies FromReplicationWorker);
    }
  });
  port.postMessage({ type: 'ready' } satisfies FromReplicationWorker);
}

if (!isMainThread && parentPort) serveReplications(parentPort, workerData as ReplicationJob);
