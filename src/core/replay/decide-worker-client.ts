import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BatchDecoder } from './decided-batch-wire.js';
import type { TraceBatch } from './decided-batches.js';
import type { DecideWorkerInit, FromWorker, ToWorker } from './decide-worker.js';
import type { InputInfo } from './replay-report.js';
import { reviveError, serializeError } from './worker-error.js';

/** Batches the worker may have out before it waits: enough to keep both threads busy. */
export const DEFAULT_WINDOW = 4;

/**
 * The worker's old generation, in MiB, when it streams the trace (with `sort` it holds the whole
 * trace and keeps Node's default). What the worker keeps is the configurations, the deciders'
 * memos and the set of call ids seen, some 50 MiB for a million calls; V8 lets a heap grow to
 * four times what it keeps before collecting when the limit is 2 GiB or more, and to about twice
 * below it, so this limit halves the worker's heap (about 100 MiB on the million-call bench)
 * while leaving it forty times what it needs.
 */
export const WORKER_OLD_GENERATION_MIB = 2000;

/**
 * The compiled worker script next to this module (dist/ and dist-bench/ alike), or undefined
 * when there is none to run. Under Vitest this module is TypeScript source, and a worker
 * thread cannot load .ts files (Node 20 strips no types), so replays decide in their own
 * thread there; tests reach the worker through a build (tests/replay/parallel-replay.test.ts).
 */
export function decideWorkerUrl(): URL | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  const url = new URL('./decide-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/**
 * The replay's side of a decide worker: receives its batches in order, acknowledges each once
 * the replay has offered its calls (the credit that lets the worker post another), and turns
 * the worker's errors back into the named errors they were.
 */
export class DecideWorkerClient {
  /** Most batches out at once (posted, not yet acknowledged), as the worker counted them. */
  peakInFlight = 0;
  /** How often the worker waited for the replay to catch up (known once the trace is read). */
  stalls = 0;
  private input: InputInfo | undefined;
  private readonly inbox: FromWorker[] = [];
  private waiting: ((m: FromWorker) => void) | undefined;
  private settled = false;
  private readonly decoder: BatchDecoder;

  private constructor(
    private readonly worker: Worker,
    scenarios: number,
  ) {
    this.decoder = new BatchDecoder(scenarios);
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'done' || m.type === 'error') this.settled = true;
      this.deliver(m);
    });
    worker.on('error', (err) => {
      this.settled = true;
      this.deliver({ type: 'error', error: serializeError(err) });
    });
    worker.on('exit', (code) => {
      if (this.settled) return;
      this.settled = true;
      this.deliver({ type: 'error', error: { kind: 'other', name: 'Error', message: `the decide worker stopped (exit code ${code}) before the trace was read`, fields: {} } });
    });
  }

  /**
   * Starts a worker and waits until it has loaded the configurations. Undefined (and no worker
   * left running) when they are not the ones the replay loaded, e.g. a file changed since.
   */
  static async start(init: DecideWorkerInit, configVersions: readonly string[], url: URL): Promise<DecideWorkerClient | undefined> {
    const resourceLimits = init.reader.sort ? undefined : { maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MIB };
    const client = new DecideWorkerClient(new Worker(url, { workerData: init, ...(resourceLimits ? { resourceLimits } : {}) }), init.scenarios.length);
    const first = await client.receive();
    if (first.type === 'ready' && first.configVersions.every((v, i) => v === configVersions[i])) return client;
    await client.worker.terminate();
    if (first.type === 'error') throw reviveError(first.error);
    return undefined;
  }

  /** The calls in trace order; the worker is stopped when they end, fail or are abandoned. */
  async *batches(): AsyncGenerator<TraceBatch> {
    try {
      for (;;) {
        const m = await this.receive();
        if (m.type === 'batch') {
          this.peakInFlight = Math.max(this.peakInFlight, m.inFlight);
          yield this.decoder.decode(m.batch);
          this.worker.postMessage({ type: 'ack' } satisfies ToWorker);
        } else if (m.type === 'done') {
          this.input = m.input;
          this.stalls = m.stalls;
          return;
        } else if (m.type === 'error') {
          throw reviveError(m.error);
        }
      }
    } finally {
      await this.worker.terminate();
    }
  }

  /** Batches received and not yet taken by the replay. */
  get queued(): number {
    return this.inbox.filter((m) => m.type === 'batch').length;
  }

  /** The reader's account of the trace, once `batches` has ended. */
  inputInfo(): InputInfo {
    if (!this.input) throw new Error('the trace has not been read to its end');
    return this.input;
  }

  private deliver(m: FromWorker): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting(m);
    else this.inbox.push(m);
  }

  private receive(): Promise<FromWorker> {
    const m = this.inbox.shift();
    return m ? Promise.resolve(m) : new Promise((resolve) => (this.waiting = resolve));
  }
}
