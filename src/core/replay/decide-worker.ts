// The worker thread of a parallel replay: reads and checks the trace and decides the calls for
// every scenario, posting batches to the replay, which runs the contact centres and the KPIs
// (and decides the batches left undecided for it, when it has the time).
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { loadConfiguration, type ConfigPaths } from '../configuration/configuration.js';
import { CallDecider } from '../decision/call-decider.js';
import { readTrace, type TraceReaderOptions } from '../trace/trace-reader.js';
import { decideTraceCall, type CompactDecision, type DecideInput } from './compact-decision.js';
import { BatchEncoder, transferables, type WireBatch } from './decided-batch-wire.js';
import { decisionsKey, inputInfo, shareDecisions, type TraceBatch } from './decided-batches.js';
import type { InputInfo } from './replay-report.js';
import { serializeError, type SerializedError } from './worker-error.js';

/** Plain data only: configurations do not cross threads, their paths do. */
export interface DecideWorkerInit {
  trace: string;
  reader: Pick<TraceReaderOptions, 'onError' | 'sort'> & { queues: string[] };
  /** `recipients`: the scenario applies a contact policy, so decisions say whom the SMS go to. */
  scenarios: Array<{ paths: ConfigPaths; seed: number; recipients: boolean }>;
  batchSize: number;
  /** Batches posted and not yet acknowledged before the worker waits. */
  window: number;
  /**
   * A batch goes out undecided, for the replay's thread to decide, when fewer than this many
   * are out as it starts (the replay is about to run out of work); 0: the worker decides all.
   */
  handOffBelow: number;
}

export type FromWorker =
  | { type: 'ready'; configVersions: string[] }
  /** `inFlight`: batches posted and not yet acknowledged, this one included. */
  | { type: 'batch'; inFlight: number; batch: WireBatch }
  /** `stalls`: how often the worker waited for the replay to catch up. */
  | { type: 'done'; input: InputInfo; stalls: number }
  | { type: 'error'; error: SerializedError };

/** The replay has finished with one batch. */
export type ToWorker = { type: 'ack' };

/**
 * Serves one replay over `port`. Flow control is by credit: at most `window` batches are out
 * at a time, so however far the decisions run ahead, memory stays bounded.
 */
export async function serveDecisions(port: MessagePort, init: DecideWorkerInit): Promise<void> {
  const send = (m: FromWorker) => port.postMessage(m);
  let credits = init.window;
  let stalls = 0;
  let wake: (() => void) | undefined;
  port.on('message', (m: ToWorker) => {
    if (m.type !== 'ack') return;
    credits++;
    wake?.();
    wake = undefined;
  });
  try {
    // Loaded as the replay loaded them; the replay checks the versions agree before it goes on.
    const configs = init.scenarios.map((s) => ({ ...s, config: loadConfiguration(s.paths) }));
    send({ type: 'ready', configVersions: configs.map((c) => c.config.version) });
    const keys = configs.map(({ config, seed, recipients }) => decisionsKey({ version: config.version, customersFile: config.paths.customersFile, seed, recipients }));
    const deciders = shareDecisions(configs.map(({ config, seed, recipients }) => {
      const decider = new CallDecider(config);
      return (call: DecideInput) => decideTraceCall(decider, seed, call, recipients);
    }), keys);
    const encoder = new BatchEncoder(deciders.length, init.batchSize);
    const reader = readTrace(init.trace, { ...init.reader, queues: new Set(init.reader.queues) });
    const leaveUndecided = () => init.window - credits < init.handOffBelow;
    let origin: TraceBatch['origin'];
    const post = async () => {
      const wire = encoder.take(origin);
      origin = undefined;
      if (credits === 0) stalls++;
      while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
      credits--;
      port.postMessage({ type: 'batch', inFlight: init.window - credits, batch: wire } satisfies FromWorker, transferables(wire));
    };
    // As decideTrace, call by call into the batch's columns (see BatchEncoder): a failure first
    // posts the calls before it, and whether a batch is left undecided is asked as it starts.
    const row = new Array<CompactDecision | null>(deciders.length);
    let offset: number | undefined;
    encoder.begin(leaveUndecided());
    try {
      // A chunk of calls per await (TraceReader.batches): an await per call would cost more than reading it.
      for await (const reads of reader.batches()) {
        for (const read of reads) {
          if (offset === undefined) {
            origin = reader.stats().origin;
            offset = origin?.secOfDay ?? 0;
          }
          const arrivalSec = offset === 0 ? read.arrivalSec : read.arrivalSec + offset;
          if (encoder.undecidedBatch) encoder.addUndecided(read, arrivalSec, read);
          else {
            for (let k = 0; k < deciders.length; k++) row[k] = deciders[k]!(read);
            encoder.addDecided(read, arrivalSec, row);
          }
          if (encoder.size >= init.batchSize) {
            await post();
            encoder.begin(leaveUndecided());
          }
        }
      }
    } catch (err) {
      if (encoder.size > 0) await post();
      throw err;
    }
    if (encoder.size > 0) await post();
    send({ type: 'done', input: inputInfo(reader.stats()), stalls });
  } catch (err) {
    send({ type: 'error', error: serializeError(err) });
  } finally {
    // Nothing more to wait for: let the thread end once the replay has its messages.
    port.unref();
  }
}

if (!isMainThread && parentPort) void serveDecisions(parentPort, workerData as DecideWorkerInit);
