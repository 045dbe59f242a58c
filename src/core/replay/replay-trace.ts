import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import { readTrace, type TraceReaderOptions } from '../trace/trace-reader.js';
import type { CompactDecision, ReplayCall } from './compact-decision.js';
import { decideHere, decideTrace, DEFAULT_BATCH_SIZE, inputInfo, shareDecisions, type TraceBatch, type TraceCallDecider } from './decided-batches.js';
import type { DecideWorkerInit } from './decide-worker.js';
import { DecideWorkerClient, decideWorkerUrl, DEFAULT_WINDOW } from './decide-worker-client.js';
import type { InputInfo } from './replay-report.js';
import type { ReplayRun } from './replay-run.js';

export interface ReplayOptions {
  /** `fail` (default): stop at bad lines and list them; `skip`: leave them out and count them. */
  onError?: 'fail' | 'skip';
  /** Sort by arrival instead of refusing out-of-order lines (holds the trace in memory). */
  sort?: boolean;
  /** Called every `progressEvery` calls with the number of calls done. */
  onProgress?: (calls: number) => void;
  progressEvery?: number;
  /** Sees each call with its decision in every run (compare uses it to spot differences). */
  onCall?: (call: ReplayCall, decisions: (CompactDecision | null)[]) => void;
  /**
   * Read, check and decide the calls in a worker thread while this one runs the contact centres
   * (and decides the calls the worker hands over when it would otherwise wait): `true` for any
   * trace file, `auto` (default) for files of PARALLEL_MIN_BYTES or more on a machine with more
   * than one core, `false` never; a stream is always read here. The results are the same either way. The worker loads each
   * scenario's configuration again from `config.paths`, so a scenario whose configuration was
   * built or changed in memory needs `false`.
   */
  parallel?: boolean | 'auto';
  /** The compiled decide worker; default the one next to this module (tests, which run sources, point it at a build). */
  workerUrl?: URL;
}

/**
 * Where `auto` starts using the worker (some 70,000 calls of JSON Lines). The worker costs about
 * a second to start (its own modules, configurations and JIT warm-up) before the two threads
 * share the work; on smaller traces that second is most of what sharing could save.
 */
export const PARALLEL_MIN_BYTES = 8 * 2 ** 20;

/**
 * With the worker, this thread also decides the batches the worker hands it when it is about to
 * run out of work (fewer than this many batches out). Deciding is most of a replay's work, so a
 * worker deciding everything would be the bottleneck while this thread waited; the split
 * follows the two threads' speeds, whatever else the machine is doing.
 */
const HAND_OFF_BELOW = 2;

/**
 * Batches decided in this thread stay small: a decision offered soon after it is made dies young,
 * where one kept for a large batch outlives a minor collection and costs a major one.
 */
const IN_THREAD_BATCH_SIZE = 64;

/** Calls read (and mostly decided) in either thread, and the reader's account once they are through. */
interface DecidedCalls {
  batches: AsyncIterable<TraceBatch>;
  input(): InputInfo;
}

/**
 * Streams a trace through one or more runs in lockstep: each call is read once, decided by
 * every run's configuration, and offered to every run's contact centre. Memory stays bounded
 * by the calls in progress (plus the set of call ids the reader checks for duplicates).
 */
export async function replayTrace(source: string | Readable, runs: readonly ReplayRun[], opts: ReplayOptions = {}): Promise<InputInfo> {
  const queues = new Set(runs.flatMap((r) => r.scenario.staffing.queues.map((q) => q.id)));
  const reader = { onError: opts.onError ?? 'fail', sort: opts.sort ?? false } as const;
  if (runs.some((r) => r.scenario.behaviour)) {
    const retried = await recordedRetries(source, { ...reader, queues });
    for (const r of runs) r.setRecordedRetries(retried);
  }
  const here: TraceCallDecider[] = shareDecisions(
    runs.map((r) => (call) => r.decide(call)),
    runs.map((r) => r.decisionsKey()),
  );
  const read = (typeof source === 'string' ? await inWorker(source, runs, reader, queues, opts) : undefined) ?? inThisThread(source, here, { ...reader, queues });
  const every = opts.progressEvery ?? 10_000;
  let n = 0;
  let first = true;
  for await (const batch of read.batches) {
    for (const decided of decideHere(batch, here)) {
      if (first) for (const r of runs) r.setTraceOrigin(decided.origin);
      first = false;
      for (let i = 0; i < decided.calls.length; i++) {
        const call = decided.calls[i]!;
        const decisions = decided.decisions[i]!;
        for (let k = 0; k < runs.length; k++) runs[k]!.offer(call, decisions[k]!);
        opts.onCall?.(call, decisions);
        if (++n % every === 0) opts.onProgress?.(n);
      }
    }
  }
  opts.onProgress?.(n);
  return read.input();
}

/**
 * The callId of every call the trace retries. A replay with a queue-behaviour model needs them
 * before it starts: a simulated hang-up generates a retry only for a call the trace does not
 * retry. Reading the trace for them is a first pass over the file, so the source must be a file.
 */
async function recordedRetries(source: string | Readable, options: TraceReaderOptions): Promise<Set<string>> {
  if (typeof source !== 'string') throw new RangeError('a replay with a queue-behaviour model reads its trace twice: give a file, not a stream');
  const retried = new Set<string>();
  for await (const call of readTrace(source, options)) if (call.retryOf !== undefined) retried.add(call.retryOf);
  return retried;
}

function inThisThread(source: string | Readable, deciders: readonly TraceCallDecider[], options: Parameters<typeof readTrace>[1]): DecidedCalls {
  const reader = readTrace(source, options);
  return { batches: decideTrace(reader, deciders, IN_THREAD_BATCH_SIZE), input: () => inputInfo(reader.stats()) };
}

/**
 * Undefined when the calls are to be decided in this thread: asked so, no compiled worker to
 * run, or the worker did not load the configurations the runs hold (a file changed since).
 */
async function inWorker(
  trace: string,
  runs: readonly ReplayRun[],
  reader: { onError: 'fail' | 'skip'; sort: boolean },
  queues: Set<string>,
  opts: ReplayOptions,
): Promise<DecidedCalls | undefined> {
  const mode = opts.parallel ?? 'auto';
  if (mode === false) return undefined;
  if (mode === 'auto' && (availableParallelism() < 2 || (statSync(trace, { throwIfNoEntry: false })?.size ?? 0) < PARALLEL_MIN_BYTES)) return undefined;
  const url = opts.workerUrl ?? decideWorkerUrl();
  if (!url) return undefined;
  const init: DecideWorkerInit = {
    trace,
    reader: { ...reader, queues: [...queues] },
    scenarios: runs.map((r) => ({ paths: r.scenario.config.paths, seed: r.scenario.seed, recipients: r.scenario.contactPolicy !== undefined })),
    batchSize: DEFAULT_BATCH_SIZE,
    window: DEFAULT_WINDOW,
    handOffBelow: HAND_OFF_BELOW,
  };
  const client = await DecideWorkerClient.start(init, runs.map((r) => r.scenario.config.version), url);
  return client && { batches: client.batches(), input: () => client.inputInfo() };
}
