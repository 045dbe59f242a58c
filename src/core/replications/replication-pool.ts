import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { NamedError } from '../errors/named-error.js';
import { reviveError, serializeError } from '../replay/worker-error.js';
import type { ReplicationRows } from './replication.js';
import { replicatorFor, type FromReplicationWorker, type ReplicationJob, type ToReplicationWorker } from './replication-worker.js';

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

/**
 * With threads left to their default, a run starts worker threads only when it has at least this
 * many calls to simulate (replications × the recorded day's calls × scenarios). A worker thread
 * first loads its own modules and configurations and runs its first replications cold (on the
 * sample day: 0.3 s, then 315, 90 and 50 ms against 15 ms warm), about 0.75 s of CPU, and on two
 * cores it slows this thread while it does. Measured on two vCPUs (`npm run bench:local-threads`,
 * paired medians): 100 replications of the 3,000-call sample day (300,000 calls) took 1.70 s in
 * this thread alone and 2.01 s with a worker thread; 200 (600,000 calls) 2.97 s against 2.87 s;
 * 400, 5.39 s against 4.73 s.
 */
export const MIN_CALLS_FOR_THREADS = 450_000;

/** Runs replications (local threads, or elsewhere): rows per index, in the order asked. */
export interface ReplicationRunner {
  run(indices: readonly number[], onDone?: (done: number) => void): Promise<ReplicationRows[][]>;
  close(): Promise<void>;
}

/**
 * Replications on this machine, on `threads` threads: this one and `threads - 1` worker
 * threads. This thread computes replications from the start while the worker threads load
 * (each needs its own modules, configurations and JIT warm-up: a good part of a second); a
 * worker thread takes the next replication once it is ready, then one more each time it
 * returns one. So this thread never waits for worker threads to start, and a long run shares
 * its work (where cores are few, a starting worker thread still slows this one: see
 * MIN_CALLS_FOR_THREADS, which the default threads follow). At the end, this thread waits for a replication still out on a worker thread only so long:
 * once that has taken twice what one takes here (a worker thread's first replications run
 * cold), this thread computes it too and the first figures in are kept. A replication's
 * figures depend only on its index, and results are put back in index order, so the output is
 * the same for any number of threads. Worker threads stay up between runs (more replications
 * asked for by --target-half-width find them warm).
 */
export class LocalReplicationRunner implements ReplicationRunner {
  private workers: Worker[] | undefined;
  /** Worker threads that are ready and hold no replication. */
  private readonly idle = new Set<Worker>();
  /** How a worker thread failed, if one did: the run fails with it. */
  private failure: Error | undefined;
  private here: ((index: number) => ReplicationRows[]) | undefined;
  /** Milliseconds one replication takes in this thread (mean so far). */
  private readonly hereMs = { total: 0, count: 0 };
  private closed = false;
  /** The run under way: told of every message from a worker thread. */
  private onMessage: ((w: Worker, m: FromReplicationWorker) => void) | undefined;
  /** Wakes the run under way while it waits. */
  private wake: (() => void) | undefined;
  /** Settles once every worker thread is ready, or one failed. */
  private allReady: Promise<void> = Promise.resolve();
  private readonly computed = { here: 0, threads: 0 };

  private readonly workerUrl: URL | undefined;
  private readonly patience: number;
  private readonly hereReplicator: () => (index: number) => ReplicationRows[];

  /**
   * @param threads threads computing replications, this one included; 'auto': one per core, for
   *   runs of at least MIN_CALLS_FOR_THREADS calls (shorter ones are quicker in this thread alone)
   * @param options.workerUrl the worker threads' script (default: the compiled one beside this module)
   * @param options.patience how many times this thread's own time for a replication it waits for
   *   one out on a worker thread, once none is left to hand out, before computing it too (default 2)
   * @param options.here how this thread computes replications (default: from the job, loading its
   *   configurations again); a command that holds them loaded, and deciders warm from the recorded
   *   day, passes its own
   */
  constructor(
    private readonly job: ReplicationJob,
    private readonly threads: number | 'auto',
    options: { workerUrl?: URL | undefined; patience?: number; here?: () => (index: number) => ReplicationRows[] } = {},
  ) {
    this.workerUrl = 'workerUrl' in options ? options.workerUrl : replicationWorkerUrl();
    this.patience = options.patience ?? 2;
    this.hereReplicator = options.here ?? (() => replicatorFor(job));
  }

  /** How many replications' figures came from this thread and from worker threads, so far. */
  get split(): { here: number; threads: number } {
    return { ...this.computed };
  }

  /**
   * Starts the worker threads now and resolves once each has loaded the job (or rejects with
   * why one could not). run() starts them itself, without waiting for them.
   */
  async start(): Promise<void> {
    if (this.closed) throw new ReplicationsStoppedError();
    const threads = this.threads === 'auto' ? defaultThreads() : this.threads;
    if (this.workerUrl && threads > 1) this.startWorkers(threads - 1);
    await this.allReady;
  }

  /** Whether a run of `count` replications is worth starting worker threads for. */
  private wantsWorkers(count: number): boolean {
    const threads = this.threads === 'auto' ? defaultThreads() : this.threads;
    if (!this.workerUrl || threads <= 1 || count <= 1) return false;
    return this.threads !== 'auto' || count * this.job.day.calls.length * this.job.scenarios.length >= MIN_CALLS_FOR_THREADS;
  }

  async run(indices: readonly number[], onDone?: (done: number) => void): Promise<ReplicationRows[][]> {
    if (this.closed) throw new ReplicationsStoppedError();
    const results: (ReplicationRows[] | undefined)[] = new Array(indices.length);
    const position = new Map(indices.map((index, i) => [index, i]));
    /** Positions out on a worker thread, with when they were handed out. */
    const out = new Map<number, number>();
    let done = 0;
    let next = 0;
    const record = (i: number, rows: ReplicationRows[], here: boolean) => {
      out.delete(i);
      if (results[i] !== undefined) return;
      results[i] = rows;
      this.computed[here ? 'here' : 'threads']++;
      done++;
      onDone?.(done);
    };
    const unassigned = () => {
      while (next < indices.length && (results[next] !== undefined || out.has(next))) next++;
      return next < indices.length ? next++ : -1;
    };
    const handOut = (w: Worker) => {
      const i = unassigned();
      if (i < 0) return;
      this.idle.delete(w);
      out.set(i, performance.now());
      w.postMessage({ type: 'run', index: indices[i]! } satisfies ToReplicationWorker);
    };
    if (this.wantsWorkers(indices.length)) this.startWorkers((this.threads === 'auto' ? defaultThreads() : this.threads) - 1);
    this.onMessage = (w, m) => {
      if (m.type === 'result') {
        const i = position.get(m.index);
        if (i !== undefined) record(i, m.rows, false);
      }
      if (this.idle.has(w) && !this.failure) handOut(w);
    };
    // Worker threads ready from an earlier run start at once (handOut removes each from the set: iteration goes on).
    for (const w of this.idle) handOut(w);
    try {
      for (;;) {
        if (this.closed) throw new ReplicationsStoppedError();
        if (this.failure) throw this.failure;
        if (done === indices.length) break;
        let i = unassigned();
        let waitMs = Infinity;
        if (i < 0) {
          // All handed out: compute here one a worker thread has held for long, else wait for them.
          const patienceMs = this.hereMs.count ? (this.patience * this.hereMs.total) / this.hereMs.count : Infinity;
          const now = performance.now();
          for (const [p, since] of out) {
            const left = since + patienceMs - now;
            if (left <= 0) i = p;
            else waitMs = Math.min(waitMs, left);
          }
        }
        if (i >= 0) {
          this.here ??= this.hereReplicator();
          const started = performance.now();
          const rows = this.here(indices[i]!);
          this.hereMs.total += performance.now() - started;
          this.hereMs.count++;
          record(i, rows, true);
          // Worker threads' messages and a progress bar between replications.
          await new Promise((r) => setImmediate(r));
        } else {
          await new Promise<void>((resolve) => {
            const timer = waitMs === Infinity ? undefined : setTimeout(resolve, Math.ceil(waitMs));
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.wake = undefined;
        }
      }
    } finally {
      this.wake = undefined;
      this.onMessage = undefined;
    }
    return results as ReplicationRows[][];
  }

  /** Starts the worker threads, once: they load the configurations while this thread computes. */
  private startWorkers(count: number): void {
    if (this.workers) return;
    const url = this.workerUrl!;
    let readyCount = 0;
    let allReady!: () => void;
    let oneFailed!: (err: Error) => void;
    this.allReady = new Promise<void>((resolve, reject) => ((allReady = resolve), (oneFailed = reject)));
    // Awaited by start() only; run() reads `failure`.
    this.allReady.catch(() => {});
    const fail = (err: Error) => {
      this.failure ??= err;
      oneFailed(this.failure);
    };
    const tell = () => {
      const wake = this.wake;
      this.wake = undefined;
      wake?.();
    };
    this.workers = Array.from({ length: count }, () => {
      const w = new Worker(url, { workerData: this.job });
      w.on('message', (m: FromReplicationWorker) => {
        if (m.type === 'ready' || m.type === 'result') this.idle.add(w);
        if (m.type === 'ready' && ++readyCount === count) allReady();
        if (m.type === 'error') fail(reviveError(m.error));
        this.onMessage?.(w, m);
        tell();
      });
      w.on('error', (err) => {
        fail(reviveError(serializeError(err)));
        tell();
      });
      // Terminated by close(), or stopped on its own (then the run fails rather than wait for it).
      w.on('exit', (code) => {
        this.idle.delete(w);
        fail(this.closed ? new ReplicationsStoppedError() : new Error(`a replication worker thread stopped (exit code ${code})`));
        tell();
      });
      return w;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers ?? [];
    this.workers = undefined;
    this.idle.clear();
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
