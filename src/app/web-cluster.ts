import cluster, { type Worker } from 'node:cluster';
import type { AppLogger } from '../infra/logging/logger.js';

/** The message a worker sends its primary once its listeners are up. */
const READY = 'ivr-sim:web-worker-ready';

export interface WebClusterOptions {
  /** Service processes (WEB_CONCURRENCY); 1 runs the service in this process, without a primary. */
  concurrency: number;
  log: AppLogger;
  /** Starts the service in this process and resolves with the public listener's port. */
  startWorker: () => Promise<number>;
  /** Called once every process listens, with the public port (in the primary when there is one). */
  onReady?: (port: number) => void;
}

/**
 * One service process per core behind the same Redis (node:cluster). With WEB_CONCURRENCY above 1
 * this process becomes a small primary that forks that many workers and does nothing else; every
 * worker is the whole service (both listeners, its own Redis connections, its own spool file
 * `<SPOOL_NAME>-<index>`, its own configuration watcher), and the listening sockets are shared, the
 * primary handing each new connection to the next worker. Nothing about a call lives in a
 * process: call state, tombstones, the trace stream and screen pops are in Redis, so any worker
 * can answer any webhook of any call. A worker that dies is started again with the same index
 * (and so the same spool file); one that fails to start (a configuration error) stops them all and
 * the primary exits with status 1. SIGTERM or SIGINT to the primary stops every worker and then
 * the primary.
 */
export async function runWebCluster(opts: WebClusterOptions): Promise<void> {
  if (opts.concurrency <= 1 || cluster.isWorker) {
    const port = await opts.startWorker();
    if (cluster.isWorker) process.send?.({ [READY]: port });
    else opts.onReady?.(port);
    return;
  }
  const { log } = opts;
  let stopping = false;
  let failed = 0;
  const workers = new Map<number, Worker>();
  const ready = new Set<number>();
  let announced = false;
  const start = (index: number) => {
    const worker = cluster.fork({ WEB_WORKER_INDEX: String(index) });
    workers.set(index, worker);
    worker.on('message', (m: unknown) => {
      const port = (m as Record<string, unknown> | null)?.[READY];
      if (typeof port !== 'number') return;
      ready.add(index);
      if (!announced && ready.size === opts.concurrency) {
        announced = true;
        log.info({ workers: opts.concurrency, port }, 'all service processes listening');
        opts.onReady?.(port);
      }
    });
    worker.on('exit', (code, signal) => {
      const wasReady = ready.has(index);
      workers.delete(index);
      ready.delete(index);
      if (stopping) {
        if (workers.size === 0) process.exit(failed);
        return;
      }
      if (!wasReady) {
        // It could not start (its own log says why): starting it again would fail the same way.
        log.fatal({ worker: index, code, signal }, 'a service process failed to start; stopping');
        failed = 1;
        stop();
        return;
      }
      log.error({ worker: index, code, signal }, 'service process exited; starting it again');
      setTimeout(() => start(index), 1000).unref();
    });
  };
  const stop = () => {
    if (stopping) return;
    stopping = true;
    if (workers.size === 0) process.exit(failed);
    for (const w of workers.values()) w.process.kill('SIGTERM');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  log.info({ workers: opts.concurrency }, 'starting service processes (WEB_CONCURRENCY)');
  for (let i = 1; i <= opts.concurrency; i++) start(i);
}
