import { resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { CallDecider } from '../core/decision/call-decider.js';
import type { Scenario } from '../core/replay/replay-run.js';
import type { InputInfo, ReplayReport } from '../core/replay/replay-report.js';
import { readRecordedTrace } from '../core/replications/recorded-day.js';
import { plainScenario, Replicator, type RecordedDayRequest } from '../core/replications/replication.js';
import { DEFAULT_FIRST_REPLICATIONS, DEFAULT_MAX_REPLICATIONS, runReplications, type ReplicationCount, type ReplicationOutcome } from '../core/replications/replication-plan.js';
import { LocalReplicationRunner, MIN_CALLS_FOR_THREADS, type ReplicationRunner } from '../core/replications/replication-pool.js';
import type { ReplicationJob } from '../core/replications/replication-worker.js';
import { DEFAULT_REDIS_KEY_PREFIX } from '../infra/env/redis-env.js';
import { redactUrl } from '../infra/redis/redact-url.js';
import { BullmqReplicationRunner } from '../infra/replications/bullmq-replication-runner.js';
import { connectRedis } from '../infra/replications/redis-connection.js';
import { resampleDay, resamplingMethod, type ResamplingPlan } from '../core/replications/trace-resampler.js';
import { UsageError } from './cli-error.js';
import type { CliIO } from './cli-io.js';
import { wholeNumber } from './whole-number.js';

export interface ReplicationFlags {
  replications?: string;
  targetHalfWidth?: string;
  maxReplications?: string;
  volumeCv?: string;
  threads?: string;
  redisUrl?: string;
  prefix?: string;
  blockSize?: string;
  workerTimeout?: string;
}

export interface ReplicationOptions extends ReplicationCount {
  volumeCv: number;
  /** Threads computing replications, the command's own included; 'auto': one per core, for long enough runs. */
  threads: number | 'auto';
  /** Spread over replication workers through BullMQ instead of local threads. */
  queue?: { url: string; keyPrefix: string; blockSize: number; workerTimeoutSec: number };
}

/** The flags of a replicated replay or compare. */
export function withReplicationOptions(cmd: Command): Command {
  return cmd
    .option('--replications <n>', 'also replay N >= 2 other plausible days resampled from the trace (seeded by --seed) and report intervals')
    .option('--target-half-width <pp>', 'add replications until the overall service-level interval (compare: of its delta) is at most this many percentage points either side')
    .option('--max-replications <n>', `most replications --target-half-width may run (default ${DEFAULT_MAX_REPLICATIONS})`)
    .option('--volume-cv <cv>', 'day-to-day variation of the call volume for replications: coefficient of variation of a day-level factor (default 0)')
    .option('--threads <n>', `threads computing replications, the command's own included (default: one per core when there are at least ${MIN_CALLS_FOR_THREADS.toLocaleString('en-US')} calls to simulate, else 1); the figures do not depend on it`)
    .option('--redis-url <url>', 'spread the replications over `ivr-sim replication-worker` processes through BullMQ in this Redis (same output as a local run)')
    .option('--prefix <prefix>', `with --redis-url: the key prefix the workers use (default: $REDIS_KEY_PREFIX, else ${DEFAULT_REDIS_KEY_PREFIX})`)
    .option('--block-size <n>', 'with --redis-url: replications per job (default 5; the last jobs of a run smaller, so that workers finish together)')
    .option('--worker-timeout <sec>', 'with --redis-url: fail when no worker takes the job within this many seconds, or when none of its jobs moved that long and no worker is connected any more (default 30)');
}

function positive(flag: string, text: string, allowZero: boolean): number {
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x) || x < 0 || (!allowZero && x === 0)) throw new UsageError(`${flag} ${text}: expected a number ${allowZero ? '>= 0' : '> 0'}`);
  return x;
}

/** The replication options, or undefined when none is asked for; every mistake is a usage error. */
export function parseReplicationFlags(flags: ReplicationFlags): ReplicationOptions | undefined {
  const asked = flags.replications !== undefined || flags.targetHalfWidth !== undefined;
  if (!asked) {
    const named = [
      ['--max-replications', flags.maxReplications],
      ['--volume-cv', flags.volumeCv],
      ['--threads', flags.threads],
      ['--redis-url', flags.redisUrl],
      ['--prefix', flags.prefix],
      ['--block-size', flags.blockSize],
      ['--worker-timeout', flags.workerTimeout],
    ].find(([, v]) => v !== undefined);
    if (named) throw new UsageError(`${named[0]} needs --replications N or --target-half-width PP`);
    return undefined;
  }
  const maxReplications = flags.maxReplications === undefined ? DEFAULT_MAX_REPLICATIONS : wholeNumber('--max-replications', flags.maxReplications, 2);
  const replications = flags.replications === undefined ? Math.min(DEFAULT_FIRST_REPLICATIONS, maxReplications) : wholeNumber('--replications', flags.replications, 2);
  if (replications > maxReplications) throw new UsageError(`--replications ${replications}: more than --max-replications ${maxReplications}`);
  const out: ReplicationOptions = {
    replications,
    maxReplications,
    volumeCv: flags.volumeCv === undefined ? 0 : positive('--volume-cv', flags.volumeCv, true),
    threads: flags.threads === undefined ? 'auto' : wholeNumber('--threads', flags.threads, 1),
  };
  if (flags.redisUrl !== undefined) {
    out.queue = {
      url: flags.redisUrl,
      keyPrefix: flags.prefix ?? process.env['REDIS_KEY_PREFIX'] ?? DEFAULT_REDIS_KEY_PREFIX,
      blockSize: flags.blockSize === undefined ? 5 : wholeNumber('--block-size', flags.blockSize, 1),
      workerTimeoutSec: flags.workerTimeout === undefined ? 30 : positive('--worker-timeout', flags.workerTimeout, false),
    };
  } else if (flags.prefix !== undefined || flags.blockSize !== undefined || flags.workerTimeout !== undefined) {
    throw new UsageError('--prefix, --block-size and --worker-timeout need --redis-url');
  }
  if (flags.targetHalfWidth !== undefined) out.targetHalfWidthPp = positive('--target-half-width', flags.targetHalfWidth, false);
  return out;
}

export interface Replicated extends ReplicationOutcome {
  plan: ResamplingPlan;
  method: string;
}

/** Replications started, running while the recorded day is replayed. */
export interface ReplicationsUnderWay {
  /** Their outcome; the progress bar shows from this call on (the recorded replay has its own before). */
  result(): Promise<Replicated>;
  /** Stops them (the recorded replay failed): no thread left running, no job left queued. */
  cancel(): Promise<void>;
  /**
   * With --redis-url and `recordedDay` asked for: the recorded day's report, computed by a
   * worker as the flow's first job, and the account of the trace's lines it gives as `input`.
   */
  recorded?: () => Promise<{ report: ReplayReport; input: InputInfo }>;
}

/**
 * Starts replaying the resampled days of a trace against the scenarios (all of them on the same
 * days) and returns as soon as they are under way: they depend only on the trace, the scenarios
 * and the seed, not on the recorded day's replay, which can run meanwhile. The resampling
 * interval is the first scenario's reporting interval. With --redis-url, `recordedDay` (how the
 * report names the inputs) asks a worker for the recorded day's report against the first
 * scenario too (`recorded()`): warm, it has the day and the deciders at hand already.
 */
export async function startReplications(
  io: CliIO,
  trace: string,
  runs: ReadonlyArray<{ scenario: Scenario; decider: CallDecider }>,
  reader: { onError: 'fail' | 'skip'; sort: boolean },
  options: ReplicationOptions,
  recordedDay?: RecordedDayRequest['info'],
): Promise<ReplicationsUnderWay> {
  const scenarios = runs.map((r) => r.scenario);
  const first = scenarios[0]!;
  const queues = new Set(scenarios.flatMap((s) => s.staffing.queues.map((q) => q.id)));
  const { day, input } = await readRecordedTrace(resolve(trace), { ...reader, queues });
  const plan: ResamplingPlan = { seed: first.seed, intervalSec: (first.intervalMin ?? first.staffing.intervalMin) * 60, volumeCv: options.volumeCv };
  const job = { day, plan, scenarios: scenarios.map(plainScenario) };
  const recorded = options.queue && recordedDay ? { info: recordedDay, input } : undefined;
  // This thread's replications use the configurations loaded already and the recorded replay's deciders, warm by then.
  const here = () => {
    const replicator = new Replicator(scenarios, runs.map((r) => r.decider));
    return (index: number) => replicator.replay(resampleDay(day, plan, index));
  };
  const runner = options.queue ? await queueRunner(job, options.queue, recorded) : new LocalReplicationRunner(job, options.threads, { here });
  const bar = replicationProgress(io);
  const interrupt = 'removeJobs' in runner ? removeJobsOnInterrupt(io, runner, () => bar.stop()) : undefined;
  const running = (async () => {
    try {
      return await runReplications(runner, options, (done, planned) => bar.update(done, planned));
    } finally {
      bar.stop();
      await runner.close();
      interrupt?.uninstall();
      // Interrupted, the command prints nothing more: the handler ends it once the jobs are removed.
      if (interrupt?.interrupted()) await new Promise<never>(() => {});
    }
  })();
  // Awaited by result(); a failure while the recorded day replays is reported from there.
  running.catch(() => {});
  const underWay: ReplicationsUnderWay = {
    async result() {
      bar.show();
      return { ...(await running), plan, method: resamplingMethod(plan) };
    },
    async cancel() {
      await runner.close();
      await running.catch(() => {});
    },
  };
  const recordedReport = 'recordedReport' in runner ? runner.recordedReport : undefined;
  if (recorded && recordedReport) underWay.recorded = async () => ({ report: await recordedReport(), input });
  return underWay;
}

/**
 * Starts the replications (when `start` is given), then replays the recorded day while they
 * compute. Should the recorded replay fail, the replications are stopped and its error is the
 * command's: a trace the replications could not read fails it too, with the usual message.
 */
export async function besideReplications<T>(start: (() => Promise<ReplicationsUnderWay>) | undefined, recorded: () => Promise<T>): Promise<{ recorded: T; replications?: ReplicationsUnderWay }> {
  let replications: ReplicationsUnderWay | undefined;
  let notStarted: { err: unknown } | undefined;
  if (start) {
    try {
      replications = await start();
    } catch (err) {
      notStarted = { err };
    }
  }
  let value: T;
  try {
    value = await recorded();
  } catch (err) {
    await replications?.cancel();
    throw err;
  }
  if (notStarted) throw notStarted.err;
  return replications ? { recorded: value, replications } : { recorded: value };
}

/** With --redis-url: fails within seconds when Redis cannot be reached, before anything is replayed. */
export async function checkReplicationQueue(options: ReplicationOptions | undefined): Promise<void> {
  if (!options?.queue) return;
  (await connectRedis(options.queue.url, redactUrl(options.queue.url))).disconnect();
}

/** What the command prints when Ctrl-C stopped it while its replications ran through Redis. */
const INTERRUPTED = {
  removed: "interrupted; the run's jobs were removed from Redis",
  queuedRemoved: "interrupted; the run's queued jobs were removed from Redis (the blocks workers had taken finish there)",
  notRemoved: "interrupted; the run's jobs could not be removed from Redis",
} as const;


/**
 * While replications run through Redis, Ctrl-C (SIGINT) removes the run's jobs, which no worker
 * should compute any more, then ends the command with exit code 130. The handler runs once: a
 * second Ctrl-C, while Redis does not answer, gets Node's default and ends the process at once.
 */
function removeJobsOnInterrupt(io: CliIO, runner: { removeJobs(): Promise<boolean> }, before: () => void): { uninstall(): void; interrupted(): boolean } {
  let interrupted = false;
  const onInterrupt = () => {
    interrupted = true;
    before();
    // removeJobs gives up, rejecting, when Redis does not answer within seconds.
    void runner
      .removeJobs()
      .then(
        (all) => (all ? INTERRUPTED.removed : INTERRUPTED.queuedRemoved),
        (err: Error) => `${INTERRUPTED.notRemoved} (${err.message})`,
      )
      .then((line) => {
        io.err(`ivr-sim: ${line}\n`);
        process.exit(130);
      });
  };
  process.once('SIGINT', onInterrupt);
  return { uninstall: () => void process.removeListener('SIGINT', onInterrupt), interrupted: () => interrupted };
}

async function queueRunner(
  job: ReplicationJob,
  q: NonNullable<ReplicationOptions['queue']>,
  recorded: RecordedDayRequest | undefined,
): Promise<ReplicationRunner & { recordedReport?: () => Promise<ReplayReport>; removeJobs: () => Promise<boolean> }> {
  const shownUrl = redactUrl(q.url);
  const redis = await connectRedis(q.url, shownUrl);
  const runner = new BullmqReplicationRunner(job, { redis, shownUrl, keyPrefix: q.keyPrefix, blockSize: q.blockSize, workerTimeoutSec: q.workerTimeoutSec, ...(recorded ? { recorded } : {}) });
  let inFlight: Promise<unknown> | undefined;
  return {
    ...(recorded ? { recordedReport: () => runner.recordedReport() } : {}),
    removeJobs: () => runner.removeJobs(),
    run: (indices, onDone) => {
      const run = runner.run(indices, onDone);
      inFlight = run;
      return run;
    },
    close: async () => {
      // Stops a run still under way, and lets it remove its queue handles before the connection goes.
      await runner.close();
      await inFlight?.catch(() => {});
      redis.disconnect();
    },
  };
}

/** A progress bar on stderr when it is a terminal, drawn from `show()` on (counts before it are kept). */
function replicationProgress(io: CliIO): { update(done: number, planned: number): void; show(): void; stop(): void } {
  if (!io.interactive) return { update() {}, show() {}, stop() {} };
  let bar: SingleBar | undefined;
  let stopped = false;
  let last = { done: 0, planned: 1 };
  return {
    update(done, planned) {
      last = { done, planned };
      bar?.setTotal(planned);
      bar?.update(done);
    },
    show() {
      if (bar || stopped) return;
      bar = new SingleBar({ format: 'replications {bar} {value}/{total} | {duration_formatted}', stream: process.stderr, clearOnComplete: true });
      bar.start(last.planned, last.done);
    },
    stop() {
      stopped = true;
      bar?.stop();
    },
  };
}
