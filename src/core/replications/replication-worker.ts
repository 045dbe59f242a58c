// A worker thread of a replicated run: rebuilds the scenarios from their paths, then replays
// the replications it is handed, one at a time, and posts each one's KPI rows back.
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { loadConfiguration } from '../configuration/configuration.js';
import { serializeError, type SerializedError } from '../replay/worker-error.js';
import { Replicator, scenarioOf, type PlainScenario, type ReplicationRows } from './replication.js';
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

/** Builds the replicator of a job (in a worker thread, a queue worker or this thread alike). */
export function replicatorFor(job: ReplicationJob): (index: number) => ReplicationRows[] {
  const replicator = new Replicator(job.scenarios.map((s) => scenarioOf(s, loadConfiguration(s.paths))));
  return (index) => replicator.replay(resampleDay(job.day, job.plan, index));
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
