import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { NamedError } from '../errors/named-error.js';
import { reviveError, serializeError } from '../replay/worker-error.js';
import type { ReplicationRows } from './replication.js';
import { replicatorFor, type FromReplicationWorker, type ReplicationJob } from './replication-worker.js';

/**
 * The compiled worker script next to this module, or undefined when there is none (under
 * Vitest this module is TypeScript source, which a worker thread cannot load: replications
 * then run in this thread; tests reach the threads through a build).
 */
export function replicationWorkerUrl(): URL | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  const url = new URL('./replication-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/** The runner was closed while replications were still running. */
export class ReplicationsStoppedError extends NamedError {
  readonly code = 'REPLICATIONS_STOPPED';
  constructor() {
    super('the replications were stopped before they were done');
    this.name = 'ReplicationsStoppedError';
  }
}

/** Threads by default: one per core. */
export function defaultThreads(): number {
  return availableParallelism();
}

/** Runs replications (local threads, or elsewhere): rows per index, in the order asked. */
export interface ReplicationRunner {
  run(indices: readonly number[], onDone?: (done: number) => void): Promise<ReplicationRows[][]>;
  close(): Promise<void>;
}

/**
 * Replications on this machine: in `threads` worker threads, each taking the next replication
 * as it finishes one, or in this thread when `threads` is 1 or no compiled worker exists. A
 * replication's figures depend only on its index, and results are put back in index order,
 * so the output is the same for any number of threads.
 */
export class LocalReplicationRunner implements ReplicationRunner {
  private workers: Worker[] | undefined;
  private here: ((index: number) => ReplicationRows[]) | undefined;
  private closed = false;

  constructor(
    private readonly job: ReplicationJob,
    private readonly threads: number,
    private readonly workerUrl: URL | undefined = replicationWorkerUrl(),
  ) {}

  async run(indices: readonly number[], onDone?: (done: number) => void): Promise<ReplicationRows[][]> {
    const results: ReplicationRows[][] = new Array(indices.length);
    const threads = Math.min(this.threads, indices.length);
    if (threads <= 1 || !this.workerUrl) {
      this.here ??= replicatorFor(this.job);
      for (let i = 0; i < indices.length; i++) {
        if (this.closed) throw new ReplicationsStoppedError();
        results[i] = this.here(indices[i]!);
        onDone?.(i + 1);
        // Let a progress bar draw between replications.
        await new Promise((r) => setImmediate(r));
      }
      return results;
    }
    const workers = await this.start(threads);
    let next = 0;
    let done = 0;
    const position = new Map(indices.map((index, i) => [index, i]));
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const feed = (w: Worker) => {
        if (next < indices.length) w.postMessage({ type: 'run', index: indices[next++]! });
      };
      for (const w of workers) {
        w.removeAllListeners('message');
        w.removeAllListeners('error');
        w.removeAllListeners('exit');
        w.on('message', (m: FromReplicationWorker) => {
          if (failed) return;
          if (m.type === 'error') {
            failed = true;
            reject(reviveError(m.error));
            return;
          }
          if (m.type !== 'result') return;
          results[position.get(m.index)!] = m.rows;
          done++;
          onDone?.(done);
          if (done === indices.length) resolve();
          else feed(w);
        });
        w.on('error', (err) => {
          if (failed) return;
          failed = true;
          reject(reviveError(serializeError(err)));
        });
        // Terminated by close() before the replications were done.
        w.on('exit', () => {
          if (failed || done === indices.length) return;
          failed = true;
          reject(new ReplicationsStoppedError());
        });
        feed(w);
      }
    });
    return results;
  }

  /** Starts the threads once; each loads the configurations and reports ready (or its error). */
  private async start(threads: number): Promise<Worker[]> {
    if (this.workers && this.workers.length >= threads) return this.workers.slice(0, threads);
    await this.close();
    const url = this.workerUrl!;
    const started = Array.from({ length: threads }, () => new Worker(url, { workerData: this.job }));
    this.workers = started;
    await Promise.all(
      started.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('message', (m: FromReplicationWorker) => (m.type === 'ready' ? resolve() : reject(m.type === 'error' ? reviveError(m.error) : new Error('unexpected message'))));
            w.once('error', reject);
            w.once('exit', (code) => reject(new Error(`a replication worker stopped (exit code ${code}) before it was ready`)));
          }),
      ),
    ).catch(async (err) => {
      await this.close();
      throw err;
    });
    for (const w of started) w.removeAllListeners('exit');
    return started;
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers ?? [];
    this.workers = undefined;
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
